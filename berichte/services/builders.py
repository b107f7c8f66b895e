"""The SQL that builds each report: every figure is a GROUP BY or a conditional count in the database.

Each builder writes its result rows with INSERT … SELECT into the tables of ``berichte.models`` for one Berichtslauf
and returns the summary figures (``kennzahlen``) of that build. Python never loops over data rows; it loops at most
over a handful of Stichtage. The SQL runs on PostgreSQL and SQLite alike.

``abfragen_umsetzung()`` exposes the aggregate SELECTs without their INSERT so the benchmark can time the bare SQL
side by side with the full rebuild.
"""

from django.db import connection

from catalog.choices import LAND_KUERZEL, EffektiveEbene, UmsetzungsStatus
from catalog.models import (
    Gebietskoerperschaft,
    KommunaleUmsetzung,
    Lage,
    Leistung,
    Organisation,
    Themenfeld,
    Umsetzungsstand,
    Zustaendigkeit,
)
from catalog.zustaendigkeit import ABGELEITET
from labore.models import Labor
from themenfelder.choices import Phase, PhasenStatus, Rolle, Umfang
from themenfelder.models import PhasenStatus as PhasenStatusModel
from themenfelder.models import TandemRolle, Teilnahme

from ..choices import Berichtsart
from ..models import (
    BeteiligungZeile,
    LaborZeile,
    ThemenfeldStandZeile,
    UmsetzungKommuneZeile,
    UmsetzungKreisZeile,
    UmsetzungLandZeile,
)

#: Scratch tables of the Umsetzungsstand build (temporary, per connection): the executing level of every Leistung
#: in every Land (16 × 557 rows), and Kommune × Themenfeld, the one pass over KommunaleUmsetzung.
EBENEN_TABELLE = "berichte_tmp_ebenen"
ZWISCHENTABELLE = "berichte_tmp_kommune_themenfeld"


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _q(text: str) -> str:
    """A code constant as an SQL literal (only ever used with values from choices classes, never user input)."""
    return "'" + str(text).replace("'", "''") + "'"


def _liste(ausdruck: str, von_where_order: str) -> str:
    """Scalar subquery that joins the values of ``ausdruck`` with ", " in the given order."""
    agg = "STRING_AGG" if connection.vendor == "postgresql" else "GROUP_CONCAT"
    return f"(SELECT {agg}(s.wert, ', ') FROM (SELECT {ausdruck} AS wert {von_where_order}) s)"


def _ebene_sql(erfasst: str, vollzug: str) -> str:
    """SQL of ``catalog.zustaendigkeit.effektive_ebene``: the recorded level, else the one the Typisierung tells."""
    faelle = " ".join(f"WHEN {vollzug} = {_q(v.value)} THEN {_q(e.value)}" for v, e in ABGELEITET.items())
    return f"COALESCE({erfasst}, CASE {faelle} ELSE {_q(EffektiveEbene.KEINE.value)} END)"


def _zaehle(bedingung: str) -> str:
    return f"SUM(CASE WHEN {bedingung} THEN 1 ELSE 0 END)"


EBENEN = [e.value for e in EffektiveEbene]


def _land_kurz_sql(ars: str) -> str:
    faelle = " ".join(f"WHEN {_q(code)} THEN {_q(kurz)}" for code, kurz in LAND_KUERZEL.items())
    return f"CASE substr({ars}, 1, 2) {faelle} ELSE '' END"


# --- 1. Stand der Themenfeldbearbeitung ---------------------------------------------------------------------------


def stichtage() -> list:
    """Every date on which the table can change: Stände of the Phasenstatus and start dates of the Labore."""
    daten = set(PhasenStatusModel.objects.order_by().values_list("stand", flat=True).distinct())
    daten |= set(
        Labor.objects.order_by().filter(gestartet_bis__isnull=False).values_list("gestartet_bis", flat=True).distinct()
    )
    return sorted(daten)


