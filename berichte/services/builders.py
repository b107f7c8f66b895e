"""The SQL that builds each report: every figure is a GROUP BY or a conditional count in the database.

Each builder writes its result rows with INSERT … SELECT into the tables of ``berichte.models`` for one Berichtslauf
and returns the summary figures (``kennzahlen``) of that build. Python never loops over data rows; it loops at most
over a handful of Stichtage. The SQL runs on PostgreSQL and SQLite alike. The Umsetzungsstand report, the largest,
is in ``umsetzung.py``; the shared building blocks in ``sql.py``.
"""

import re

from django.db import connection

from catalog.choices import LAND_KUERZEL
from catalog.models import Gebietskoerperschaft, Organisation, Themenfeld
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
from .sql import aufzaehlung, literal, tabelle, zaehle
from .umsetzung import baue_umsetzungsstand


def _land_kurz_sql(ars: str) -> str:
    faelle = " ".join(f"WHEN {literal(code)} THEN {literal(kurz)}" for code, kurz in LAND_KUERZEL.items())
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
    sql = _themenfeld_stand_sql()
    tage = stichtage()
    with connection.cursor() as cursor:
        # One statement per Stichtag: a loop over dates (a handful), not over data rows.
        for tag in tage:
            cursor.execute(_benannt(sql), _werte(sql, {"lauf": lauf.pk, "stichtag": tag}))
    verlauf = _verlauf_je_stichtag(lauf)
    letzter = verlauf[-1] if verlauf else {"abgeschlossen": 0, "laufend": 0, "labore": 0}
    return {
        "stichtage": len(tage),
        "phasen_abgeschlossen": letzter["abgeschlossen"],
        "phasen_laufend": letzter["laufend"],
        "labore": letzter["labore"],
        "je_stichtag": verlauf,
    }


def _themenfeld_stand_sql() -> str:
    """INSERT … SELECT of one Stichtag (``%(lauf)s``, ``%(stichtag)s``): tandems, phases, Labore per Themenfeld."""
    tandem, org, gebiet = tabelle(TandemRolle), tabelle(Organisation), tabelle(Gebietskoerperschaft)
    partner = f"COALESCE(o.kurzname, {_land_kurz_sql('la.ars')})"
    von = (
        f"FROM {tandem} r LEFT JOIN {org} o ON o.id = r.organisation_id LEFT JOIN {gebiet} la ON la.id = r.land_id "
        "WHERE r.themenfeld_id = tf.id AND "
    )
    reihenfolge = " ORDER BY r.rolle DESC, o.kurzname, la.ars"
    bundesressort = literal("bundesressort")
    spalten = {
        "bund": aufzaehlung(
            partner, von + f"r.umfang = {literal(Umfang.THEMENFELD)} AND o.art = {bundesressort}" + reihenfolge
        ),
        "federfuehrung": aufzaehlung(
            partner,
            von
            + f"r.umfang = {literal(Umfang.THEMENFELD)} AND r.rolle = {literal(Rolle.FEDERFUEHRUNG)} "
            + f"AND (o.art IS NULL OR o.art <> {bundesressort})"
            + reihenfolge,
        ),
        "mitarbeit": aufzaehlung(
            partner,
            von + f"r.umfang = {literal(Umfang.THEMENFELD)} AND r.rolle = {literal(Rolle.MITARBEIT)}" + reihenfolge,
        ),
        "einzelthemen": aufzaehlung(
            f"{partner} || ' (' || r.rolle || ')'", von + f"r.umfang = {literal(Umfang.EINZELTHEMA)}" + reihenfolge
        ),
    }
    phasen = {
        phase.value: (
            f"COALESCE((SELECT p.status FROM {tabelle(PhasenStatusModel)} p WHERE p.themenfeld_id = tf.id "
            f"AND p.phase = {literal(phase.value)} AND p.stand <= %(stichtag)s ORDER BY p.stand DESC LIMIT 1), '')"
        )
        for phase in Phase
    }
    labor, gestartet = tabelle(Labor), "(lb.gestartet_bis IS NULL OR lb.gestartet_bis <= %(stichtag)s)"
    spalten_sql = ", ".join(f"COALESCE({sql}, '')" for sql in spalten.values())
    sql = (
        f"INSERT INTO {tabelle(ThemenfeldStandZeile)} (lauf_id, stichtag, themenfeld_id, themenfeld_name, "
        f"{', '.join(spalten)}, {', '.join(phasen)}, labore_anzahl, labore) "
        f"SELECT %(lauf)s, %(stichtag)s, tf.id, tf.name, {spalten_sql}, {', '.join(phasen.values())}, "
        f"(SELECT COUNT(*) FROM {labor} lb WHERE lb.themenfeld_id = tf.id AND {gestartet}), "
        + "COALESCE("
        + aufzaehlung(
            "lb.titel || CASE WHEN lb.pilot THEN ' (Pilot)' ELSE '' END",
            f"FROM {labor} lb WHERE lb.themenfeld_id = tf.id AND {gestartet} ORDER BY lb.titel",
        )
        + f", '') FROM {tabelle(Themenfeld)} tf"
    )
    return sql


def _verlauf_je_stichtag(lauf) -> list[dict]:
    """Progress per Stichtag, counted in SQL over the rows just written."""
    zeilen = tabelle(ThemenfeldStandZeile)
    phasen_spalten = [p.value for p in Phase]
    je_status = ", ".join(
        "+".join(zaehle(f"{spalte} = {literal(status)}") for spalte in phasen_spalten) + f" AS {status}"
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
    return verlauf


def _benannt(sql: str) -> str:
    """Named %(x)s placeholders → positional %s (SQLite's Django backend takes both, but one style is simpler)."""

    return re.sub(r"%\((\w+)\)s", "%s", sql)


def _werte(sql: str, werte: dict) -> list:

    return [werte[name] for name in re.findall(r"%\((\w+)\)s", sql)]


# --- 3. Labore ---------------------------------------------------------------------------------------------------


def baue_labore(lauf) -> dict:
    labor, teilnahme, org = tabelle(Labor), tabelle(Teilnahme), tabelle(Organisation)
    zuordnung = connection.ops.quote_name(Labor.leistungen.through._meta.db_table)
    mitwirkung = connection.ops.quote_name(Labor.teilnahmen.through._meta.db_table)
    it = literal("it_dienstleister")
    sql = (
        f"INSERT INTO {tabelle(LaborZeile)} (lauf_id, themenfeld_id, themenfeld_name, labore, pilotlabore, leistungen, "
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
        + aufzaehlung(
            "lb.titel || CASE WHEN lb.pilot THEN ' (Pilot)' ELSE '' END",
            f"FROM {labor} lb WHERE lb.themenfeld_id = tf.id ORDER BY lb.titel",
        )
        + f", '') FROM {tabelle(Themenfeld)} tf"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [lauf.pk])
        cursor.execute(
            "SELECT SUM(labore), SUM(pilotlabore), SUM(leistungen), SUM(CASE WHEN labore > 0 THEN 1 ELSE 0 END) "
            f"FROM {tabelle(LaborZeile)} WHERE lauf_id = %s",
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
    teilnahme, org, gebiet = tabelle(Teilnahme), tabelle(Organisation), tabelle(Gebietskoerperschaft)
    it = literal("it_dienstleister")
    sql = (
        f"INSERT INTO {tabelle(BeteiligungZeile)} "
        "(lauf_id, kommunen, it_dienstleister, laender, themenfelder, nennungen) "
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
