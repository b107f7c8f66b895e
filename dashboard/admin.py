"""Imported federal rows in the admin, and the import of a federal file with preview for the Redaktionen.

Who may import: FITKO-Redaktion everything; a Land-Redaktion rows of its Land and the Kommunen in it; a
Kommune-Redaktion rows of its Kommune (the same areas as ``redaktion.rules``). A row outside the area is named like
any other bad row, and nothing is written. The file is checked, a preview counts what would change, and only the
confirmation writes (``dashboard.importers``: one transaction, history with the editor and the file name).
"""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from simple_history.admin import SimpleHistoryAdmin

from catalog.models import Gebietskoerperschaft
from core.importers import ImportFehler
from redaktion import rules as regeln
from redaktion.admin import ImportRouteMixin, RedaktionAdminMixin, bestaetigte_datei, datei_ablegen

from . import importers
from .choices import SPALTEN
from .models import Onlinedienst

SIGNING_SALT = "dashboard.admin.import"
MAX_BYTES = 5 * 1024 * 1024


def _darf_pflegen(user) -> bool:
    """Editors of Umsetzungsstände (any role that may add one) may import federal rows in their area."""
    return user.is_active and (
        regeln.ist_fitko(user)
        or user.has_perm("catalog.add_kommunaleumsetzung")
        or user.has_perm("catalog.add_umsetzungsstand")
    )


def bereich_von(user):
    """Predicate (ort_pk or None for the Bund, art) → may ``user`` write a row stored there? None: no limit."""
    if regeln.ist_fitko(user):
        return None
    laender, kommunen = regeln.laender_von(user), regeln.kommunen_von(user)
    erlaubt = set(laender) | set(kommunen)
    if laender:
        erlaubt |= set(Gebietskoerperschaft.objects.filter(land__in=laender).values_list("pk", flat=True))

    def darf(ort, art) -> bool:
        return ort is not None and ort in erlaubt

    return darf


class ImportForm(forms.Form):
    datei = forms.FileField(
        label=_("Datei (CSV, XLSX oder JSON des Bundesdashboards)"),
        help_text=_("CSV in UTF-8, getrennt durch Semikolon oder Komma; höchstens 5 MB."),
    )


@admin.register(Onlinedienst)
class OnlinedienstAdmin(ImportRouteMixin, RedaktionAdminMixin, SimpleHistoryAdmin):
    """Imported federal rows; written by the import (here or ``manage.py import_dashboard``), read with history.

    Viewing is the rules' ``dashboard.view_onlinedienst`` (``redaktion.rules``: FITKO and Lesend all rows, a Land-
    or Kommune-Redaktion the rows of its area, other rows 404), so ``has_perm`` and this admin agree.
    """

    list_display = ["gebiet", "leika", "leistung", "online_status", "aktiv", "art_flaechendeckung"]
    list_filter = ["online_status", "aktiv", "art_flaechendeckung"]
    list_select_related = ["gebiet", "leika", "leistung"]
    search_fields = ["gebiet__ars", "gebiet__name", "leika__schluessel", "leistung__name", "url"]
    raw_id_fields = ["gebiet", "leika", "leistung"]
    show_full_result_count = False

    # Rows change only through the import, so the ordinary add/change/delete forms are off.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Deleting (FITKO only) and viewing: the rules, through RedaktionAdminMixin, which also narrows the list.

    def darf_importieren(self, request) -> bool:
        return _darf_pflegen(request.user)

    def _planen(self, request, name: str, daten: bytes, *, schreiben: bool = False):
        """Check the file (the preview's plan), or check and write it; the file lives only for this call."""
        with tempfile.TemporaryDirectory(prefix="dashboard-import-") as ordner:
            pfad = Path(ordner) / Path(name).name
            pfad.write_bytes(daten)
            quellen = [(Path(name).name, pfad)]
            if schreiben:
                _, ergebnis = importers.importiere(
                    quellen, user=request.user, grund=f"Import {Path(name).name}", bereich=bereich_von(request.user)
                )
                return ergebnis
            return importers.plane(quellen, bereich_von(request.user))

    def import_view(self, request):
        if not _darf_pflegen(request.user):
            raise PermissionDenied
        opts = self.model._meta
        kontext = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": _("Zeilen des Bundesdashboards importieren"),
            "spalten": SPALTEN,
            "pflicht": ["ars", "leika_key oder ozgid", "online_status", "art_flaechendeckung"],
            "form": ImportForm(),
        }
        if request.method == "POST" and "bestaetigt" in request.POST:
            # The file waits on the server (as for the catalog's imports): the form carries only its signed name.
            datei = bestaetigte_datei(request, SIGNING_SALT)
            if datei is None:
                return redirect(request.path)
            name, daten, ablage = datei
            try:
                # Checked again: the data or the editor's area may have changed since the preview.
                ergebnis = self._planen(request, name, daten, schreiben=True)
            except ImportFehler as exc:
                kontext["fehler"] = exc.fehler
                return TemplateResponse(request, "admin/catalog/import.html", kontext, status=400)
            default_storage.delete(ablage)
            for zeile in ergebnis.zeilen():
                messages.success(request, zeile)
            return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            kontext["form"] = form
            if form.is_valid():
                datei = form.cleaned_data["datei"]
                if datei.size > MAX_BYTES:
                    form.add_error("datei", _("Die Datei ist größer als 5 MB."))
                    return TemplateResponse(request, "admin/catalog/import.html", kontext, status=400)
                daten = datei.read()
                try:
                    plan = self._planen(request, datei.name, daten)
                except ImportFehler as exc:
                    kontext["fehler"] = exc.fehler
                    return TemplateResponse(request, "admin/catalog/import.html", kontext, status=400)
                vorschau = importers.vergleiche(plan)
                summe = {
                    art: sum(z[art] for z in vorschau.zahlen.values()) for art in ("neu", "geändert", "unverändert")
                }
                for zeile in vorschau.zeilen():
                    messages.info(request, zeile)
                kontext.update(
                    {
                        "zahlen": summe,
                        "dateiname": datei.name,
                        "paket": signing.dumps(
                            {"user": request.user.pk, "name": datei.name, "ablage": datei_ablegen(datei.name, daten)},
                            salt=SIGNING_SALT,
                        ),
                    }
                )
        return TemplateResponse(request, "admin/catalog/import.html", kontext)