def baue_themenfeldbearbeitung(lauf) -> dict:
    tandem, org, gebiet = _t(TandemRolle), _t(Organisation), _t(Gebietskoerperschaft)
    partner = f"COALESCE(o.kurzname, {_land_kurz_sql('la.ars')})"
    von = (
        f"FROM {tandem} r LEFT JOIN {org} o ON o.id = r.organisation_id LEFT JOIN {gebiet} la ON la.id = r.land_id "
        "WHERE r.themenfeld_id = tf.id AND "
    )
    reihenfolge = " ORDER BY r.rolle DESC, o.kurzname, la.ars"
    bundesressort = _q("bundesressort")
    spalten = {
        "bund": _liste(partner, von + f"r.umfang = {_q(Umfang.THEMENFELD)} AND o.art = {bundesressort}" + reihenfolge),
        "federfuehrung": _liste(
            partner,
            von
            + f"r.umfang = {_q(Umfang.THEMENFELD)} AND r.rolle = {_q(Rolle.FEDERFUEHRUNG)} "
            + f"AND (o.art IS NULL OR o.art <> {bundesressort})"
            + reihenfolge,
        ),
        "mitarbeit": _liste(
            partner, von + f"r.umfang = {_q(Umfang.THEMENFELD)} AND r.rolle = {_q(Rolle.MITARBEIT)}" + reihenfolge
        ),
        "einzelthemen": _liste(
            f"{partner} || ' (' || r.rolle || ')'", von + f"r.umfang = {_q(Umfang.EINZELTHEMA)}" + reihenfolge
        ),
    }
    phasen = {
        phase.value: (
            f"COALESCE((SELECT p.status FROM {_t(PhasenStatusModel)} p WHERE p.themenfeld_id = tf.id "
            f"AND p.phase = {_q(phase.value)} AND p.stand <= %(stichtag)s ORDER BY p.stand DESC LIMIT 1), '')"
        )
        for phase in Phase
    }
    labor, gestartet = _t(Labor), "(lb.gestartet_bis IS NULL OR lb.gestartet_bis <= %(stichtag)s)"
    spalten_sql = ", ".join(f"COALESCE({sql}, '')" for sql in spalten.values())
    sql = (
        f"INSERT INTO {_t(ThemenfeldStandZeile)} (lauf_id, stichtag, themenfeld_id, themenfeld_name, "
        f"{', '.join(spalten)}, {', '.join(phasen)}, labore_anzahl, labore) "
        f"SELECT %(lauf)s, %(stichtag)s, tf.id, tf.name, {spalten_sql}, {', '.join(phasen.values())}, "
        f"(SELECT COUNT(*) FROM {labor} lb WHERE lb.themenfeld_id = tf.id AND {gestartet}), "
        + "COALESCE("
        + _liste(
            "lb.titel || CASE WHEN lb.pilot THEN ' (Pilot)' ELSE '' END",
            f"FROM {labor} lb WHERE lb.themenfeld_id = tf.id AND {gestartet} ORDER BY lb.titel",
        )
        + f", '') FROM {_t(Themenfeld)} tf"
    )
    tage = stichtage()
    with connection.cursor() as cursor:
        # One statement per Stichtag: a loop over dates (a handful), not over data rows.
        for tag in tage:
            cursor.execute(_benannt(sql), _werte(sql, {"lauf": lauf.pk, "stichtag": tag}))
    # Progress per Stichtag, counted in SQL over the rows just written.
    zeilen = _t(ThemenfeldStandZeile)
    phasen_spalten = [p.value for p in Phase]
    je_status = ", ".join(
        "+".join(_zaehle(f"{spalte} = {_q(status)}") for spalte in phasen_spalten) + f" AS {status}"
        for status in (PhasenStatus.ABGESCHLOSSEN, PhasenStatus.LAUFEND)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT stichtag, {je_status}, SUM(labore_anzahl) FROM {zeilen} WHERE lauf_id = %s "
            "GROUP BY stichtag ORDER BY stichtag",
            [lauf.pk],
        )
        verlauf = [
            {"stichtag": str(tag), "abgeschlossen": int(ab or 0), "laufend": int(lf or 0), "labore": int(lb or 0)}
            for tag, ab, lf, lb in cursor.fetchall()
        ]
    letzter = verlauf[-1] if verlauf else {"abgeschlossen": 0, "laufend": 0, "labore": 0}
    return {
        "stichtage": len(tage),
        "phasen_abgeschlossen": letzter["abgeschlossen"],
        "phasen_laufend": letzter["laufend"],
        "labore": letzter["labore"],
        "je_stichtag": verlauf,
    }


