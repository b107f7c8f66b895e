"""Importers of the Gemeindeverzeichnis (Destatis) and the OZG-Umsetzungskatalog 2019.

Each ``import_*`` function reads and checks its whole input first and raises ``ImportFehler`` naming every bad
value; only a clean input is written. Callers wrap it in a transaction (see ``ozgportal.management``).
"""

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db.models import Count, Min

from core.aenderungen import bulk_schreiben
from core.importers import Fehler, Fehlerliste, ImportFehler, Zaehler, read_csv, sync
from core.text import slug

from .. import typisierung
from ..choices import SATZART_EBENE, Ebene, Textkennzeichen, Vollzug
from ..models import Gebietskoerperschaft, Lage, LeikaLeistung, Leistung, Themenfeld

# --- Gemeindeverzeichnis ----------------------------------------------------------------------------

GV_SPALTEN = [
    "satzart",
    "textkennzeichen",
    "land",
    "rb",
    "kreis",
    "vb",
    "gemeinde",
    "gemeindename",
    "flaeche",
    "bevoelkerung",
    "postleitzahl",
    "laengengrad",
    "breitengrad",
]
#: Which key columns make up the Regionalschlüssel of each level, with their widths.
GV_SCHLUESSEL = {
    Ebene.LAND: [("land", 2)],
    Ebene.REGIERUNGSBEZIRK: [("land", 2), ("rb", 1)],
    Ebene.REGION: [("land", 2), ("rb", 1), ("kreis", 1)],
    Ebene.KREIS: [("land", 2), ("rb", 1), ("kreis", 2)],
    Ebene.GEMEINDEVERBAND: [("land", 2), ("rb", 1), ("kreis", 2), ("vb", 4)],
    Ebene.GEMEINDE: [("land", 2), ("rb", 1), ("kreis", 2), ("vb", 4), ("gemeinde", 3)],
}
#: The order in which levels are written, so that every parent exists before its children.
GV_REIHENFOLGE = [
    Ebene.LAND,
    Ebene.REGIERUNGSBEZIRK,
    Ebene.REGION,
    Ebene.KREIS,
    Ebene.GEMEINDEVERBAND,
    Ebene.GEMEINDE,
]
_TEXTKENNZEICHEN = {str(c.value) for c in Textkennzeichen}


def _ganzzahl(text: str) -> int:
    """Destatis writes " 90 164": a space as thousands separator."""
    return int(text.replace(" ", "").replace("\u00a0", ""))


def _dezimal(text: str, stellen: int) -> Decimal:
    """Area comes as " 53.02", coordinates as "9,43751" (decimal comma)."""
    value = Decimal(text.strip().replace(",", "."))
    if not value.is_finite():
        raise InvalidOperation
    return value.quantize(Decimal(1).scaleb(-stellen))


def _eltern_ars(ebene: Ebene, ars: str, vorhandene: set[str]) -> str | None:
    if ebene == Ebene.LAND:
        return None
    if ebene in (Ebene.REGIERUNGSBEZIRK,):
        return ars[:2]
    if ebene == Ebene.REGION:
        return ars[:3]
    if ebene == Ebene.KREIS:
        # Länder without Regierungsbezirke write rb "0" and have no record for it.
        return ars[:3] if ars[:3] in vorhandene else ars[:2]
    if ebene == Ebene.GEMEINDEVERBAND:
        # Areas outside any Kreis (coastal waters, the German-Luxembourg condominium) carry Kreis "000".
        return ars[:2] if ars[2:5] == "000" and ars[:5] not in vorhandene else ars[:5]
    return ars[:9]


