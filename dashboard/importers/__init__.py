"""Import of the federal dashboard's format: CSV (``;`` or ``,``), XLSX, the JSON pages of ``GET /v1/data/{ars}``
or a URL of that endpoint.

Like every import of the portal (``core.importers``): the whole input is read and checked first; every bad
row is named with file, line, column and value and then nothing is written. A clean input is written in one
transaction with history and change-log entries; equal rows are left alone, so a second run changes nothing.
An import never deletes.

Mapping (README, "Bundesdashboard"): ``ars`` → Gebietskörperschaft (12 digits; 2/5/9-digit Regionalschlüssel and
the 8-digit AGS too), ``leika_key`` (else ``ozgid``) → LeiKa- and OZG-Leistung, ``art_flaechendeckung`` → where the
row is stored (Bund, Land, Kreis or the Kommune itself), ``aktiv`` → the portal's status.

The parts: ``quellen`` reads files and URLs, ``pruefen`` checks one row, ``schreiben`` stages the checked rows in
the database and compares and writes them set-based. Memory stays bounded by one batch of rows, whatever the file.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from core.importers import Fehler, Fehlerliste, ImportFehler

from .pruefen import Nachschlag, pruefe
from .quellen import AbrufFehler, datei_zeilen, seiten_laden
from .schreiben import Ergebnis, Staging, vergleichen_und_schreiben

__all__ = ["AbrufFehler", "Ergebnis", "ImportFehler", "Plan", "importiere", "plane", "schreibe", "seiten_laden"]

_PFLICHT = ("ars", "online_status", "art_flaechendeckung")


@dataclass
class Plan:
    """A checked input: its sources and scope, what it holds and what writing it would change."""

    quellen: list = field(default_factory=list)
    bereich: object = None
    zeilen: int = 0  # checked rows
    dienste: int = 0  # distinct Onlinedienste (place × LeiKa-Leistung)
    zusammengefasst: int = 0  # rows equal to an earlier one for the same place and Leistung
    vorschau: Ergebnis = field(default_factory=Ergebnis)


def _durchlauf(quellen, bereich, *, schreiben: bool, user=None, grund: str = "") -> Plan:
    """Check every source into the staging table, find contradictions, compare; write only if ``schreiben``.

    Runs in one transaction; on any error (or when only comparing) it is rolled back, staging table included.
    """
    plan = Plan(quellen=list(quellen), bereich=bereich)
    nachschlag = Nachschlag()
    fehler: list[Fehler] = []
    with transaction.atomic():
        staging = Staging()
        for quelle, (name, pfad) in enumerate(quellen):
            liste = Fehlerliste(name, fehler)
            erste, leer = True, True
            for nummer, row in datei_zeilen(pfad, liste, name):
                if erste:
                    fehlend = [s for s in _PFLICHT if s not in row]
                    if "leika_key" not in row and "ozgid" not in row:
                        fehlend.append("leika_key oder ozgid")
                    if fehlend:
                        liste.add(1, None, None, f"Spalten fehlen: {', '.join(fehlend)}")
                        break
                    erste = False
                leer = False
                zeile = pruefe(liste, nummer, row, nachschlag, bereich)
                if zeile is not None and not fehler:
                    staging.add(quelle, nummer, zeile)
            if leer and len(quellen) == 1 and not any(f.datei == name for f in fehler):
                liste.add(None, None, None, "die Datei enthält keine Zeilen")
        if not fehler:
            for quelle, zeile, erste_zeile in staging.widersprueche():
                fehler.append(
                    Fehler(
                        quellen[quelle][0],
                        zeile,
                        None,
                        None,
                        f"widerspricht Zeile {erste_zeile} (dieselbe Leistung am selben Ort)",
                    )
                )
        if fehler:
            raise ImportFehler(fehler)
        plan.zeilen = staging.anzahl
        plan.dienste = staging.dienste()
        plan.zusammengefasst = staging.anzahl - staging.eindeutig()
        plan.vorschau = vergleichen_und_schreiben(schreiben=schreiben, user=user, grund=grund)
        if not schreiben:
            transaction.set_rollback(True)
    return plan


def plane(quellen: list[tuple[str, Path]], bereich=None) -> Plan:
    """Check every source and count what writing would change; raises ImportFehler naming every bad row."""
    return _durchlauf(quellen, bereich, schreiben=False)


def vergleiche(plan: Plan) -> Ergebnis:
    """What writing the plan would change, without writing (``--dry-run`` and the admin's preview)."""
    return plan.vorschau


def schreibe(plan: Plan, *, user, grund: str) -> Ergebnis:
    """Write a checked plan; its sources are checked again (data or the editor's area may have changed)."""
    return _durchlauf(plan.quellen, plan.bereich, schreiben=True, user=user, grund=grund).vorschau


def importiere(quellen: list[tuple[str, Path]], *, user=None, grund: str = "", dry_run: bool = False, bereich=None):
    """Check all sources, then write them (or only count, ``dry_run``); raises ImportFehler on any bad row."""
    grund = grund or "Import Bundesdashboard " + ", ".join(n for n, _ in quellen)
    plan = _durchlauf(quellen, bereich, schreiben=not dry_run, user=user, grund=grund)
    return plan, plan.vorschau