def _benannt(sql: str) -> str:
    """Named %(x)s placeholders → positional %s (SQLite's Django backend takes both, but one style is simpler)."""
    import re

    return re.sub(r"%\((\w+)\)s", "%s", sql)


def _werte(sql: str, werte: dict) -> list:
    import re

    return [werte[name] for name in re.findall(r"%\((\w+)\)s", sql)]


# --- 2. Umsetzungsstand ------------------------------------------------------------------------------------------


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
        f"FROM {_t(Leistung)} l JOIN {_t(Lage)} lg ON lg.id = l.lage_id "
        f"JOIN {_t(Gebietskoerperschaft)} la ON la.ebene = 'land' "
        f"LEFT JOIN {_t(Zustaendigkeit)} z ON z.land_id = la.id AND z.leistung_id = l.id "
        "AND z.leika_leistung_id IS NULL"
    )


def _ebenen_zaehler(spalte: str, summe: bool = False) -> list[str]:
    if summe:
        return [f"SUM({spalte}_{e})" for e in EBENEN]
    return [_zaehle(f"{spalte} = {_q(e)}") for e in EBENEN]


ANSCHLUSS = ["kommunal_erfasst", "kommunal_angeschlossen", "kommunal_geplant", "kommunal_nicht_geplant"]
ANSCHLUSS_ALLE = [*ANSCHLUSS, "kommunal_synthetisch"]
EBENEN_SPALTEN = [f"ebene_{e}" for e in EBENEN]


