"""CSV/XLSX import of Zuständigkeit and Umsetzungsstand (per Land and per Kommune) in the admin: plan, then write.

The same rules as every import of the portal (``core.importers``): the whole file is read and checked
first; any problem (wrong value, unknown key, a row outside the editor's area) is named with file, line,
column and value, and nothing is written. A clean file gives a plan of what will change (new, changed with
before → after, unchanged); only the confirmation writes it, in one transaction, recording every row in the
history and the change log (``core.aenderungen.bulk_schreiben``) with the editor and the file name.
An import never deletes rows. The formats are in ``formate.py``, the admin page in ``catalog/admin.py``.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from core.aenderungen import bulk_schreiben
from core.importers import Fehler, Fehlerliste, lese_tabelle

from .formate import SPALTE, ImportFormat, Nachschlag


@dataclass
class Zeile:
    """One row of the file as it will be written: the model instance and what changes."""

    nummer: int
    obj: object
    art: str  # "neu", "geändert", "unverändert"
    aenderungen: list[tuple[str, str, str]] = field(default_factory=list)  # (Feld, vorher, nachher)


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


def plane_import(fmt: ImportFormat, user, name: str, daten: bytes) -> tuple[list[Zeile], list[Fehler]]:
    """Read and check the whole file; return the planned rows, or the errors (then nothing may be written)."""
    fehler: list[Fehler] = []
    zeilen = lese_tabelle(name, daten, fmt.pflicht, fehler)
    liste = Fehlerliste(Path(name).name, fehler)
    if not zeilen and not fehler:
        liste.add(None, None, None, "die Datei enthält keine Zeilen")
    gelesen = _werte_der_zeilen(fmt, zeilen, liste)
    return _mit_bestand_verglichen(fmt, gelesen, user, liste), fehler


def _werte_der_zeilen(fmt: ImportFormat, zeilen, liste: Fehlerliste) -> list[tuple[int, dict, dict]]:
    """Pass 1: every row to field values; duplicates within the file. (line, row, values) of the clean rows."""
    # Optional columns may be left out of the file; their fields then stay as they are.
    vorhanden = set(zeilen[0][1]) if zeilen else set()
    nachschlag = Nachschlag()
    gelesen: list[tuple[int, dict, dict]] = []
    gesehen: dict[tuple, int] = {}
    for nummer, row in zeilen:
        vorher = len(liste.fehler)
        werte = fmt.werte(liste, nummer, row, nachschlag)
        if len(liste.fehler) > vorher:
            continue
        werte = {f: w for f, w in werte.items() if SPALTE.get(f, f) in vorhanden}
        schluessel = tuple(werte.get(k) for k in fmt.schluesselfelder)
        if schluessel in gesehen:
            liste.add(nummer, None, None, f"doppelt: dieselbe Angabe steht schon in Zeile {gesehen[schluessel]}")
            continue
        gesehen[schluessel] = nummer
        gelesen.append((nummer, row, werte))
    return gelesen


def _mit_bestand_verglichen(fmt: ImportFormat, gelesen, user, liste: Fehlerliste) -> list[Zeile]:
    """Pass 2: compare with the rows in the database, validate fields, ask the rules for each object."""
    model = fmt.model
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
        if not _gueltig(obj, werte, nummer, row, liste):
            continue
        aktion = "add" if alt is None else "change"
        if not user.has_perm(f"{app}.{aktion}_{modelname}", obj):
            liste.add(nummer, None, None, "gehört nicht zu Ihrem Bereich (anderes Land oder andere Kommune)")
            continue
        aenderungen = [(_feldname(model, f), _anzeige(alt, f), _anzeige(obj, f)) for f in geaendert]
        art = "neu" if alt is None else ("geändert" if geaendert else "unverändert")
        plan.append(Zeile(nummer, obj, art, aenderungen))
    return plan


def _gueltig(obj, werte: dict, nummer: int, row: dict, liste: Fehlerliste) -> bool:
    """Keys were resolved before; validate the plain fields (URL, lengths, choices) without queries."""
    pruefen = {f for f in werte if not f.endswith("_id")}
    try:
        obj.full_clean(
            exclude=[f.name for f in obj._meta.concrete_fields if f.name not in pruefen],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for feld, meldungen in exc.message_dict.items():
            spalte = None if feld == "__all__" else feld
            liste.add(nummer, spalte, row.get(spalte or ""), " ".join(meldungen))
        return False
    return True


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
