"""Importer of the seed tables "Stand 11.04.2019" (seed 000), transcribed in fixtures/seed-2019-04-11/.

Reads organisations, tandems, phase statuses, the reviewable mapping of Kommunen as written in the seed
to Gebietskörperschaften, and the participations. Needs the Gemeindeverzeichnis and the catalogue in the
database. The Labore (labore.csv) and the Labor of each Teilnahme (the column ``labor_slug``) are imported by
``labore.importers``, which sits above and reuses these readers. Like every importer: checks everything first,
names each bad value, writes only a clean input.
"""

import datetime
from pathlib import Path

from catalog.choices import LAND_KUERZEL, OrganisationArt
from catalog.models import Gebietskoerperschaft, Organisation, Themenfeld
from core.importers import Fehler, Fehlerliste, ImportFehler, Zaehler, read_csv, sync
from core.text import slug

from .choices import Phase, PhasenStatus, Rolle, TeilnahmeArt, Umfang
from .models import PhasenStatus as PhasenStatusModel
from .models import TandemRolle, Teilnahme

#: The date of the seed tables (slides "STAND 11.04.2019").
SEED_STAND = datetime.date(2019, 4, 11)
SEED_QUELLE = "Seed 000 (Lühr, IT-Planungsrat, 2019): Stand der Themenfeldbearbeitung, Stand 11.04.2019"

#: How the seed's symbols read; a row whose status contradicts its symbol is a transcription error.
SYMBOL_STATUS = {
    "✓": PhasenStatus.ABGESCHLOSSEN,
    "🔄": PhasenStatus.LAUFEND,
    "➤": PhasenStatus.IN_VORBEREITUNG,
    "": PhasenStatus.NICHT_BEGONNEN,
}


def auswahl(liste, zeile, row, spalte, erlaubt):
    wert = row[spalte].strip()
    if wert not in erlaubt:
        liste.add(zeile, spalte, row[spalte], f"erlaubt: {', '.join(sorted(erlaubt))}")
    return wert


def grundlagen(ordner: Path) -> tuple[dict, dict]:
    """Themenfelder by name and Länder by Kürzel; both must be imported before the seed."""
    themenfelder = dict(Themenfeld.objects.values_list("name", "pk"))
    laender = {LAND_KUERZEL[ars]: pk for ars, pk in Gebietskoerperschaft.objects.laender().values_list("ars", "pk")}
    if not themenfelder or not laender:
        raise ImportFehler(
            [
                Fehler(
                    ordner.name,
                    None,
                    None,
                    None,
                    "erst Gemeindeverzeichnis und Katalog importieren (make load)",
                )
            ]
        )
    return themenfelder, laender


def themenfeld_pruefer(themenfelder: dict):
    """A check of a row's ``themenfeld`` cell against the catalogue; returns the Themenfeld's pk or None."""

    def themenfeld(liste, zeile, row):
        name = row["themenfeld"].strip()
        if name not in themenfelder:
            liste.add(
                zeile,
                "themenfeld",
                row["themenfeld"],
                "kein Themenfeld des Katalogs (offizielle Schreibweise)",
            )
        return themenfelder.get(name)

    return themenfeld


def _lese_organisationen(ordner: Path, laender: dict, fehler: list[Fehler]) -> dict:
    organisationen = {}
    liste = Fehlerliste("organisationen.csv", fehler)
    for zeile, row in read_csv(ordner / "organisationen.csv", ["kurzname", "name", "art", "land"], fehler):
        kurz = row["kurzname"].strip()
        art = auswahl(liste, zeile, row, "art", set(OrganisationArt.values))
        land = row["land"].strip()
        if land and land not in laender:
            liste.add(zeile, "land", land, "unbekanntes Land-Kürzel")
        if not kurz or kurz in organisationen:
            liste.add(zeile, "kurzname", kurz, "Kurzname fehlt oder doppelt")
        organisationen[kurz] = {
            "kurzname": kurz,
            "slug": slug(kurz),
            "name": row["name"].strip(),
            "art": art,
            "land_id": laender.get(land),
        }
    return organisationen