def lese_gemeindeverzeichnis(path: Path) -> dict[Ebene, dict[str, dict]]:
    """Read and check the GV-ISys extract; return {Ebene: {ars: values}} or raise ImportFehler."""
    fehler: list[Fehler] = []
    liste = Fehlerliste(path.name, fehler)
    je_ebene: dict[Ebene, dict[str, dict]] = {e: {} for e in GV_REIHENFOLGE}
    zeile_von: dict[str, int] = {}

    for zeile, row in read_csv(path, GV_SPALTEN, fehler):
        ebene = SATZART_EBENE.get(row["satzart"].strip())
        if ebene is None:
            liste.add(zeile, "satzart", row["satzart"], "unbekannte Satzart (erwartet 10, 20, 30, 40, 50 oder 60)")
            continue
        teile = []
        for spalte, breite in GV_SCHLUESSEL[ebene]:
            wert = row[spalte].strip()
            if not re.fullmatch(rf"[0-9]{{{breite}}}", wert):
                liste.add(zeile, spalte, row[spalte], f"erwartet {breite} Ziffer(n)")
            teile.append(wert)
        ars = "".join(teile)
        name = row["gemeindename"].strip()
        if not name:
            liste.add(zeile, "gemeindename", row["gemeindename"], "Name fehlt")
        tk = row["textkennzeichen"].strip()
        if tk and tk not in _TEXTKENNZEICHEN:
            liste.add(zeile, "textkennzeichen", tk, "unbekanntes Textkennzeichen")
        if ars in zeile_von:
            liste.add(zeile, "satzart", row["satzart"], f"Schlüssel {ars} doppelt (schon in Zeile {zeile_von[ars]})")
            continue
        zeile_von[ars] = zeile

        values = {
            "ebene": ebene.value,
            "name": name,
            "textkennzeichen": int(tk) if tk in _TEXTKENNZEICHEN else None,
            "ags": (ars[:5] + ars[9:]) if ebene == Ebene.GEMEINDE else None,
            "einwohner": None,
            "flaeche": None,
            "laengengrad": None,
            "breitengrad": None,
            "plz": "",
        }
        _gv_zahlen_und_plz(liste, zeile, row, values)
        je_ebene[ebene][ars] = values

    _gv_eltern(je_ebene, zeile_von, liste)
    if fehler:
        raise ImportFehler(fehler)
    return je_ebene


def _gv_zahlen_und_plz(liste: Fehlerliste, zeile: int, row: dict, values: dict) -> None:
    """Population, area, coordinates and postcode of one row into ``values``; bad numbers into ``liste``."""
    for spalte, feld, umwandeln in [
        ("bevoelkerung", "einwohner", _ganzzahl),
        ("flaeche", "flaeche", lambda t: _dezimal(t, 2)),
        ("laengengrad", "laengengrad", lambda t: _dezimal(t, 6)),
        ("breitengrad", "breitengrad", lambda t: _dezimal(t, 6)),
    ]:
        roh = row[spalte]
        if roh.strip():
            try:
                values[feld] = umwandeln(roh)
            except (ValueError, InvalidOperation):
                liste.add(zeile, spalte, roh, "keine gültige Zahl")
    if values["laengengrad"] == 0 and values["breitengrad"] == 0:
        # "0,0" marks an area without coordinates (the German-Luxembourg condominium), not a place at 0°/0°.
        values["laengengrad"] = values["breitengrad"] = None
    if values["einwohner"] is not None and values["einwohner"] < 0:
        liste.add(zeile, "bevoelkerung", row["bevoelkerung"], "negative Einwohnerzahl")
    plz = row["postleitzahl"].strip()
    if plz and not re.fullmatch(r"[0-9]{5}", plz):
        liste.add(zeile, "postleitzahl", plz, "erwartet 5 Ziffern")
    values["plz"] = plz


def _gv_eltern(je_ebene: dict, zeile_von: dict[str, int], liste: Fehlerliste) -> None:
    """Every key's parent (``_eltern``); a parent missing from the file is an error at the child's line."""
    alle = set(zeile_von)
    for ebene in GV_REIHENFOLGE:
        for ars, values in je_ebene[ebene].items():
            eltern = _eltern_ars(ebene, ars, alle)
            if eltern is not None and eltern not in alle:
                liste.add(zeile_von[ars], "satzart", ars, f"übergeordneter Schlüssel {eltern} fehlt in der Datei")
            values["_eltern"] = eltern


def import_gemeindeverzeichnis(path: Path, zaehler: Zaehler) -> None:
    je_ebene = lese_gemeindeverzeichnis(path)
    pks: dict[str, int] = {}
    for ebene in GV_REIHENFOLGE:
        records = {}
        for ars, values in je_ebene[ebene].items():
            eltern = values.pop("_eltern")
            values["ars"] = ars
            values["parent_id"] = pks[eltern] if eltern else None
            values["land_id"] = pks[ars[:2]] if ebene != Ebene.LAND else None
            values["kreis_id"] = pks.get(ars[:5]) if ebene in (Ebene.GEMEINDEVERBAND, Ebene.GEMEINDE) else None
            records[ars] = values
        pks.update(
            sync(
                Gebietskoerperschaft,
                "ars",
                records,
                zaehler,
                scope=Gebietskoerperschaft.objects.filter(ebene=ebene),
            )
        )


# --- OZG-Umsetzungskatalog --------------------------------------------------------------------------

