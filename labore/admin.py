"""Admin of the Digitalisierungslabore, with their participants (Kommunen, IT-Dienstleister)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from redaktion.admin import RedaktionAdmin
from themenfelder.admin import TeilnahmeInline as ThemenfeldTeilnahmeInline

from .models import Labor


class TeilnahmeInline(ThemenfeldTeilnahmeInline):
    """The Themenfeld page's inline, seen from the Labor: the Themenfeld instead of the Labor column."""

    fields = ["themenfeld", "gebiet", "organisation", "art", "name_im_dokument", "land_im_dokument", "befund", "stand"]
    raw_id_fields = []
    autocomplete_fields = ["gebiet"]


@admin.register(Labor)
class LaborAdmin(RedaktionAdmin):
    list_display = ["titel", "themenfeld", "pilot", "methodenphase", "anzahl_leistungen", "gestartet_bis"]
    list_filter = ["themenfeld", "pilot", "methodenphase"]
    search_fields = ["titel", "slug", "=leistungen__ozg_id", "leistungen__name"]
    list_select_related = ["themenfeld"]
    readonly_fields = ["slug"]
    filter_horizontal = ["leistungen"]
    inlines = [TeilnahmeInline]
    actions = ["als_pilot_markieren", "pilot_entfernen"]
    fieldsets = [
        (None, {"fields": ["titel", "slug", "themenfeld", "pilot", "methodenphase", "gestartet_bis"]}),
        (_("OZG-Leistungen"), {"fields": ["leistungen", "zuordnung"]}),
        (_("Bemerkung"), {"fields": ["bemerkung"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("leistungen")

    def get_readonly_fields(self, request, obj=None):
        # The slug is part of public addresses (/labore/<slug>/): set once, then kept.
        return [] if obj is None else self.readonly_fields

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["titel"]} if obj is None else {}

    @admin.display(description=_("OZG-Leistungen"))
    def anzahl_leistungen(self, obj):
        return len(obj.leistungen.all())

    def _pilot_setzen(self, request, queryset, wert: bool):
        # One save per Labor so each change lands in the history with the editor (only a handful of rows).
        n = 0
        for labor in queryset:
            if labor.pilot != wert:
                labor.pilot = wert
                labor._change_reason = str(_("Sammelaktion: Pilotkennzeichen"))
                labor.save(update_fields=["pilot"])
                n += 1
        self.message_user(request, _("%(n)s Labore geändert.") % {"n": n})

    @admin.action(description=_("Als Pilotlabor markieren"), permissions=["change"])
    def als_pilot_markieren(self, request, queryset):
        self._pilot_setzen(request, queryset, True)

    @admin.action(description=_("Pilotkennzeichen entfernen"), permissions=["change"])
    def pilot_entfernen(self, request, queryset):
        self._pilot_setzen(request, queryset, False)
