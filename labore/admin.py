from django.contrib import admin

from simple_history.admin import SimpleHistoryAdmin

from themenfelder.models import Teilnahme

from .models import Labor


class TeilnahmeInline(admin.TabularInline):
    model = Teilnahme
    fields = ["themenfeld", "gebiet", "organisation", "art", "name_im_dokument", "land_im_dokument", "befund"]
    raw_id_fields = ["gebiet"]
    extra = 0


@admin.register(Labor)
class LaborAdmin(SimpleHistoryAdmin):
    list_display = ["titel", "themenfeld", "pilot", "methodenphase", "gestartet_bis"]
    list_filter = ["themenfeld", "pilot", "methodenphase"]
    search_fields = ["titel"]
    list_select_related = ["themenfeld"]
    prepopulated_fields = {"slug": ["titel"]}
    filter_horizontal = ["leistungen"]
    inlines = [TeilnahmeInline]
