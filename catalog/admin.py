"""Admin of the catalogue: reference data (FITKO only) and the data Länder and Kommunen maintain, with its import
(preview, then write: ``catalog.importers.verwaltung``) and the export in the import format."""

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import BereichFestMixin
from core.aenderungen import bulk_schreiben
from core.exports import DEUTSCHES_EXCEL, csv_response, xlsx_response
from core.kontext import wie as aenderung_wie
from redaktion.admin import (
    ImportRouteMixin,
    RedaktionAdmin,
    RedaktionModelAdmin,
    bestaetigte_datei,
    datei_ablegen,
)
from redaktion.rules import ist_fitko, kommunen_von, laender_von

from .importers.formate import FORMATE
from .importers.verwaltung import fuehre_import_aus, plane_import
from .models import (
    Gebietskoerperschaft,
    KommunaleUmsetzung,
    Lage,
    LeikaLeistung,
    Leistung,
    Organisation,
    Umsetzungsstand,
    Zustaendigkeit,
)


@admin.register(Gebietskoerperschaft)
class GebietskoerperschaftAdmin(RedaktionModelAdmin):
    list_display = ["name", "ars", "ags", "ebene", "textkennzeichen", "land", "einwohner", "plz"]
    list_filter = ["ebene", "textkennzeichen", "land"]
    search_fields = ["name", "=ars", "=ags", "=plz"]
    list_select_related = ["land"]
    readonly_fields = ["ars", "ags", "ebene", "parent", "land", "kreis"]
    fieldsets = [
        (None, {"fields": ["name", "ars", "ags", "ebene", "textkennzeichen"]}),
        (_("Hierarchie"), {"fields": ["parent", "kreis", "land"]}),
        (_("Statistik"), {"fields": ["einwohner", "flaeche", "plz", "laengengrad", "breitengrad"]}),
    ]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        # The keys identify the row in the Gemeindeverzeichnis; a new row needs them, an existing one keeps them.
        return [] if obj is None else self.readonly_fields


@admin.register(Organisation)
class OrganisationAdmin(BereichFestMixin, RedaktionModelAdmin):
    list_display = ["kurzname", "name", "art", "land"]
    list_filter = ["art"]
    search_fields = ["kurzname", "name"]
    list_select_related = ["land"]
    prepopulated_fields = {"slug": ["kurzname"]}


@admin.register(Lage)
class LageAdmin(RedaktionModelAdmin):
    list_display = ["name", "themenfeld", "slug"]
    list_filter = ["themenfeld"]
    search_fields = ["name", "slug"]
    list_select_related = ["themenfeld"]


class LeikaInline(admin.TabularInline):
    model = LeikaLeistung
    fields = ["schluessel", "bezeichnung", "typisierung", "vollzug", "sdg1", "sdg2"]
    readonly_fields = ["vollzug"]
    extra = 0
    show_change_link = True


@admin.register(Leistung)
class LeistungAdmin(RedaktionModelAdmin):
    list_display = ["ozg_id", "name", "lage", "themenfeld", "vollzug"]
    list_filter = ["vollzug", "lage__themenfeld"]
    search_fields = ["=ozg_id", "name", "=leika_leistungen__schluessel"]
    list_select_related = ["lage__themenfeld"]
    readonly_fields = ["ozg_id", "vollzug"]
    autocomplete_fields = ["lage"]
    inlines = [LeikaInline]

    @admin.display(description=_("Themenfeld"), ordering="lage__themenfeld__name")
    def themenfeld(self, obj):
        return obj.lage.themenfeld

    def get_readonly_fields(self, request, obj=None):
        return ["vollzug"] if obj is None else self.readonly_fields


@admin.register(LeikaLeistung)
class LeikaLeistungAdmin(RedaktionModelAdmin):
    list_display = ["schluessel", "bezeichnung", "leistung", "typisierung", "vollzug", "sdg1", "sdg2"]
    list_filter = ["vollzug", "sdg1", "sdg2", "leistung__lage__themenfeld"]
    search_fields = ["=schluessel", "bezeichnung", "gesetzeskuerzel", "=leistung__ozg_id"]
    list_select_related = ["leistung"]
    readonly_fields = ["zeile", "vollzug"]
    autocomplete_fields = ["leistung"]
    fieldsets = [
        (None, {"fields": ["zeile", "schluessel", "bezeichnung", "leistung"]}),
        (_("Typisierung"), {"fields": ["typisierung", "vollzug", "sdg1", "sdg2"]}),
        (_("Recht"), {"fields": ["gesetze", "gesetzeskuerzel", "rechtsgrundlage"]}),
    ]