def _lese_tandems(ordner: Path, themenfeld, laender: dict, organisationen: dict, fehler: list[Fehler]) -> dict:
    tandems = {}
    liste = Fehlerliste("tandems.csv", fehler)
    for zeile, row in read_csv(
        ordner / "tandems.csv", ["themenfeld", "partner", "rolle", "umfang", "fussnote"], fehler
    ):
        tf = themenfeld(liste, zeile, row)
        partner = row["partner"].strip()
        if partner not in laender and partner not in organisationen:
            liste.add(zeile, "partner", partner, "weder Land-Kürzel noch Organisation aus organisationen.csv")
        rolle = auswahl(liste, zeile, row, "rolle", set(Rolle.values))
        umfang = auswahl(liste, zeile, row, "umfang", set(Umfang.values))
        schluessel = (tf, partner, umfang)
        if schluessel in tandems:
            liste.add(zeile, "partner", partner, "Partner steht im selben Themenfeld und Umfang doppelt")
        tandems[schluessel] = {
            "themenfeld_id": tf,
            "rolle": rolle,
            "umfang": umfang,
            "bemerkung": row["fussnote"].strip(),
            "_partner": partner,
        }
    return tandems


def _lese_phasen(ordner: Path, themenfeld, fehler: list[Fehler]) -> dict:
    phasen = {}
    liste = Fehlerliste("phasen.csv", fehler)
    for zeile, row in read_csv(ordner / "phasen.csv", ["themenfeld", "phase", "symbol", "status", "stand"], fehler):
        tf = themenfeld(liste, zeile, row)
        phase = auswahl(liste, zeile, row, "phase", set(Phase.values))
        status = auswahl(liste, zeile, row, "status", set(PhasenStatus.values))
        symbol = row["symbol"].strip()
        if symbol in SYMBOL_STATUS and status in PhasenStatus.values and SYMBOL_STATUS[symbol] != status:
            liste.add(zeile, "status", status, f"passt nicht zum Symbol „{symbol}“ ({SYMBOL_STATUS[symbol]})")
        elif symbol not in SYMBOL_STATUS:
            liste.add(zeile, "symbol", symbol, f"unbekanntes Symbol (erlaubt: {' '.join(SYMBOL_STATUS)} oder leer)")
        try:
            stand = datetime.date.fromisoformat(row["stand"].strip())
        except ValueError:
            liste.add(zeile, "stand", row["stand"], "Datum im Format JJJJ-MM-TT erwartet")
            continue
        if (tf, phase, stand) in phasen:
            liste.add(zeile, "phase", phase, "Phase für dieses Themenfeld und diesen Stand doppelt")
        phasen[(tf, phase, stand)] = {
            "themenfeld_id": tf,
            "phase": phase,
            "status": status,
            "stand": stand,
            "quelle": SEED_QUELLE,
        }
    return phasen


def _lese_zuordnung(ordner: Path, fehler: list[Fehler]) -> dict:
    """Kommunen as named and placed in the seed → Gebietskörperschaft, with the Befund of each mismatch."""
    zuordnung = {}
    liste = Fehlerliste("kommunen_zuordnung.csv", fehler)
    spalten = ["name_im_dokument", "land_im_dokument", "ars", "name_gv", "land_gv", "befund", "begruendung"]
    zeilen = list(read_csv(ordner / "kommunen_zuordnung.csv", spalten, fehler))
    gebiete = {g.ars: g for g in Gebietskoerperschaft.objects.filter(ars__in=[r["ars"].strip() for _, r in zeilen])}
    for zeile, row in zeilen:
        schluessel = (row["name_im_dokument"].strip(), row["land_im_dokument"].strip())
        ars = row["ars"].strip()
        gebiet = gebiete.get(ars)
        if gebiet is None:
            liste.add(zeile, "ars", ars, "Regionalschlüssel nicht im Gemeindeverzeichnis")
            continue
        if row["name_gv"].strip() != gebiet.name:
            liste.add(zeile, "name_gv", row["name_gv"], f"Gemeindeverzeichnis nennt „{gebiet.name}“")
        if row["land_gv"].strip() != gebiet.land_kuerzel:
            liste.add(zeile, "land_gv", row["land_gv"], f"Schlüssel {ars} liegt in {gebiet.land_kuerzel}")
        befund = row["befund"].strip()
        if schluessel[1] != gebiet.land_kuerzel and not befund:
            liste.add(zeile, "befund", "", f"Land im Dokument {schluessel[1]} ≠ {gebiet.land_kuerzel}: Befund fehlt")
        if schluessel in zuordnung:
            liste.add(zeile, "name_im_dokument", schluessel[0], "Eintrag doppelt")
        zuordnung[schluessel] = {"gebiet": gebiet, "befund": befund}
    return zuordnung


