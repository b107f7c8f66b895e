"""The Umsetzungsstand report in SQL: per Themenfeld × Land, per Kreis and per Kommune, in one pass over
KommunaleUmsetzung (see ``builders.py`` for the conventions).

``ebenen_vorbereiten``, ``abfrage_kommune_themenfeld`` and ``abfrage_land`` are the aggregate SELECTs without their
INSERT, so the benchmark can time the bare SQL side by side with the full rebuild.
"""

from django.db import connection

from catalog.choices import EffektiveEbene, UmsetzungsStatus
from catalog.models import (
    Gebietskoerperschaft,
    KommunaleUmsetzung,
    Lage,
    Leistung,
    Themenfeld,
    Umsetzungsstand,
    Zustaendigkeit,
)
from catalog.zustaendigkeit import ABGELEITET

from ..models import UmsetzungKommuneZeile, UmsetzungKreisZeile, UmsetzungLandZeile
from .sql import literal, tabelle, zaehle

#: Scratch tables of the Umsetzungsstand build (temporary, per connection): the executing level of every Leistung
#: in every Land (16 × 557 rows), and Kommune × Themenfeld, the one pass over KommunaleUmsetzung.
EBENEN_TABELLE = "berichte_tmp_ebenen"
ZWISCHENTABELLE = "berichte_tmp_kommune_themenfeld"


def _ebene_sql(erfasst: str, vollzug: str) -> str:
    """SQL of ``catalog.zustaendigkeit.effektive_ebene``: the recorded level, else the one the Typisierung tells."""
    faelle = " ".join(f"WHEN {vollzug} = {literal(v.value)} THEN {literal(e.value)}" for v, e in ABGELEITET.items())
    return f"COALESCE({erfasst}, CASE {faelle} ELSE {literal(EffektiveEbene.KEINE.value)} END)"


EBENEN = [e.value for e in EffektiveEbene]


def ebenen_vorbereiten(cursor):
    """Materialise the levels once, so the pass over millions of rows only joins a small, analysed table."""
    cursor.execute(f"DROP TABLE IF EXISTS {EBENEN_TABELLE}")
    cursor.execute(f"CREATE TEMPORARY TABLE {EBENEN_TABELLE} AS {_ebenen_sql()}")
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {EBENEN_TABELLE}")


def _ebenen_sql() -> str:
    """Every OZG-Leistung in every Land with its Themenfeld and its executing level there (16 × 557 rows)."""
    return (
        f"SELECT l.id AS leistung_id, lg.themenfeld_id AS themenfeld_id, la.id AS land_id, "
        f"{_ebene_sql('z.ebene', 'l.vollzug')} AS ebene "
        f"FROM {tabelle(Leistung)} l JOIN {tabelle(Lage)} lg ON lg.id = l.lage_id "
        f"JOIN {tabelle(Gebietskoerperschaft)} la ON la.ebene = 'land' "
        f"LEFT JOIN {tabelle(Zustaendigkeit)} z ON z.land_id = la.id AND z.leistung_id = l.id "
        "AND z.leika_leistung_id IS NULL"
    )


def _ebenen_zaehler(spalte: str, summe: bool = False) -> list[str]:
    if summe:
        return [f"SUM({spalte}_{e})" for e in EBENEN]
    return [zaehle(f"{spalte} = {literal(e)}") for e in EBENEN]


ANSCHLUSS = ["kommunal_erfasst", "kommunal_angeschlossen", "kommunal_geplant", "kommunal_nicht_geplant"]
ANSCHLUSS_ALLE = [*ANSCHLUSS, "kommunal_synthetisch"]
EBENEN_SPALTEN = [f"ebene_{e}" for e in EBENEN]


