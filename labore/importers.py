"""Importer of the Digitalisierungslabore of the seed tables "Stand 11.04.2019" (labore.csv), moved from themenfelder."""

from pathlib import Path

from catalog.models import Leistung
from core.importing import Fehler, Fehlerliste, Zaehler, read_csv, sync
from core.text import slug
from themenfelder.importers import SEED_STAND, _auswahl

from .models import Labor


def _lese_labore(ordner: Path, themenfeld, fehler: list[Fehler]) -> dict:
    labore = {}
    leistungen = dict(Leistung.objects.values_list("ozg_id", "pk"))
    liste = Fehlerliste("labore.csv", fehler)
    spalten = ["slug", "themenfeld", "titel", "pilot", "fussnote", "ozg_ids", "zuordnung"]
    for zeile, row in read_csv(ordner / "labore.csv", spalten, fehler):
        tf = themenfeld(liste, zeile, row)
        labor_slug = row["slug"].strip()
        if labor_slug != slug(labor_slug) or labor_slug in labore:
            liste.add(zeile, "slug", labor_slug, "kein gültiger oder ein doppelter Slug")
        pilot = _auswahl(liste, zeile, row, "pilot", {"0", "1"})
        ozg_ids = []
        for teil in row["ozg_ids"].split():
            if not teil.isdigit() or int(teil) not in leistungen:
                liste.add(zeile, "ozg_ids", teil, "unbekannte OZG-ID")
            else:
                ozg_ids.append(int(teil))
        labore[labor_slug] = {
            "slug": labor_slug,
            "themenfeld_id": tf,
            "titel": row["titel"].strip(),
            "pilot": pilot == "1",
            "bemerkung": row["fussnote"].strip(),
            "zuordnung": row["zuordnung"].strip(),
            "gestartet_bis": SEED_STAND,
            "_leistungen": {leistungen[i] for i in ozg_ids},
        }
    return labore


def _schreibe_labore(daten: dict, zaehler: Zaehler) -> dict:
    leistungen_je_labor = {s: v.pop("_leistungen") for s, v in daten["labore"].items()}
    labor_pks = sync(Labor, "slug", daten["labore"], zaehler)
    vorhanden: dict[int, set[int]] = {}
    for labor_id, leistung_id in Labor.leistungen.through.objects.values_list("labor_id", "leistung_id"):
        vorhanden.setdefault(labor_id, set()).add(leistung_id)
    for labor_slug, soll in leistungen_je_labor.items():
        labor = (
            Labor.objects.get(pk=labor_pks[labor_slug]) if vorhanden.get(labor_pks[labor_slug], set()) != soll else None
        )
        if labor is not None:
            labor.leistungen.set(soll)
            zaehler[("Zuordnungen Labor–Leistung", "geändert")] += 1
        else:
            zaehler[("Zuordnungen Labor–Leistung", "unverändert")] += 1
    return labor_pks