def _lese_teilnahmen(ordner: Path, themenfeld, zuordnung: dict, organisationen: dict, fehler: list[Fehler]) -> dict:
    """Teilnahmen by (Themenfeld, position, Stand); ``_labor``/``_zeile`` keep the Labor cell for labore's importer."""
    teilnahmen = {}
    positionen: dict[int, int] = {}
    liste = Fehlerliste("teilnahmen.csv", fehler)
    spalten = ["themenfeld", "name_im_dokument", "land_im_dokument", "art", "labor_fussnote", "labor_slug"]
    for zeile, row in read_csv(ordner / "teilnahmen.csv", spalten, fehler):
        tf = themenfeld(liste, zeile, row)
        name, land = row["name_im_dokument"].strip(), row["land_im_dokument"].strip()
        art = auswahl(liste, zeile, row, "art", {"kommune", "it_dienstleister"})
        values = {
            "themenfeld_id": tf,
            "name_im_dokument": name,
            "land_im_dokument": land,
            "stand": SEED_STAND,
            "art": TeilnahmeArt.NICHT_ANGEGEBEN.value,
            "gebiet_id": None,
            "organisation_id": None,
            "befund": "",
            "_labor": row["labor_slug"].strip() or None,
            "_zeile": zeile,
            "_organisation": None,
        }
        if art == "kommune":
            eintrag = zuordnung.get((name, land))
            if eintrag is None:
                liste.add(zeile, "name_im_dokument", f"{name} ({land})", "fehlt in kommunen_zuordnung.csv")
            else:
                values["gebiet_id"] = eintrag["gebiet"].pk
                values["befund"] = eintrag["befund"]
        elif art == "it_dienstleister":
            if name not in organisationen:
                liste.add(zeile, "name_im_dokument", name, "IT-Dienstleister fehlt in organisationen.csv")
            values["_organisation"] = name
        position = positionen[tf] = positionen.get(tf, 0) + 1
        values["position"] = position
        teilnahmen[(tf, position, SEED_STAND)] = values
    return teilnahmen


def lese_seed(ordner: Path, fehler: list[Fehler] | None = None) -> dict:
    """Read and check the seed's tables of this app; raise all errors at once, or add them to ``fehler``."""
    sammeln = fehler is not None
    fehler = [] if fehler is None else fehler
    themenfelder, laender = grundlagen(ordner)
    themenfeld = themenfeld_pruefer(themenfelder)
    organisationen = _lese_organisationen(ordner, laender, fehler)
    tandems = _lese_tandems(ordner, themenfeld, laender, organisationen, fehler)
    phasen = _lese_phasen(ordner, themenfeld, fehler)
    zuordnung = _lese_zuordnung(ordner, fehler)
    teilnahmen = _lese_teilnahmen(ordner, themenfeld, zuordnung, organisationen, fehler)
    if fehler and not sammeln:
        raise ImportFehler(fehler)
    return {
        "organisationen": organisationen,
        "tandems": tandems,
        "phasen": phasen,
        "zuordnung": zuordnung,
        "teilnahmen": teilnahmen,
        "laender": laender,
    }


def import_seed(ordner: Path, zaehler: Zaehler) -> list[str]:
    """Import the seed tables; return the mapping report (entries whose name or Land disagreed)."""
    daten = lese_seed(ordner)
    org_pks = sync(Organisation, "kurzname", daten["organisationen"], zaehler)

    tandems = {}
    for (tf, partner, umfang), values in daten["tandems"].items():
        values.pop("_partner")
        values["land_id"] = daten["laender"].get(partner)
        values["organisation_id"] = None if values["land_id"] else org_pks[partner]
        tandems[(tf, values["land_id"], values["organisation_id"], umfang)] = values
    sync(
        TandemRolle,
        "themenfeld",
        tandems,
        zaehler,
        key_of=lambda o: (o.themenfeld_id, o.land_id, o.organisation_id, o.umfang),
    )

    sync(
        PhasenStatusModel,
        "themenfeld",
        daten["phasen"],
        zaehler,
        key_of=lambda o: (o.themenfeld_id, o.phase, o.stand),
    )

    for values in daten["teilnahmen"].values():
        del values["_labor"], values["_zeile"]
        organisation = values.pop("_organisation")
        if organisation:
            values["organisation_id"] = org_pks[organisation]
    sync(
        Teilnahme,
        "themenfeld",
        daten["teilnahmen"],
        zaehler,
        key_of=lambda o: (o.themenfeld_id, o.position, o.stand),
    )

    return [
        f"{name} ({land}) → {e['gebiet'].name} [{e['gebiet'].schluessel}, {e['gebiet'].land_kuerzel}]: {e['befund']}"
        for (name, land), e in sorted(daten["zuordnung"].items())
        if e["befund"]
    ]