def abfrage_kommune_themenfeld() -> str:
    """The one pass over KommunaleUmsetzung: per Kommune and Themenfeld, counts per Anschlussstatus and level.

    Needs ``ebenen_vorbereiten`` first (so does ``abfrage_land``).
    """
    ku, gebiet = _t(KommunaleUmsetzung), _t(Gebietskoerperschaft)
    werte = [
        "COUNT(*)",
        _zaehle("ku.status = 'angeschlossen'"),
        _zaehle("ku.status = 'geplant'"),
        _zaehle("ku.status = 'nicht_geplant'"),
        _zaehle("ku.synthetisch"),
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
    u = _t(Umsetzungsstand)
    werte = [
        "COUNT(*)",
        *_ebenen_zaehler("e.ebene"),
        _zaehle(f"u.status = {_q(UmsetzungsStatus.IN_PLANUNG)}"),
        _zaehle(f"u.status = {_q(UmsetzungsStatus.IN_UMSETZUNG)}"),
        _zaehle(f"u.status = {_q(UmsetzungsStatus.ONLINE)}"),
        _zaehle("u.id IS NULL"),
        *[_zaehle(f"u.reifegrad = {stufe}") for stufe in range(8)],
        _zaehle("u.reifegrad IS NULL"),
        _zaehle("u.efa_anbieter_id = u.land_id"),
        _zaehle("u.efa_anbieter_id <> u.land_id"),
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
    gebiet, tmp = _t(Gebietskoerperschaft), ZWISCHENTABELLE
    with connection.cursor() as cursor:
        ebenen_vorbereiten(cursor)
        cursor.execute(f"DROP TABLE IF EXISTS {tmp}")
        cursor.execute(f"CREATE TEMPORARY TABLE {tmp} AS {abfrage_kommune_themenfeld()}")

        summen = ", ".join(f"SUM(t.{s})" for s in [*ANSCHLUSS_ALLE, *EBENEN_SPALTEN])
        ziel = ", ".join([*ANSCHLUSS_ALLE, *EBENEN_SPALTEN])
        cursor.execute(
            f"INSERT INTO {_t(UmsetzungKommuneZeile)} (lauf_id, kommune_id, kommune_ars, kommune_name, kommune_ebene, "
            f"kreis_ars, {ziel}) "
            f"SELECT %s, g.id, g.ars, g.name, g.ebene, COALESCE(kr.ars, ''), {summen} "
            f"FROM {tmp} t JOIN {gebiet} g ON g.id = t.kommune_id LEFT JOIN {gebiet} kr ON kr.id = g.kreis_id "
            "GROUP BY g.id, g.ars, g.name, g.ebene, kr.ars",
            [lauf.pk],
        )
        cursor.execute(
            f"INSERT INTO {_t(UmsetzungKreisZeile)} (lauf_id, kreis_id, kreis_ars, kreis_name, kommunen, {ziel}) "
            f"SELECT %s, kr.id, kr.ars, kr.name, COUNT(DISTINCT t.kommune_id), {summen} "
            f"FROM {tmp} t JOIN {gebiet} g ON g.id = t.kommune_id "
            f"JOIN {gebiet} kr ON kr.id = COALESCE(g.kreis_id, CASE WHEN g.ebene = 'kreis' THEN g.id END) "
            "GROUP BY kr.id, kr.ars, kr.name",
            [lauf.pk],
        )
        kommunal = ", ".join(f"COALESCE(k.{s}, 0)" for s in ANSCHLUSS_ALLE)
        kommunal_summen = ", ".join(f"SUM(t.{s}) AS {s}" for s in ANSCHLUSS_ALLE)
        cursor.execute(
            f"INSERT INTO {_t(UmsetzungLandZeile)} (lauf_id, themenfeld_id, themenfeld_name, land_id, land_ars, "
            f"land_name, {', '.join(LAND_SPALTEN)}, {', '.join(ANSCHLUSS_ALLE)}) "
            f"SELECT %s, a.themenfeld_id, tf.name, a.land_id, la.ars, la.name, "
            f"{', '.join('a.' + s for s in LAND_SPALTEN)}, {kommunal} "
            f"FROM ({abfrage_land()}) a JOIN {_t(Themenfeld)} tf ON tf.id = a.themenfeld_id "
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
            f"FROM {_t(UmsetzungLandZeile)} WHERE lauf_id = %s",
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


# --- 3. Labore ---------------------------------------------------------------------------------------------------


def baue_labore(lauf) -> dict:
    labor, teilnahme, org = _t(Labor), _t(Teilnahme), _t(Organisation)
    zuordnung = connection.ops.quote_name(Labor.leistungen.through._meta.db_table)
    mitwirkung = connection.ops.quote_name(Labor.teilnahmen.through._meta.db_table)
    it = _q("it_dienstleister")
    sql = (
        f"INSERT INTO {_t(LaborZeile)} (lauf_id, themenfeld_id, themenfeld_name, labore, pilotlabore, leistungen, "
        "kommunen, it_dienstleister, teilnahmen_mit_labor, labore_titel) "
        "SELECT %s, tf.id, tf.name, "
        f"(SELECT COUNT(*) FROM {labor} lb WHERE lb.themenfeld_id = tf.id), "
        f"(SELECT COUNT(*) FROM {labor} lb WHERE lb.themenfeld_id = tf.id AND lb.pilot), "
        f"(SELECT COUNT(DISTINCT z.leistung_id) FROM {zuordnung} z JOIN {labor} lb ON lb.id = z.labor_id "
        "WHERE lb.themenfeld_id = tf.id), "
        f"(SELECT COUNT(DISTINCT te.gebiet_id) FROM {teilnahme} te WHERE te.themenfeld_id = tf.id), "
        f"(SELECT COUNT(DISTINCT te.organisation_id) FROM {teilnahme} te JOIN {org} o ON o.id = te.organisation_id "
        f"WHERE te.themenfeld_id = tf.id AND o.art = {it}), "
        f"(SELECT COUNT(*) FROM {teilnahme} te JOIN {mitwirkung} lt ON lt.teilnahme_id = te.id "
        "WHERE te.themenfeld_id = tf.id), "
        "COALESCE("
        + _liste(
            "lb.titel || CASE WHEN lb.pilot THEN ' (Pilot)' ELSE '' END",
            f"FROM {labor} lb WHERE lb.themenfeld_id = tf.id ORDER BY lb.titel",
        )
        + f", '') FROM {_t(Themenfeld)} tf"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [lauf.pk])
        cursor.execute(
            "SELECT SUM(labore), SUM(pilotlabore), SUM(leistungen), SUM(CASE WHEN labore > 0 THEN 1 ELSE 0 END) "
            f"FROM {_t(LaborZeile)} WHERE lauf_id = %s",
            [lauf.pk],
        )
        labore, piloten, leistungen, themenfelder = (int(w or 0) for w in cursor.fetchone())
    return {
        "labore": labore,
        "pilotlabore": piloten,
        "leistungen": leistungen,
        "themenfelder_mit_laboren": themenfelder,
    }


# --- 4. Beteiligung ----------------------------------------------------------------------------------------------


def baue_beteiligung(lauf) -> dict:
    teilnahme, org, gebiet = _t(Teilnahme), _t(Organisation), _t(Gebietskoerperschaft)
    it = _q("it_dienstleister")
    sql = (
        f"INSERT INTO {_t(BeteiligungZeile)} (lauf_id, kommunen, it_dienstleister, laender, themenfelder, nennungen) "
        "SELECT %s, "
        f"(SELECT COUNT(DISTINCT gebiet_id) FROM {teilnahme}), "
        f"(SELECT COUNT(DISTINCT te.organisation_id) FROM {teilnahme} te JOIN {org} o ON o.id = te.organisation_id "
        f"WHERE o.art = {it}), "
        # A Land named as participant (Berlin) has no land_id: it is its own Land.
        f"(SELECT COUNT(DISTINCT q.land) FROM (SELECT COALESCE(g.land_id, g.id) AS land FROM {teilnahme} te "
        f"JOIN {gebiet} g ON g.id = te.gebiet_id UNION SELECT o.land_id FROM {teilnahme} te "
        f"JOIN {org} o ON o.id = te.organisation_id WHERE o.art = {it} AND o.land_id IS NOT NULL) q), "
        f"(SELECT COUNT(DISTINCT themenfeld_id) FROM {teilnahme}), "
        f"(SELECT COUNT(*) FROM {teilnahme} WHERE gebiet_id IS NOT NULL)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [lauf.pk])
    zeile = BeteiligungZeile.objects.get(lauf=lauf)
    return {
        "kommunen": zeile.kommunen,
        "it_dienstleister": zeile.it_dienstleister,
        "laender": zeile.laender,
        "themenfelder": zeile.themenfelder,
        "nennungen": zeile.nennungen,
    }


BUILDER = {
    Berichtsart.THEMENFELDBEARBEITUNG: baue_themenfeldbearbeitung,
    Berichtsart.UMSETZUNGSSTAND: baue_umsetzungsstand,
    Berichtsart.LABORE: baue_labore,
    Berichtsart.BETEILIGUNG: baue_beteiligung,
}

#: Result row models per report (for pruning and for the views).
ZEILEN = {
    Berichtsart.THEMENFELDBEARBEITUNG: [ThemenfeldStandZeile],
    Berichtsart.UMSETZUNGSSTAND: [UmsetzungLandZeile, UmsetzungKreisZeile, UmsetzungKommuneZeile],
    Berichtsart.LABORE: [LaborZeile],
    Berichtsart.BETEILIGUNG: [BeteiligungZeile],
}
