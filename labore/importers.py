"""Importer of the Digitalisierungslabore of the seed tables "Stand 11.04.2019" (seed 000).

Reads labore.csv and the column ``labor_slug`` of teilnahmen.csv, and links each Teilnahme to its Labor. Runs
after ``themenfelder.importers.import_seed`` (``load_all`` calls both, in one transaction) and checks the
themenfelder tables again with that app's readers, so one run names every error of every seed file.
"""

from pathlib import Path

from catalog.models import Leistung
from core.importers import Fehler, Fehlerliste, ImportFehler, Zaehler, read_csv, sync
from core.text import slug
from themenfelder.importers import SEED_STAND, auswahl, grundlagen, lese_seed, themenfeld_pruefer
from themenfelder.models import Teilnahme

from .models import Labor, LaborTeilnahme


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
        pilot = auswahl(liste, zeile, row, "pilot", {"0", "1"})
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


def _pruefe_labor_spalte(teilnahmen: dict, labore: dict, fehler: list[Fehler]) -> dict:
    """{Teilnahme key: Labor slug}; names each slug that labore.csv lacks."""
    liste = Fehlerliste("teilnahmen.csv", fehler)
    links = {}
    for schluessel, values in teilnahmen.items():
        labor_slug = values["_labor"]
        if labor_slug and labor_slug not in labore:
            liste.add(values["_zeile"], "labor_slug", labor_slug, "kein Labor aus labore.csv")
        elif labor_slug:
            links[schluessel] = labor_slug
    return links


def lese_labore(ordner: Path) -> dict:
    """Read and check labore.csv and the Labor column of teilnahmen.csv (with every other seed table)."""
    fehler: list[Fehler] = []
    themenfelder, _laender = grundlagen(ordner)
    seed = lese_seed(ordner, fehler)
    labore = _lese_labore(ordner, themenfeld_pruefer(themenfelder), fehler)
    links = _pruefe_labor_spalte(seed["teilnahmen"], labore, fehler)
    if fehler:
        raise ImportFehler(fehler)
    return {"labore": labore, "links": links, "teilnahmen": seed["teilnahmen"]}


def _schreibe_links(daten: dict, labor_pks: dict, zaehler: Zaehler) -> None:
    """Link the seed's Teilnahmen to their Labor; a seed Teilnahme without Labor loses a link it had."""
    teilnahme_pks = {
        (o.themenfeld_id, o.position, o.stand): o.pk
        for o in Teilnahme.objects.filter(stand=SEED_STAND).only("pk", "themenfeld_id", "position", "stand")
    }
    fehlend = [s for s in daten["teilnahmen"] if s not in teilnahme_pks]
    if fehlend:
        meldung = f"{len(fehlend)} Teilnahmen fehlen in der Datenbank: erst import_seed ausführen"
        raise ImportFehler([Fehler("teilnahmen.csv", None, None, None, meldung)])
    soll = {
        teilnahme_pks[s]: {"teilnahme_id": teilnahme_pks[s], "labor_id": labor_pks[labor_slug]}
        for s, labor_slug in daten["links"].items()
    }
    sync(LaborTeilnahme, "teilnahme_id", soll, zaehler)
    ohne = [teilnahme_pks[s] for s in daten["teilnahmen"] if s not in daten["links"]]
    geloescht, _ = LaborTeilnahme.objects.filter(teilnahme_id__in=ohne).delete()
    zaehler[(str(LaborTeilnahme._meta.verbose_name_plural), "geändert")] += geloescht


def import_labore(ordner: Path, zaehler: Zaehler) -> None:
    """Import the Labore of the seed, their OZG-Leistungen and the Labor of each Teilnahme."""
    daten = lese_labore(ordner)
    labor_pks = _schreibe_labore(daten, zaehler)
    _schreibe_links(daten, labor_pks, zaehler)
