"""CSV/XLSX import of Zuständigkeit and Umsetzungsstand (per Land and per Kommune) in the admin, with preview.

The same rules as every import of the portal (``core.importing``): the whole file is read and checked
first; any problem (wrong value, unknown key, a row outside the editor's area) is named with file, line,
column and value, and nothing is written. A clean file shows a preview of what will change (new, changed with
before → after, unchanged); only the confirmation writes, in one transaction, recording every row in the
history (``bulk_create_with_history`` / ``bulk_update_with_history``) with the editor and the file name.
An import never deletes rows. The export actions write the same format, so editors can export, edit, import.
"""

import csv
import datetime
import io
import tempfile
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpyxl import load_workbook

from core.aenderungen import bulk_schreiben
from core.exports import DEUTSCHES_EXCEL, csv_response, xlsx_response, zurueck_entschaerfen
from core.importing import Fehler, Fehlerliste, read_csv

from ..choices import KUERZEL_LAND, LAND_KUERZEL, Anschlussstatus, Reifegradmodell, UmsetzungsStatus, VollzugsEbene
from ..models import Gebietskoerperschaft, KommunaleUmsetzung, LeikaLeistung, Leistung, Umsetzungsstand, Zustaendigkeit

SIGNING_SALT = "catalog.imports_admin"
MAX_BYTES = 5 * 1024 * 1024
# Between preview and confirmation the uploaded file waits in the default storage (MEDIA_ROOT, a volume all web
# nodes share), not in the form: a 5 MB XLSX hex-encoded in a hidden field broke the confirmation. The signed
# form value names the file; files older than the preview's validity are removed.
AUSSTEHEND = "importe-ausstehend"
GUELTIG_SEKUNDEN = 3600


def _ablegen(name: str, daten: bytes) -> str:
    _aufraeumen()
    return default_storage.save(f"{AUSSTEHEND}/{uuid.uuid4().hex}{Path(name).suffix.lower()}", ContentFile(daten))


def _abholen(ablage: str) -> bytes | None:
    if not ablage.startswith(f"{AUSSTEHEND}/") or not default_storage.exists(ablage):
        return None
    with default_storage.open(ablage, "rb") as f:
        return f.read()


def _aufraeumen() -> None:
    grenze = timezone.now() - datetime.timedelta(seconds=GUELTIG_SEKUNDEN)
    try:
        _ordner, dateien = default_storage.listdir(AUSSTEHEND)
    except FileNotFoundError:
        return
    for datei in dateien:
        pfad = f"{AUSSTEHEND}/{datei}"
        try:
            if default_storage.get_modified_time(pfad) < grenze:
                default_storage.delete(pfad)
        except FileNotFoundError:
            pass  # another node cleaned up first


# --- Reading a file: CSV (comma or semicolon, as Excel writes it) or XLSX ------------------------------
def _zelle(wert) -> str:
    if wert is None:
        return ""
    if isinstance(wert, datetime.datetime):
        return wert.date().isoformat()
    if isinstance(wert, datetime.date):
        return wert.isoformat()
    if isinstance(wert, float | Decimal) and wert == int(wert):
        return str(int(wert))
    return str(wert).strip()


def lese_datei(name: str, daten: bytes, spalten: list[str], fehler: list[Fehler]) -> list[tuple[int, dict]]:
    """(line, row) of an uploaded CSV or XLSX file whose header has at least ``spalten``.

    Cells the portal's own export defused (``'=…``) come back as written, so export → import is lossless.
    """
    return [
        (nummer, {k: zurueck_entschaerfen(v) if isinstance(v, str) else v for k, v in zeile.items()})
        for nummer, zeile in _lese_datei(name, daten, spalten, fehler)
    ]