LEIKA_SPALTEN = [
    "leika_schluessel",
    "bezeichnung",
    "ozg_id",
    "typ",
    "sdg1",
    "sdg2",
    "gesetze",
    "gesetzeskuerzel",
    "rechtsgrundlage",
]


def _pflicht(liste, zeile, row, spalte, max_len):
    wert = row[spalte].strip()
    if not wert:
        liste.add(zeile, spalte, row[spalte], "Wert fehlt")
    elif len(wert) > max_len:
        liste.add(zeile, spalte, wert[:40] + "…", f"länger als {max_len} Zeichen")
    return wert


def lese_katalog(ordner: Path) -> dict:
    """The four catalogue files, each checked against the ones before; every error of every file, or the rows."""
    fehler: list[Fehler] = []
    themenfelder = _lese_themenfelder(ordner, fehler)
    lagen = _lese_lagen(ordner, themenfelder, fehler)
    leistungen = _lese_leistungen(ordner, lagen, fehler)
    leika = _lese_leika(ordner, leistungen, fehler)
    if fehler:
        raise ImportFehler(fehler)
    return {"themenfelder": themenfelder, "lagen": lagen, "leistungen": leistungen, "leika": leika}


def _lese_themenfelder(ordner: Path, fehler: list[Fehler]) -> dict[str, dict]:
    themenfelder: dict[str, dict] = {}
    liste = Fehlerliste("themenfelder.csv", fehler)
    for zeile, row in read_csv(ordner / "themenfelder.csv", ["themenfeld"], fehler):
        name = _pflicht(liste, zeile, row, "themenfeld", 100)
        if name in themenfelder:
            liste.add(zeile, "themenfeld", name, "Themenfeld doppelt")
        themenfelder[name] = {"name": name, "slug": slug(name)}
    return themenfelder


def _lese_lagen(ordner: Path, themenfelder: dict, fehler: list[Fehler]) -> dict[str, dict]:
    lagen: dict[str, dict] = {}
    liste = Fehlerliste("lagen.csv", fehler)
    for zeile, row in read_csv(ordner / "lagen.csv", ["lage", "themenfeld"], fehler):
        name = _pflicht(liste, zeile, row, "lage", 150)
        tf = row["themenfeld"].strip()
        if tf not in themenfelder:
            liste.add(zeile, "themenfeld", tf, "unbekanntes Themenfeld (nicht in themenfelder.csv)")
        if name in lagen:
            liste.add(zeile, "lage", name, "Lage doppelt")
        lagen[name] = {"name": name, "slug": slug(name), "_themenfeld": tf}
    return lagen


def _lese_leistungen(ordner: Path, lagen: dict, fehler: list[Fehler]) -> dict[int, dict]:
    leistungen: dict[int, dict] = {}
    liste = Fehlerliste("leistungen.csv", fehler)
    for zeile, row in read_csv(ordner / "leistungen.csv", ["ozg_id", "leistung", "lage", "themenfeld"], fehler):
        roh = row["ozg_id"].strip()
        if not re.fullmatch(r"[1-9][0-9]{4}", roh):
            liste.add(zeile, "ozg_id", row["ozg_id"], "OZG-ID muss fünfstellig sein (10000–99999)")
            continue
        ozg_id = int(roh)
        if ozg_id in leistungen:
            liste.add(zeile, "ozg_id", roh, "OZG-ID doppelt")
        name = _pflicht(liste, zeile, row, "leistung", 200)
        lage = row["lage"].strip()
        if lage not in lagen:
            liste.add(zeile, "lage", lage, "unbekannte Lage (nicht in lagen.csv)")
        elif lagen[lage]["_themenfeld"] != row["themenfeld"].strip():
            liste.add(
                zeile,
                "themenfeld",
                row["themenfeld"],
                f"Lage „{lage}“ gehört laut lagen.csv zu „{lagen[lage]['_themenfeld']}“",
            )
        leistungen[ozg_id] = {"ozg_id": ozg_id, "name": name, "_lage": lage}
    return leistungen


