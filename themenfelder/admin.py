"""Admin of the programme steering: tandems, phase statuses (with the focused screen), participations."""

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from catalog.models import Gebietskoerperschaft
from redaktion.admin import RedaktionAdmin

from . import admin_views
from .models import PhasenStatus, TandemRolle, Teilnahme


@admin.register(TandemRolle)
class TandemRolleAdmin(RedaktionAdmin):
    list_display = ["themenfeld", "rolle", "umfang", "land", "organisation", "bemerkung"]
    list_filter = ["themenfeld", "rolle", "umfang", "land", "organisation__art"]
    search_fields = ["themenfeld__name", "land__name", "organisation__kurzname", "organisation__name", "bemerkung"]
    list_select_related = ["themenfeld", "land", "organisation"]
    fieldsets = [
        (None, {"fields": ["themenfeld", "rolle", "umfang"]}),
        (_("Partner (Land oder Organisation)"), {"fields": ["land", "organisation", "bemerkung"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "land":
            kwargs["queryset"] = Gebietskoerperschaft.objects.laender()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(PhasenStatus)
class PhasenStatusAdmin(RedaktionAdmin):
    """Single rows, for corrections; a new Stand of a Themenfeld is entered with "Phasenstand erfassen"."""

    list_display = ["themenfeld", "phase", "status", "stand", "quelle"]
    list_filter = ["themenfeld", "phase", "status", "stand"]
    search_fields = ["themenfeld__name", "quelle"]
    list_select_related = ["themenfeld"]
    date_hierarchy = "stand"
    change_list_template = "admin/themenfelder/phasenstatus_change_list.html"

    def get_urls(self):
        return [
            path(
                "stand/",
                self.admin_site.admin_view(lambda request: admin_views.uebersicht_view(self, request)),
                name="themenfelder_phasenstatus_uebersicht",
            ),
            path(
                "stand/<slug:slug>/",
                self.admin_site.admin_view(lambda request, slug: admin_views.stand_view(self, request, slug)),
                name="themenfelder_phasenstatus_stand",
            ),
            *super().get_urls(),
        ]


@admin.register(Teilnahme)
class TeilnahmeAdmin(RedaktionAdmin):
    list_display = [
        "themenfeld",
        "gebiet",
        "organisation",
        "art",
        "labor",
        "name_im_dokument",
        "land_im_dokument",
        "befund",
        "stand",
    ]
    list_filter = ["themenfeld", "art", "labor", "gebiet__land", "stand"]
    search_fields = ["name_im_dokument", "gebiet__name", "=gebiet__ars", "organisation__kurzname", "befund"]
    list_select_related = ["themenfeld", "gebiet", "organisation", "labor"]
    autocomplete_fields = ["gebiet", "labor"]
    fieldsets = [
        (None, {"fields": ["themenfeld", "labor", "art", "stand"]}),
        (_("Wer"), {"fields": ["gebiet", "organisation"]}),
        (
            _("Zuordnung zur Quelle"),
            {"fields": ["name_im_dokument", "land_im_dokument", "befund", "position"]},
        ),
    ]
