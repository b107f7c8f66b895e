from django.contrib import admin

from simple_history.admin import SimpleHistoryAdmin

from .models import PhasenStatus, TandemRolle, Teilnahme


@admin.register(TandemRolle)
class TandemRolleAdmin(SimpleHistoryAdmin):
    list_display = ["themenfeld", "land", "organisation", "rolle", "umfang", "bemerkung"]
    list_filter = ["themenfeld", "rolle", "umfang"]
    list_select_related = ["themenfeld", "land", "organisation"]


@admin.register(PhasenStatus)
class PhasenStatusAdmin(SimpleHistoryAdmin):
    list_display = ["themenfeld", "phase", "status", "stand"]
    list_filter = ["themenfeld", "phase", "status", "stand"]
    list_select_related = ["themenfeld"]
    date_hierarchy = "stand"


@admin.register(Teilnahme)
class TeilnahmeAdmin(SimpleHistoryAdmin):
    list_display = [
        "themenfeld",
        "gebiet",
        "organisation",
        "labor",
        "name_im_dokument",
        "land_im_dokument",
        "befund",
    ]
    list_filter = ["themenfeld", "art", "labor"]
    search_fields = ["name_im_dokument", "gebiet__name", "organisation__kurzname"]
    list_select_related = ["themenfeld", "gebiet", "organisation", "labor"]
    raw_id_fields = ["gebiet"]