def _lese_leika(ordner: Path, leistungen: dict, fehler: list[Fehler]) -> dict[int, dict]:
    leika: dict[int, dict] = {}
    liste = Fehlerliste("leika.csv", fehler)
    schluessel_je_leistung: dict[tuple, int] = {}
    for zeile, row in read_csv(ordner / "leika.csv", LEIKA_SPALTEN, fehler):
        schluessel = row["leika_schluessel"].strip()
        if schluessel and not re.fullmatch(r"[0-9]{14}", schluessel):
            liste.add(zeile, "leika_schluessel", row["leika_schluessel"], "LeiKa-Schlüssel hat 14 Ziffern")
        roh = row["ozg_id"].strip()
        ozg_id = None
        if roh:
            if not roh.isdigit() or int(roh) not in leistungen:
                liste.add(zeile, "ozg_id", roh, "unbekannte OZG-ID (nicht in leistungen.csv)")
            else:
                ozg_id = int(roh)
        if schluessel:
            frueher = schluessel_je_leistung.setdefault((schluessel, ozg_id), zeile)
            if frueher != zeile:
                liste.add(zeile, "leika_schluessel", schluessel, f"Schlüssel und OZG-ID schon in Zeile {frueher}")
        typ_und_recht = _leika_typ_und_recht(liste, zeile, row)  # before the name: errors in column order
        leika[zeile] = {
            "zeile": zeile,
            "schluessel": schluessel,
            "bezeichnung": _pflicht(liste, zeile, row, "bezeichnung", 400),
            **typ_und_recht,
            "_ozg_id": ozg_id,
        }
    return leika


def _leika_typ_und_recht(liste: Fehlerliste, zeile: int, row: dict) -> dict:
    """Typisierung (→ Vollzug), law and the two SDG flags of one LeiKa row."""
    typ = row["typ"].strip()
    try:
        vollzug = typisierung.vollzug(typ)
    except ValueError as exc:
        liste.add(zeile, "typ", row["typ"], str(exc))
        vollzug = Vollzug.UNBEKANNT
    sdg = {}
    for spalte in ("sdg1", "sdg2"):
        if row[spalte].strip() not in ("0", "1", ""):
            liste.add(zeile, spalte, row[spalte], "erwartet 0 oder 1")
        sdg[spalte] = row[spalte].strip() == "1"
    return {
        "typisierung": typ,
        "vollzug": vollzug.value,
        "gesetze": row["gesetze"].strip(),
        "gesetzeskuerzel": row["gesetzeskuerzel"].strip()[:100],
        "rechtsgrundlage": row["rechtsgrundlage"].strip(),
        **sdg,
    }


def import_katalog(ordner: Path, zaehler: Zaehler) -> None:
    daten = lese_katalog(ordner)
    tf_pks = sync(Themenfeld, "name", daten["themenfelder"], zaehler)

    lagen = {}
    for name, values in daten["lagen"].items():
        values["themenfeld_id"] = tf_pks[values.pop("_themenfeld")]
        lagen[name] = values
    lage_pks = sync(Lage, "name", lagen, zaehler)

    for values in daten["leistungen"].values():
        values["lage_id"] = lage_pks[values.pop("_lage")]
    leistung_pks = sync(Leistung, "ozg_id", daten["leistungen"], zaehler)

    for values in daten["leika"].values():
        ozg_id = values.pop("_ozg_id")
        values["leistung_id"] = leistung_pks[ozg_id] if ozg_id else None
    sync(LeikaLeistung, "zeile", daten["leika"], zaehler)

    aktualisiere_vollzug()


def aktualisiere_vollzug() -> int:
    """Derive each OZG-Leistung's Vollzug from its LeiKa rows, aggregated in the database; return how many changed.

    One kind of Vollzug among the service rows → that kind; several → gemischt. Informational rows (Typ 6–8)
    count only where a Leistung has nothing else. Called after the catalogue import and after edits of a
    LeiKa-Leistung's Typisierung.
    """
    je_leistung: dict[int, str] = {}
    for bezug in (
        LeikaLeistung.objects.exclude(vollzug=Vollzug.KEINE_LEISTUNG),
        LeikaLeistung.objects.all(),
    ):
        for row in (
            bezug.filter(leistung__isnull=False)
            .values("leistung")
            .annotate(arten=Count("vollzug", distinct=True), erste=Min("vollzug"))
        ):
            je_leistung.setdefault(row["leistung"], row["erste"] if row["arten"] == 1 else Vollzug.GEMISCHT.value)
    geaendert = []
    for leistung in Leistung.objects.only("pk", "vollzug"):
        neu = je_leistung.get(leistung.pk, Vollzug.UNBEKANNT.value)
        if leistung.vollzug != neu:
            leistung.vollzug = neu
            geaendert.append(leistung)
    bulk_schreiben(Leistung, geaendert=geaendert, felder=["vollzug"], grund="Import")
    return len(geaendert)
