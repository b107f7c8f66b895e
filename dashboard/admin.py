from django.contrib import admin

from simple_history.admin import SimpleHistoryAdmin

from .models import Onlinedienst


@admin.register(Onlinedienst)
class OnlinedienstAdmin(SimpleHistoryAdmin):
    """Imported federal rows; written by ``manage.py import_dashboard``, read here with their history."""

    list_display = ["gebiet", "leika", "leistung", "online_status", "aktiv", "art_flaechendeckung"]
    list_filter = ["online_status", "aktiv", "art_flaechendeckung"]
    list_select_related = ["gebiet", "leika", "leistung"]
    search_fields = ["gebiet__ars", "gebiet__name", "leika__schluessel", "leistung__name", "url"]
    raw_id_fields = ["gebiet", "leika", "leistung"]
    show_full_result_count = False