def _lese_datei(name: str, daten: bytes, spalten: list[str], fehler: list[Fehler]) -> list[tuple[int, dict]]:
    if name.lower().endswith(".xlsx"):
        try:
            blatt = load_workbook(io.BytesIO(daten), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            fehler.append(Fehler(name, None, None, None, f"keine lesbare XLSX-Datei ({type(exc).__name__})"))
            return []
        zeilen = blatt.iter_rows(values_only=True)
        kopf = [_zelle(w) for w in next(zeilen, ())]
        fehlend = [s for s in spalten if s not in kopf]
        if fehlend:
            fehler.append(Fehler(name, 1, None, None, f"Spalten fehlen in der Kopfzeile: {', '.join(fehlend)}"))
            return []
        ergebnis = []
        for nummer, werte in enumerate(zeilen, start=2):
            zellen = [_zelle(w) for w in werte]
            if any(zellen):
                ergebnis.append((nummer, dict(zip(kopf, zellen, strict=False))))
        return ergebnis
    if not name.lower().endswith(".csv"):
        fehler.append(Fehler(name, None, None, None, "nur CSV- oder XLSX-Dateien"))
        return []
    try:
        text = daten.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        fehler.append(Fehler(name, None, None, None, f"keine gültige UTF-8-Datei (Byte {exc.start})"))
        return []
    erste = text.split("\n", 1)[0]
    if erste.count(";") > erste.count(","):
        # Excel in German writes semicolons; read_csv expects commas.
        puffer = io.StringIO(newline="")
        csv.writer(puffer).writerows(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        text = puffer.getvalue()
    with tempfile.TemporaryDirectory() as ordner:
        datei = Path(ordner) / Path(name).name
        datei.write_text(text, encoding="utf-8")
        return list(read_csv(datei, spalten, fehler))


# --- Formats -----------------------------------------------------------------------------------------
@dataclass
class Zeile:
    """One row of the file as it will be written: the model instance and what changes."""

    nummer: int
    obj: object
    art: str  # "neu", "geändert", "unverändert"
    aenderungen: list[tuple[str, str, str]] = field(default_factory=list)  # (Feld, vorher, nachher)


class Nachschlag:
    """Lookups of keys to primary keys, loaded once per import."""

    def __init__(self):
        self.laender = dict(Gebietskoerperschaft.objects.laender().values_list("ars", "pk"))
        self.leistungen = dict(Leistung.objects.values_list("ozg_id", "pk"))
        self._kommunen: dict[str, int | None] = {}

    def land(self, wert: str):
        wert = wert.strip().upper()
        return self.laender.get(KUERZEL_LAND.get(wert, wert))

    def kommune(self, wert: str):
        wert = wert.strip()
        if not wert.isdigit():
            return None
        if wert not in self._kommunen:
            self._kommunen[wert] = (
                Gebietskoerperschaft.objects.kommunen().by_schluessel(wert).values_list("pk", flat=True).first()
            )
        return self._kommunen[wert]


def _wahl(liste, nummer, row, spalte, choices, pflicht=True, standard=""):
    """A choice given by value or by its German label, case-insensitive."""
    roh = row.get(spalte, "").strip()
    if not roh:
        if pflicht:
            liste.add(nummer, spalte, roh, "Pflichtangabe fehlt")
        return standard
    for wert, label in choices.choices:
        if roh.lower() in (str(wert).lower(), str(label).lower()):
            return wert
    liste.add(nummer, spalte, roh, f"erlaubt: {', '.join(str(w) for w in choices.values)}")
    return standard


def _datum(liste, nummer, row, spalte, pflicht=True):
    roh = row.get(spalte, "").strip()
    if not roh:
        if pflicht:
            liste.add(nummer, spalte, roh, "Pflichtangabe fehlt")
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(roh, fmt).date()
        except ValueError:
            continue
    liste.add(nummer, spalte, roh, "kein Datum (JJJJ-MM-TT oder TT.MM.JJJJ)")
    return None


def _leistung(liste, nummer, row, nachschlag):
    roh = row.get("ozg_id", "").strip()
    pk = nachschlag.leistungen.get(int(roh)) if roh.isdigit() else None
    if pk is None:
        liste.add(nummer, "ozg_id", roh, "keine OZG-ID des Katalogs" if roh else "Pflichtangabe fehlt")
    return pk


def _land(liste, nummer, row, nachschlag, spalte="land", pflicht=True):
    roh = row.get(spalte, "").strip()
    if not roh and not pflicht:
        return None
    pk = nachschlag.land(roh)
    if pk is None:
        liste.add(
            nummer, spalte, roh, "kein Land (Kürzel wie SH oder Schlüssel wie 01)" if roh else "Pflichtangabe fehlt"
        )
    return pk


class ImportFormat:
    """What one model's file looks like, how a row becomes field values, and how an object becomes a row."""

    model = None
    spalten: list[str] = []
    pflicht: list[str] = []
    schluesselfelder: list[str] = []

    def werte(self, liste, nummer, row, nachschlag) -> dict:
        raise NotImplementedError

    def export(self, obj) -> dict:
        raise NotImplementedError

    def vor_dem_speichern(self, obj):
        """Fields the database would fill in on save(), which bulk_update leaves alone."""


class ZustaendigkeitFormat(ImportFormat):
    model = Zustaendigkeit
    spalten = ["land", "ozg_id", "leika_schluessel", "ebene", "rechtsgrundlage", "bemerkung"]
    pflicht = ["land", "ozg_id", "ebene"]
    schluesselfelder = ["land_id", "leistung_id", "leika_leistung_id"]

    def werte(self, liste, nummer, row, nachschlag):
        leistung_id = _leistung(liste, nummer, row, nachschlag)
        leika_id = None
        schluessel = row.get("leika_schluessel", "").strip()
        if schluessel and leistung_id:
            leika_id = (
                LeikaLeistung.objects.filter(schluessel=schluessel, leistung_id=leistung_id)
                .values_list("pk", flat=True)
                .first()
            )
            if leika_id is None:
                liste.add(nummer, "leika_schluessel", schluessel, "keine LeiKa-Leistung dieser OZG-Leistung")
        return {
            "land_id": _land(liste, nummer, row, nachschlag),
            "leistung_id": leistung_id,
            "leika_leistung_id": leika_id,
            "ebene": _wahl(liste, nummer, row, "ebene", VollzugsEbene),
            "rechtsgrundlage": row.get("rechtsgrundlage", "").strip(),
            "bemerkung": row.get("bemerkung", "").strip(),
        }

    def export(self, obj):
        return {
            "land": obj.land.land_kuerzel,
            "ozg_id": obj.leistung.ozg_id,
            "leika_schluessel": obj.leika_leistung.schluessel if obj.leika_leistung_id else "",
            "ebene": obj.ebene,
            "rechtsgrundlage": obj.rechtsgrundlage,
            "bemerkung": obj.bemerkung,
        }

    def vor_dem_speichern(self, obj):
        obj.geaendert_am = timezone.now()


class UmsetzungsstandFormat(ImportFormat):
    model = Umsetzungsstand
    spalten = [
        "land",
        "ozg_id",
        "status",
        "reifegradmodell",
        "reifegrad",
        "efa_anbieter",
        "online_url",
        "stand",
        "bemerkung",
    ]
    pflicht = ["land", "ozg_id", "status", "stand"]
    schluesselfelder = ["land_id", "leistung_id"]

    def werte(self, liste, nummer, row, nachschlag):
        modell = _wahl(liste, nummer, row, "reifegradmodell", Reifegradmodell, False, Reifegradmodell.V1_1)
        roh = row.get("reifegrad", "").strip()
        reifegrad = None
        if roh:
            hoechstens = 4 if modell == Reifegradmodell.V1_1 else 7
            if roh.isdigit() and int(roh) <= hoechstens:
                reifegrad = int(roh)
            else:
                liste.add(nummer, "reifegrad", roh, f"Stufe 0–{hoechstens} im Reifegradmodell {modell}")
        return {
            "land_id": _land(liste, nummer, row, nachschlag),
            "leistung_id": _leistung(liste, nummer, row, nachschlag),
            "status": _wahl(liste, nummer, row, "status", UmsetzungsStatus),
            "reifegradmodell": modell,
            "reifegrad": reifegrad,
            "efa_anbieter_id": _land(liste, nummer, row, nachschlag, "efa_anbieter", pflicht=False),
            "online_url": row.get("online_url", "").strip(),
            "stand": _datum(liste, nummer, row, "stand"),
            "bemerkung": row.get("bemerkung", "").strip(),
        }

    def export(self, obj):
        return {
            "land": obj.land.land_kuerzel,
            "ozg_id": obj.leistung.ozg_id,
            "status": obj.status,
            "reifegradmodell": obj.reifegradmodell,
            "reifegrad": "" if obj.reifegrad is None else obj.reifegrad,
            "efa_anbieter": LAND_KUERZEL.get(obj.efa_anbieter.ars, "") if obj.efa_anbieter_id else "",
            "online_url": obj.online_url,
            "stand": obj.stand.isoformat(),
            "bemerkung": obj.bemerkung,
        }


class KommunaleUmsetzungFormat(ImportFormat):
    model = KommunaleUmsetzung
    spalten = ["kommune", "ozg_id", "status", "geplant_bis", "online_url", "stand"]
    pflicht = ["kommune", "ozg_id", "status", "stand"]
    schluesselfelder = ["kommune_id", "leistung_id"]

    def werte(self, liste, nummer, row, nachschlag):
        roh = row.get("kommune", "").strip()
        kommune_id = nachschlag.kommune(roh)
        if kommune_id is None:
            liste.add(
                nummer,
                "kommune",
                roh,
                "keine Kommune (AGS mit 8 oder Regionalschlüssel mit 5, 9, 12 Ziffern)"
                if roh
                else "Pflichtangabe fehlt",
            )
        status = _wahl(liste, nummer, row, "status", Anschlussstatus)
        geplant_bis = _datum(liste, nummer, row, "geplant_bis", pflicht=False)
        if geplant_bis and status != Anschlussstatus.GEPLANT:
            liste.add(nummer, "geplant_bis", row["geplant_bis"], "ein Datum „geplant bis“ nur beim Status „geplant“")
        return {
            "kommune_id": kommune_id,
            "leistung_id": _leistung(liste, nummer, row, nachschlag),
            "status": status,
            "geplant_bis": geplant_bis,
            "online_url": row.get("online_url", "").strip(),
            "stand": _datum(liste, nummer, row, "stand"),
        }

    def export(self, obj):
        return {
            "kommune": obj.kommune.schluessel,
            "ozg_id": obj.leistung.ozg_id,
            "status": obj.status,
            "geplant_bis": obj.geplant_bis.isoformat() if obj.geplant_bis else "",
            "online_url": obj.online_url,
            "stand": obj.stand.isoformat(),
        }


#: Field → column of the file, where they differ.
SPALTE = {
    "land_id": "land",
    "leistung_id": "ozg_id",
    "leika_leistung_id": "leika_schluessel",
    "kommune_id": "kommune",
    "efa_anbieter_id": "efa_anbieter",
}

FORMATE = {f.model: f() for f in (ZustaendigkeitFormat, UmsetzungsstandFormat, KommunaleUmsetzungFormat)}


def _anzeige(obj, feld: str) -> str:
    wert = getattr(obj, feld)
    if wert is None or wert == "":
        return "–"
    if feld.endswith("_id"):
        return str(getattr(obj, feld[:-3]))
    display = getattr(obj, f"get_{feld}_display", None)
    return str(display()) if display else str(wert)


def _feldname(model, feld: str) -> str:
    return str(model._meta.get_field(feld.removesuffix("_id")).verbose_name)


# --- Planning and writing ----------------------------------------------------------------------------
def plane_import(fmt: ImportFormat, user, name: str, daten: bytes) -> tuple[list[Zeile], list[Fehler]]:
    """Read and check the whole file; return the planned rows, or the errors (then nothing may be written)."""
    model = fmt.model
    fehler: list[Fehler] = []
    zeilen = lese_datei(name, daten, fmt.pflicht, fehler)
    # Optional columns may be left out of the file; their fields then stay as they are.
    vorhanden = set(zeilen[0][1]) if zeilen else set()
    liste = Fehlerliste(Path(name).name, fehler)
    if not zeilen and not fehler:
        liste.add(None, None, None, "die Datei enthält keine Zeilen")
    nachschlag = Nachschlag()

    # Pass 1: every row to field values; duplicates within the file.
    gelesen: list[tuple[int, dict, dict]] = []
    gesehen: dict[tuple, int] = {}
    for nummer, row in zeilen:
        vorher = len(fehler)
        werte = fmt.werte(liste, nummer, row, nachschlag)
        if len(fehler) > vorher:
            continue
        werte = {f: w for f, w in werte.items() if SPALTE.get(f, f) in vorhanden}
        schluessel = tuple(werte.get(k) for k in fmt.schluesselfelder)
        if schluessel in gesehen:
            liste.add(nummer, None, None, f"doppelt: dieselbe Angabe steht schon in Zeile {gesehen[schluessel]}")
            continue
        gesehen[schluessel] = nummer
        gelesen.append((nummer, row, werte))

    # Pass 2: compare with the rows in the database, validate fields, ask the rules for each object.
    erstes = fmt.schluesselfelder[0]
    bestand = {
        tuple(getattr(o, k) for k in fmt.schluesselfelder): o
        for o in model.objects.filter(
            **{
                f"{erstes}__in": {w[erstes] for _, _, w in gelesen},
                "leistung_id__in": {w["leistung_id"] for _, _, w in gelesen},
            }
        )
    }
    alle_felder = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    app, modelname = model._meta.app_label, model._meta.model_name
    plan: list[Zeile] = []
    for nummer, row, werte in gelesen:
        alt = bestand.get(tuple(werte.get(k) for k in fmt.schluesselfelder))
        if alt is None:
            obj, geaendert = model(**werte), []
        else:
            obj = model(pk=alt.pk, **{f: getattr(alt, f) for f in alle_felder})
            obj._state.adding = False
            geaendert = [f for f, wert in werte.items() if getattr(alt, f) != wert]
            for f in geaendert:
                setattr(obj, f, werte[f])
        # Keys were resolved above; validate the plain fields (URL, lengths, choices) without queries.
        pruefen = {f for f in werte if not f.endswith("_id")}
        try:
            obj.full_clean(
                exclude=[f.name for f in model._meta.concrete_fields if f.name not in pruefen],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for feld, meldungen in exc.message_dict.items():
                spalte = None if feld == "__all__" else feld
                liste.add(nummer, spalte, row.get(spalte or "", None), " ".join(meldungen))
            continue
        aktion = "add" if alt is None else "change"
        if not user.has_perm(f"{app}.{aktion}_{modelname}", obj):
            liste.add(nummer, None, None, "gehört nicht zu Ihrem Bereich (anderes Land oder andere Kommune)")
            continue
        aenderungen = [(_feldname(model, f), _anzeige(alt, f), _anzeige(obj, f)) for f in geaendert]
        art = "neu" if alt is None else ("geändert" if geaendert else "unverändert")
        plan.append(Zeile(nummer, obj, art, aenderungen))
    return plan, fehler


@transaction.atomic
def fuehre_import_aus(fmt: ImportFormat, plan: list[Zeile], user, name: str) -> dict[str, int]:
    """Write the planned rows in one transaction, each recorded in the history with user and file name."""
    grund = f"Import {Path(name).name}"
    neu = [z.obj for z in plan if z.art == "neu"]
    geaendert = [z.obj for z in plan if z.art == "geändert"]
    for obj in neu + geaendert:
        fmt.vor_dem_speichern(obj)
    felder = [f.name for f in fmt.model._meta.concrete_fields if not f.primary_key]
    # Rows, history and change-log entries in one call (core.aenderungen): every consumer hears of the import.
    bulk_schreiben(fmt.model, neu, geaendert, felder, user=user, grund=grund)
    return {"neu": len(neu), "geändert": len(geaendert), "unverändert": len(plan) - len(neu) - len(geaendert)}


# --- Admin -------------------------------------------------------------------------------------------
class ImportForm(forms.Form):
    datei = forms.FileField(
        label=_("Datei (CSV oder XLSX)"),
        help_text=_("Erste Zeile: die Spaltennamen. CSV in UTF-8, getrennt durch Komma oder Semikolon."),
    )


def _export_antwort(modeladmin, queryset, art: str):
    fmt = FORMATE[modeladmin.model]
    verweise = {f.removesuffix("_id") for f in fmt.schluesselfelder}
    if fmt.model is Umsetzungsstand:
        verweise.add("efa_anbieter")
    queryset = queryset.select_related(*verweise)
    name = f"{modeladmin.model._meta.model_name}-{timezone.localdate():%Y-%m-%d}.{art}"
    zeilen = (list(map(fmt.export(obj).get, fmt.spalten)) for obj in queryset.iterator(chunk_size=2000))
    if art == "xlsx":
        return xlsx_response(name, fmt.spalten, zeilen)
    # Editors open it in a spreadsheet and import it again: German Excel, which the import reads back.
    return csv_response(name, fmt.spalten, zeilen, DEUTSCHES_EXCEL)


class ImportAdminMixin:
    """Adds "Importieren" (with preview) to the changelist and export actions in the import format."""

    change_list_template = "admin/catalog/import_change_list.html"
    actions = ["als_csv_exportieren", "als_xlsx_exportieren"]

    @admin.action(description=_("Ausgewählte als CSV exportieren (Importformat)"), permissions=["view"])
    def als_csv_exportieren(self, request, queryset):
        return _export_antwort(self, queryset, "csv")

    @admin.action(description=_("Ausgewählte als XLSX exportieren (Importformat)"), permissions=["view"])
    def als_xlsx_exportieren(self, request, queryset):
        return _export_antwort(self, queryset, "xlsx")

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "importieren/",
                self.admin_site.admin_view(self.import_view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "darf_importieren": self._darf_importieren(request)}
        return super().changelist_view(request, extra_context)

    def _darf_importieren(self, request) -> bool:
        return self.has_add_permission(request) or self.has_change_permission(request)

    def import_view(self, request):
        if not self._darf_importieren(request):
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
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

        if request.method == "POST" and "bestaetigt" in request.POST:
            try:
                paket = signing.loads(request.POST["paket"], salt=SIGNING_SALT, max_age=GUELTIG_SEKUNDEN)
            except signing.BadSignature:
                messages.error(request, _("Die Vorschau ist abgelaufen oder ungültig. Bitte die Datei erneut wählen."))
                return redirect(request.path)
            if paket["user"] != request.user.pk:
                raise PermissionDenied
            name, daten = paket["name"], _abholen(paket["ablage"])
            if daten is None:
                messages.error(request, _("Die Vorschau ist abgelaufen oder ungültig. Bitte die Datei erneut wählen."))
                return redirect(request.path)
            # Check again: the data may have changed since the preview.
            plan, fehler = plane_import(fmt, request.user, name, daten)
            if not fehler:
                zahlen = fuehre_import_aus(fmt, plan, request.user, name)
                default_storage.delete(paket["ablage"])
                messages.success(
                    request,
                    _("Import von %(name)s: %(neu)s neu, %(geändert)s geändert, %(unverändert)s unverändert.")
                    % {"name": name, **zahlen},
                )
                return redirect(changelist)
            kontext["fehler"] = fehler
            return TemplateResponse(request, "admin/catalog/import.html", kontext, status=400)

        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            kontext["form"] = form
            if form.is_valid():
                datei = form.cleaned_data["datei"]
                if datei.size > MAX_BYTES:
                    form.add_error("datei", _("Die Datei ist größer als 5 MB."))
                    return TemplateResponse(request, "admin/catalog/import.html", kontext, status=400)
                daten = datei.read()
                plan, fehler = plane_import(fmt, request.user, datei.name, daten)
                if fehler:
                    kontext["fehler"] = fehler
                    return TemplateResponse(request, "admin/catalog/import.html", kontext, status=400)
                kontext.update(
                    {
                        "vorschau": [z for z in plan if z.art != "unverändert"],
                        "zahlen": {
                            art: sum(1 for z in plan if z.art == art) for art in ("neu", "geändert", "unverändert")
                        },
                        "dateiname": datei.name,
                        "paket": signing.dumps(
                            {"user": request.user.pk, "name": datei.name, "ablage": _ablegen(datei.name, daten)},
                            salt=SIGNING_SALT,
                        ),
                    }
                )
        return TemplateResponse(request, "admin/catalog/import.html", kontext)