# --- Import with preview and export in the import format ---------------------------------------------
SIGNING_SALT = "catalog.imports_admin"
MAX_BYTES = 5 * 1024 * 1024
VORLAGE = "admin/catalog/import.html"


class ImportForm(forms.Form):
    datei = forms.FileField(
        label=_("Datei (CSV oder XLSX)"),
        help_text=_("Erste Zeile: die Spaltennamen. CSV in UTF-8, getrennt durch Komma oder Semikolon."),
    )


def _export_response(modeladmin, queryset, art: str):
    fmt = FORMATE[modeladmin.model]
    verweise = {f.removesuffix("_id") for f in fmt.schluesselfelder}
    if fmt.model is Umsetzungsstand:
        verweise.add("efa_anbieter")
    queryset = queryset.select_related(*verweise)
    name = f"{modeladmin.model._meta.model_name}-{timezone.localdate():%Y-%m-%d}.{art}"
    spalten = fmt.export_spalten
    zeilen = (list(map(fmt.export(obj).get, spalten)) for obj in queryset.iterator(chunk_size=2000))
    if art == "xlsx":
        return xlsx_response(name, spalten, zeilen)
    # Editors open it in a spreadsheet and import it again: German Excel, which the import reads back.
    return csv_response(name, spalten, zeilen, DEUTSCHES_EXCEL)


class ImportAdminMixin(ImportRouteMixin):
    """Adds "Importieren" (with preview, ``catalog.importers.verwaltung``) and export actions in the import format."""

    actions = ["als_csv_exportieren", "als_xlsx_exportieren"]

    @admin.action(description=_("Ausgewählte als CSV exportieren (Importformat)"), permissions=["view"])
    def als_csv_exportieren(self, request, queryset):
        return _export_response(self, queryset, "csv")

    @admin.action(description=_("Ausgewählte als XLSX exportieren (Importformat)"), permissions=["view"])
    def als_xlsx_exportieren(self, request, queryset):
        return _export_response(self, queryset, "xlsx")

    def darf_importieren(self, request) -> bool:
        return self.has_add_permission(request) or self.has_change_permission(request)

    def import_view(self, request):
        if not self.darf_importieren(request):
            raise PermissionDenied
        fmt = FORMATE[self.model]
        opts = self.model._meta
        kontext = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": _("%(name)s importieren") % {"name": opts.verbose_name_plural},
            "spalten": fmt.spalten,
            "pflicht": fmt.pflicht,
            "form": ImportForm(),
        }
        if request.method == "POST" and "bestaetigt" in request.POST:
            return self._bestaetigen(request, fmt, kontext)
        if request.method == "POST":
            return self._vorschau(request, fmt, kontext)
        return TemplateResponse(request, VORLAGE, kontext)

    def _vorschau(self, request, fmt, kontext):
        """Check the uploaded file; show what would change and park the file until the confirmation."""
        form = ImportForm(request.POST, request.FILES)
        kontext["form"] = form
        if not form.is_valid():
            return TemplateResponse(request, VORLAGE, kontext)
        datei = form.cleaned_data["datei"]
        if datei.size > MAX_BYTES:
            form.add_error("datei", _("Die Datei ist größer als 5 MB."))
            return TemplateResponse(request, VORLAGE, kontext, status=400)
        daten = datei.read()
        plan, fehler = plane_import(fmt, request.user, datei.name, daten)
        if fehler:
            kontext["fehler"] = fehler
            return TemplateResponse(request, VORLAGE, kontext, status=400)
        paket = {"user": request.user.pk, "name": datei.name, "ablage": datei_ablegen(datei.name, daten)}
        kontext.update(
            {
                "vorschau": [z for z in plan if z.art != "unverändert"],
                "zahlen": {art: sum(1 for z in plan if z.art == art) for art in ("neu", "geändert", "unverändert")},
                "dateiname": datei.name,
                "paket": signing.dumps(paket, salt=SIGNING_SALT),
            }
        )
        return TemplateResponse(request, VORLAGE, kontext)

    def _bestaetigen(self, request, fmt, kontext):
        """Write the previewed file, checked again: the data may have changed since the preview."""
        datei = bestaetigte_datei(request, SIGNING_SALT)
        if datei is None:
            return redirect(request.path)
        name, daten, ablage = datei
        plan, fehler = plane_import(fmt, request.user, name, daten)
        if fehler:
            kontext["fehler"] = fehler
            return TemplateResponse(request, VORLAGE, kontext, status=400)
        zahlen = fuehre_import_aus(fmt, plan, request.user, name)
        default_storage.delete(ablage)
        messages.success(
            request,
            _("Import von %(name)s: %(neu)s neu, %(geändert)s geändert, %(unverändert)s unverändert.")
            % {"name": name, **zahlen},
        )
        opts = self.model._meta
        return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))


