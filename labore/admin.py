"""Admin of the Digitalisierungslabore, with their participants (Kommunen, IT-Dienstleister)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from redaktion.admin import RedaktionAdmin

from .models import Labor, LaborTeilnahme


class TeilnahmeInline(admin.TabularInline):
    """The Labor's participants: links to Teilnahmen (rows of a Themenfeld, edited on the Themenfeld's page)."""

    model = LaborTeilnahme
    fields = ["teilnahme"]
    autocomplete_fields = ["teilnahme"]
    extra = 0
    verbose_name = _("Teilnahme (Kommune oder IT-Dienstleister)")
    verbose_name_plural = _("Teilnehmende Kommunen und IT-Dienstleister")


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
