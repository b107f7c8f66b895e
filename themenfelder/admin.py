"""Admin of the programme steering: the Themenfeld page with its inlines, tandems, phase statuses (with the focused
screen "Phasenstand erfassen"), participations."""

from django.contrib import admin, messages
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalog.models import Gebietskoerperschaft, Lage, Themenfeld
from core.admin import BereichFestMixin
from redaktion.admin import RedaktionAdmin, RedaktionModelAdmin, nur_mit_recht

from .choices import Phase
from .forms import PhasenStandForm, feldname
from .models import PhasenStatus, TandemRolle, Teilnahme


class NurLaenderMixin:
    """The partner Land of a tandem is chosen from the Länder only."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "land":
            kwargs["queryset"] = Gebietskoerperschaft.objects.laender()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LageInline(admin.TabularInline):
    model = Lage
    fields = ["name", "slug"]
    extra = 0
    show_change_link = True


class TandemRolleInline(NurLaenderMixin, admin.TabularInline):
    model = TandemRolle
    fields = ["rolle", "umfang", "land", "organisation", "bemerkung"]
    extra = 0
    verbose_name_plural = _("Tandem (Federführung und Mitarbeit)")


class PhasenStatusInline(admin.TabularInline):
    """All Stände of the phases; new Stände are entered in the focused screen ("Phasenstand erfassen")."""

    model = PhasenStatus
    fields = ["stand", "phase", "status", "quelle"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-stand", "phase"]
    verbose_name_plural = _("Phasenstatus (alle Stände; neue über „Phasenstand erfassen“)")

    def has_add_permission(self, request, obj=None):
        return False


class TeilnahmeInline(admin.TabularInline):
    model = Teilnahme
    fields = ["gebiet", "organisation", "art", "name_im_dokument", "land_im_dokument", "befund", "stand"]
    raw_id_fields = ["gebiet"]
    extra = 0
    verbose_name_plural = _("Teilnehmende Kommunen und IT-Dienstleister")


@admin.register(Themenfeld)
class ThemenfeldAdmin(RedaktionModelAdmin):
    """The Themenfeld (a catalog row) with the programme steering around it: tandem, phases, Lagen, Teilnahmen."""

    list_display = ["name", "slug", "phasenstand_link"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]
    inlines = [TandemRolleInline, PhasenStatusInline, LageInline, TeilnahmeInline]

    def get_readonly_fields(self, request, obj=None):
        # The slug is part of public addresses (/themenfelder/<slug>/): set once, then kept.
        return [] if obj is None else self.readonly_fields

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["name"]} if obj is None else {}

    @admin.display(description=_("Phasenstand"))
    def phasenstand_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:themenfelder_phasenstatus_stand", args=[obj.slug]),
            _("Phasenstand erfassen"),
        )


@admin.register(TandemRolle)
class TandemRolleAdmin(BereichFestMixin, NurLaenderMixin, RedaktionAdmin):
    list_display = ["themenfeld", "rolle", "umfang", "land", "organisation", "bemerkung"]
    list_filter = ["themenfeld", "rolle", "umfang", "land", "organisation__art"]
    search_fields = ["themenfeld__name", "land__name", "organisation__kurzname", "organisation__name", "bemerkung"]
    list_select_related = ["themenfeld", "land", "organisation"]
    fieldsets = [
        (None, {"fields": ["themenfeld", "rolle", "umfang"]}),
        (_("Partner (Land oder Organisation)"), {"fields": ["land", "organisation", "bemerkung"]}),
    ]


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
                self.admin_site.admin_view(self.uebersicht_view),
                name="themenfelder_phasenstatus_uebersicht",
            ),
            path(
                "stand/<slug:slug>/",
                self.admin_site.admin_view(self.stand_view),
                name="themenfelder_phasenstatus_stand",
            ),
            *super().get_urls(),
        ]

    # "Phasenstand erfassen": all phase statuses and the Stand date of a Themenfeld in one form; saving is the
    # model's rule (``PhasenStatus.objects.stand_erfassen``: adds a Stand, never overwrites an earlier one).
    def uebersicht_view(self, request):
        """All Themenfelder with their latest Stand, each linking to the form."""
        nur_mit_recht(request, "themenfelder.view_phasenstatus")
        themenfelder = Themenfeld.objects.annotate(letzter_stand=Max("phasen__stand")).order_by("name")
        kontext = {
            **self.admin_site.each_context(request),
            "opts": PhasenStatus._meta,
            "title": _("Phasenstand erfassen"),
            "themenfelder": themenfelder,
            "darf_erfassen": request.user.has_perm("themenfelder.add_phasenstatus"),
        }
        return TemplateResponse(request, "admin/themenfelder/phasenstand_uebersicht.html", kontext)

    def stand_view(self, request, slug):
        nur_mit_recht(request, "themenfelder.add_phasenstatus")
        nur_mit_recht(request, "themenfelder.change_phasenstatus")
        themenfeld = get_object_or_404(Themenfeld, slug=slug)
        bisher = {p.phase: p for p in PhasenStatus.objects.filter(themenfeld=themenfeld).stand_am()}
        form = PhasenStandForm(request.POST or None, aktuell={phase: p.status for phase, p in bisher.items()})
        if request.method == "POST" and form.is_valid():
            stand = form.cleaned_data["stand"]
            PhasenStatus.objects.stand_erfassen(
                themenfeld,
                stand,
                form.cleaned_data["quelle"],
                {phase: form.cleaned_data[feldname(phase)] for phase in Phase.values},
                grund=str(_("Phasenstand erfasst")),
            )
            messages.success(
                request,
                _("Stand %(datum)s für „%(themenfeld)s“ gespeichert.")
                % {"datum": f"{stand:%d.%m.%Y}", "themenfeld": themenfeld},
            )
            return redirect("admin:themenfelder_phasenstatus_stand", slug=themenfeld.slug)
        zeilen = [{"label": feld.label, "feld": feld, "bisher": bisher.get(phase)} for phase, feld in form.phasen()]
        staende = PhasenStatus.objects.filter(themenfeld=themenfeld).values_list("stand", flat=True).distinct()
        kontext = {
            **self.admin_site.each_context(request),
            "opts": PhasenStatus._meta,
            "title": _("Phasenstand erfassen: %(themenfeld)s") % {"themenfeld": themenfeld},
            "themenfeld": themenfeld,
            "form": form,
            "zeilen": zeilen,
            "bisheriger_stand": max((p.stand for p in bisher.values()), default=None),
            "staende": list(staende.order_by("-stand")),
        }
        status = 400 if form.errors else 200
        return TemplateResponse(request, "admin/themenfelder/phasenstand.html", kontext, status=status)


@admin.register(Teilnahme)
class TeilnahmeAdmin(BereichFestMixin, RedaktionAdmin):
    list_display = [
        "themenfeld",
        "gebiet",
        "organisation",
        "art",
        "labor",  # read-only: the link is edited on the Labor's page (labore owns it)
        "name_im_dokument",
        "land_im_dokument",
        "befund",
        "stand",
    ]
    list_filter = ["themenfeld", "art", "labore", "gebiet__land", "stand"]
    search_fields = ["name_im_dokument", "gebiet__name", "=gebiet__ars", "organisation__kurzname", "befund"]
    list_select_related = ["themenfeld", "gebiet", "organisation", "laborzuordnung__labor"]
    autocomplete_fields = ["gebiet"]
    fieldsets = [
        (None, {"fields": ["themenfeld", "art", "stand"]}),
        (_("Wer"), {"fields": ["gebiet", "organisation"]}),
        (
            _("Zuordnung zur Quelle"),
            {"fields": ["name_im_dokument", "land_im_dokument", "befund", "position"]},
        ),
    ]

    @admin.display(description=_("Labor"))
    def labor(self, obj):
        # labore sits above themenfelder and owns the link (LaborTeilnahme), reached by its reverse relation;
        # a Teilnahme without Labor has none (the missing reverse one-to-one raises an AttributeError).
        zuordnung = getattr(obj, "laborzuordnung", None)
        return zuordnung.labor if zuordnung else None