# --- Data of the Länder and Kommunen -----------------------------------------------------------------
class RegionalAdmin(BereichFestMixin, ImportAdminMixin, RedaktionAdmin):
    """Zuständigkeit and Umsetzungsstand: a Land-Redaktion sees and edits only its Land (and its Kommunen)."""

    #: The field naming the Land or Kommune a row belongs to; its choices are narrowed to the user's area.
    bereichsfeld = "land"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "land" and not ist_fitko(request.user):
            kwargs["queryset"] = Gebietskoerperschaft.objects.filter(pk__in=laender_von(request.user))
        if db_field.name == "kommune" and not ist_fitko(request.user):
            user = request.user
            kwargs["queryset"] = Gebietskoerperschaft.objects.kommunen().filter(
                Q(pk__in=kommunen_von(user)) | Q(land__in=laender_von(user))
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description=_("Stand der Auswahl auf heute setzen"), permissions=["change"])
    def stand_heute(self, request, queryset):
        heute = timezone.localdate()
        objs = [o for o in queryset if request.user.has_perm(self._perm("change"), o)]
        for obj in objs:
            obj.stand = heute
        with aenderung_wie("bulk"):
            bulk_schreiben(
                self.model,
                geaendert=objs,
                felder=["stand"],
                user=request.user,
                grund=str(_("Sammelaktion: Stand auf heute")),
            )
        messages.success(
            request, _("%(n)s Einträge haben jetzt den Stand %(datum)s.") % {"n": len(objs), "datum": heute}
        )


@admin.register(Zustaendigkeit)
class ZustaendigkeitAdmin(RegionalAdmin):
    list_display = ["leistung", "land", "leika_leistung", "ebene", "rechtsgrundlage", "geaendert_am"]
    list_filter = ["ebene", "land", "leistung__lage__themenfeld"]
    search_fields = ["=leistung__ozg_id", "leistung__name", "=leika_leistung__schluessel", "rechtsgrundlage"]
    list_select_related = ["leistung", "land", "leika_leistung"]
    autocomplete_fields = ["leistung", "leika_leistung"]
    readonly_fields = ["geaendert_am"]
    date_hierarchy = "geaendert_am"
    fieldsets = [
        (None, {"fields": ["land", "leistung", "leika_leistung"]}),
        (_("Zuständigkeit"), {"fields": ["ebene", "rechtsgrundlage", "bemerkung", "geaendert_am"]}),
    ]


@admin.register(Umsetzungsstand)
class UmsetzungsstandAdmin(RegionalAdmin):
    list_display = ["leistung", "land", "status", "reifegradmodell", "reifegrad", "efa_anbieter", "stand"]
    list_filter = ["status", "reifegradmodell", "reifegrad", "land", "efa_anbieter", "leistung__lage__themenfeld"]
    search_fields = ["=leistung__ozg_id", "leistung__name", "online_url"]
    list_select_related = ["leistung", "land", "efa_anbieter"]
    autocomplete_fields = ["leistung"]
    date_hierarchy = "stand"
    actions = [*RegionalAdmin.actions, "stand_heute"]
    fieldsets = [
        (None, {"fields": ["land", "leistung"]}),
        (_("Stand"), {"fields": ["status", "reifegradmodell", "reifegrad", "stand"]}),
        (_("Online-Dienst"), {"fields": ["efa_anbieter", "online_url", "bemerkung"]}),
    ]


@admin.register(KommunaleUmsetzung)
class KommunaleUmsetzungAdmin(RegionalAdmin):
    bereichsfeld = "kommune"
    list_display = ["kommune", "land", "leistung", "status", "geplant_bis", "stand", "synthetisch"]
    list_filter = ["status", "synthetisch", "kommune__land", "kommune__ebene"]
    search_fields = ["=kommune__ars", "=kommune__ags", "kommune__name", "=leistung__ozg_id", "leistung__name"]
    list_select_related = ["kommune__land", "leistung"]
    autocomplete_fields = ["kommune", "leistung"]
    date_hierarchy = "stand"
    actions = [*RegionalAdmin.actions, "stand_heute"]
    # Set only by `generate_synthetic`: an editor must not pass real rows off as test data, or the reverse.
    readonly_fields = ["synthetisch"]
    fieldsets = [
        (None, {"fields": ["kommune", "leistung"]}),
        (_("Stand"), {"fields": ["status", "geplant_bis", "online_url", "stand", "synthetisch"]}),
    ]

    @admin.display(description=_("Land"), ordering="kommune__land__ars")
    def land(self, obj):
        return obj.kommune.land