def abfrage_kommune_themenfeld() -> str:
    """The one pass over KommunaleUmsetzung: per Kommune and Themenfeld, counts per Anschlussstatus and level.

    Needs ``ebenen_vorbereiten`` first (so does ``abfrage_land``).
    """
    ku, gebiet = tabelle(KommunaleUmsetzung), tabelle(Gebietskoerperschaft)
    werte = [
        "COUNT(*)",
        zaehle("ku.status = 'angeschlossen'"),
        zaehle("ku.status = 'geplant'"),
        zaehle("ku.status = 'nicht_geplant'"),
        zaehle("ku.synthetisch"),
        *_ebenen_zaehler("e.ebene"),
    ]
    namen = [*ANSCHLUSS_ALLE, *EBENEN_SPALTEN]
    spalten = ", ".join(f"{w} AS {n}" for w, n in zip(werte, namen, strict=True))
    return (
        f"SELECT ku.kommune_id AS kommune_id, e.themenfeld_id AS themenfeld_id, {spalten} "
        f"FROM {ku} ku JOIN {gebiet} g ON g.id = ku.kommune_id "
        f"JOIN {EBENEN_TABELLE} e ON e.leistung_id = ku.leistung_id AND e.land_id = g.land_id "
        "GROUP BY ku.kommune_id, e.themenfeld_id"
    )


def abfrage_land() -> str:
    """Per Themenfeld × Land: all its Leistungen by level, status, Reifegrad and EfA (small: 16 × 557 rows)."""
    u = tabelle(Umsetzungsstand)
    werte = [
        "COUNT(*)",
        *_ebenen_zaehler("e.ebene"),
        zaehle(f"u.status = {literal(UmsetzungsStatus.IN_PLANUNG)}"),
        zaehle(f"u.status = {literal(UmsetzungsStatus.IN_UMSETZUNG)}"),
        zaehle(f"u.status = {literal(UmsetzungsStatus.ONLINE)}"),
        zaehle("u.id IS NULL"),
        *[zaehle(f"u.reifegrad = {stufe}") for stufe in range(8)],
        zaehle("u.reifegrad IS NULL"),
        zaehle("u.efa_anbieter_id = u.land_id"),
        zaehle("u.efa_anbieter_id <> u.land_id"),
    ]
    return (
        "SELECT e.themenfeld_id AS themenfeld_id, e.land_id AS land_id, "
        + ", ".join(f"{w} AS {n}" for w, n in zip(werte, LAND_SPALTEN, strict=True))
        + f" FROM {EBENEN_TABELLE} e LEFT JOIN {u} u ON u.land_id = e.land_id AND u.leistung_id = e.leistung_id "
        "GROUP BY e.themenfeld_id, e.land_id"
    )


LAND_SPALTEN = [
    "leistungen",
    *EBENEN_SPALTEN,
    "status_in_planung",
    "status_in_umsetzung",
    "status_online",
    "status_ohne",
    *[f"reifegrad_{stufe}" for stufe in range(8)],
    "reifegrad_ohne",
    "efa_anbieter",
    "efa_nachnutzung",
]


def baue_umsetzungsstand(lauf) -> dict:
    gebiet, tmp = tabelle(Gebietskoerperschaft), ZWISCHENTABELLE
    with connection.cursor() as cursor:
        ebenen_vorbereiten(cursor)
        cursor.execute(f"DROP TABLE IF EXISTS {tmp}")
        cursor.execute(f"CREATE TEMPORARY TABLE {tmp} AS {abfrage_kommune_themenfeld()}")

        summen = ", ".join(f"SUM(t.{s})" for s in [*ANSCHLUSS_ALLE, *EBENEN_SPALTEN])
        ziel = ", ".join([*ANSCHLUSS_ALLE, *EBENEN_SPALTEN])
        cursor.execute(
            f"INSERT INTO {tabelle(UmsetzungKommuneZeile)} "
            f"(lauf_id, kommune_id, kommune_ars, kommune_name, kommune_ebene, kreis_ars, {ziel}) "
            f"SELECT %s, g.id, g.ars, g.name, g.ebene, COALESCE(kr.ars, ''), {summen} "
            f"FROM {tmp} t JOIN {gebiet} g ON g.id = t.kommune_id LEFT JOIN {gebiet} kr ON kr.id = g.kreis_id "
            "GROUP BY g.id, g.ars, g.name, g.ebene, kr.ars",
            [lauf.pk],
        )
        cursor.execute(
            f"INSERT INTO {tabelle(UmsetzungKreisZeile)} (lauf_id, kreis_id, kreis_ars, kreis_name, kommunen, {ziel}) "
            f"SELECT %s, kr.id, kr.ars, kr.name, COUNT(DISTINCT t.kommune_id), {summen} "
            f"FROM {tmp} t JOIN {gebiet} g ON g.id = t.kommune_id "
            f"JOIN {gebiet} kr ON kr.id = COALESCE(g.kreis_id, CASE WHEN g.ebene = 'kreis' THEN g.id END) "
            "GROUP BY kr.id, kr.ars, kr.name",
            [lauf.pk],
        )
        kommunal = ", ".join(f"COALESCE(k.{s}, 0)" for s in ANSCHLUSS_ALLE)
        kommunal_summen = ", ".join(f"SUM(t.{s}) AS {s}" for s in ANSCHLUSS_ALLE)
        cursor.execute(
            f"INSERT INTO {tabelle(UmsetzungLandZeile)} (lauf_id, themenfeld_id, themenfeld_name, land_id, land_ars, "
            f"land_name, {', '.join(LAND_SPALTEN)}, {', '.join(ANSCHLUSS_ALLE)}) "
            f"SELECT %s, a.themenfeld_id, tf.name, a.land_id, la.ars, la.name, "
            f"{', '.join('a.' + s for s in LAND_SPALTEN)}, {kommunal} "
            f"FROM ({abfrage_land()}) a JOIN {tabelle(Themenfeld)} tf ON tf.id = a.themenfeld_id "
            f"JOIN {gebiet} la ON la.id = a.land_id "
            f"LEFT JOIN (SELECT g.land_id AS land_id, t.themenfeld_id AS themenfeld_id, {kommunal_summen} "
            f"FROM {tmp} t JOIN {gebiet} g ON g.id = t.kommune_id GROUP BY g.land_id, t.themenfeld_id) k "
            "ON k.land_id = a.land_id AND k.themenfeld_id = a.themenfeld_id",
            [lauf.pk],
        )
        cursor.execute(f"DROP TABLE IF EXISTS {tmp}")
        cursor.execute(f"DROP TABLE IF EXISTS {EBENEN_TABELLE}")
        cursor.execute(
            "SELECT SUM(leistungen), SUM(status_online), SUM(status_in_umsetzung), SUM(status_in_planung), "
            "SUM(efa_anbieter), SUM(efa_nachnutzung), SUM(kommunal_erfasst), SUM(kommunal_angeschlossen), "
            "SUM(kommunal_geplant), SUM(kommunal_synthetisch) "
            f"FROM {tabelle(UmsetzungLandZeile)} WHERE lauf_id = %s",
            [lauf.pk],
        )
        werte = [int(w or 0) for w in cursor.fetchone()]
    namen = [
        "leistungen_laender",
        "online",
        "in_umsetzung",
        "in_planung",
        "efa_anbieter",
        "efa_nachnutzung",
        "kommunal_erfasst",
        "kommunal_angeschlossen",
        "kommunal_geplant",
        "kommunal_synthetisch",
    ]
    kennzahlen = dict(zip(namen, werte, strict=True))
    kennzahlen["anteil_online_prozent"] = _prozent(kennzahlen["online"], kennzahlen["leistungen_laender"])
    kennzahlen["anteil_angeschlossen_prozent"] = _prozent(
        kennzahlen["kommunal_angeschlossen"], kennzahlen["kommunal_erfasst"]
    )
    return kennzahlen


def _prozent(teil: int, ganzes: int):
    return round(100 * teil / ganzes, 2) if ganzes else None
