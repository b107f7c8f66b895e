"""Writing checked federal rows: a staging table, then set-based SQL (PostgreSQL and SQLite alike).

The checked rows go into a temporary table (COPY on PostgreSQL), in the import's transaction. Everything after
that runs in the database over all rows at once, so Python holds one batch of rows, never the whole file:

1. duplicates: rows for the same Leistung at the same place; equal ones are merged, differing ones are errors
   naming both lines (then nothing is written: the transaction rolls back, the staging table with it);
2. ``Onlinedienst``: one row per (place, LeiKa-Leistung), compared with the stored rows by a join;
3. the portal's statuses per (place, OZG-Leistung): a bundesweit row stands for every Land; "ja" wins, then a row
   with a URL, then the first row; Umsetzungsstand for a Land, KommunaleUmsetzung below.

Only new and changed rows are written, each with its history row (``history_type`` + or ~, the editor, the
reason) and its change-log entry (``core.aenderungen.eintragen``, which also takes the log's lock and second), so
a second run of the same file writes nothing at all. Written like ``bulk_schreiben`` does it, but in SQL: the ORM
would build and compare an instance per row (500,000 rows took 188 s and 359 MB that way).
"""

from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from catalog.choices import Anschlussstatus, Ebene, UmsetzungsStatus
from catalog.models import KommunaleUmsetzung, Umsetzungsstand
from core import kontext
from core.aenderungen import eintragen, verfolgt
from core.models import Aenderung

from ..choices import Aktiv, Flaechendeckung
from ..models import Onlinedienst
from .pruefen import Zeile

BATCH = 5000
STAGING = "dashboard_import_zeile"
_SPALTEN = "nr, quelle, zeile, ort, ort_k, leika, leika_k, leistung, lk, url, online_status, aktiv, art, ja"


@dataclass
class Ergebnis:
    zahlen: dict = field(default_factory=dict)  # model label → {"neu": n, "geändert": n, "unverändert": n}

    def zeilen(self) -> list[str]:
        return [
            f"{label}: {z['neu']} neu, {z['geändert']} geändert, {z['unverändert']} unverändert"
            for label, z in self.zahlen.items()
        ]

    @property
    def geaendert(self) -> bool:
        return any(z["neu"] or z["geändert"] for z in self.zahlen.values())


def _sql(sql: str, params=()):
    if isinstance(params, dict):
        # Named parameters, only those the statement names: a driver refuses parameters without a placeholder.
        params = {k: v for k, v in params.items() if f"%({k})s" in sql} or None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def _temp(name: str, select: str, params=()):
    _sql(f"DROP TABLE IF EXISTS {name}")
    _sql(f"CREATE TEMPORARY TABLE {name} AS {select}", params)
    if connection.vendor == "postgresql":
        _sql(f"ANALYZE {name}")  # autovacuum never sees temporary tables: without statistics, joins are guessed


class Staging:
    """The checked rows of one import, in a temporary table of the current transaction."""

    def __init__(self):
        _sql(f"DROP TABLE IF EXISTS {STAGING}")
        _sql(
            f"CREATE TEMPORARY TABLE {STAGING} (nr integer PRIMARY KEY, quelle integer, zeile integer, ort integer, "
            "ort_k integer, leika integer, leika_k integer, leistung integer, lk integer, url text, "
            "online_status text, aktiv text, art text, ja integer)"
        )
        self.puffer: list[tuple] = []
        self.anzahl = 0

    def add(self, quelle: int, nummer: int, z: Zeile) -> None:
        self.anzahl += 1
        # lk: the Leistung is part of the key only for rows without a LeiKa-Schlüssel (one status per OZG-Leistung).
        self.puffer.append(
            (
                self.anzahl,
                quelle,
                nummer,
                z.ort,
                z.ort or 0,
                z.leika_id,
                z.leika_id or 0,
                z.leistung_id,
                0 if z.leika_id else z.leistung_id,
                z.url,
                z.online_status,
                z.aktiv,
                z.art,
                1 if z.aktiv == Aktiv.JA else 0,
            )
        )
        if len(self.puffer) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.puffer:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {STAGING} ({_SPALTEN}) FROM STDIN") as kopie:
                    for werte in self.puffer:
                        kopie.write_row(werte)
            else:
                platz = ", ".join(["%s"] * 14)
                cursor.executemany(f"INSERT INTO {STAGING} ({_SPALTEN}) VALUES ({platz})", self.puffer)
        self.puffer.clear()

    def widersprueche(self, grenze: int = 1000) -> list[tuple[int, int, int]]:
        """(quelle, zeile, zeile of the first row) of every row that differs from the first for the same key."""
        self.flush()
        _sql(f"CREATE INDEX {STAGING}_schluessel ON {STAGING} (ort_k, leika_k, lk, nr)")
        if connection.vendor == "postgresql":
            _sql("ANALYZE " + STAGING)  # a temporary table has no statistics until analysed
        _temp("dashboard_import_erste", f"SELECT ort_k, leika_k, lk, MIN(nr) AS nr FROM {STAGING} GROUP BY 1, 2, 3")
        return _sql(
            f"SELECT s.quelle, s.zeile, f.zeile FROM {STAGING} s "
            "JOIN dashboard_import_erste e ON e.ort_k = s.ort_k AND e.leika_k = s.leika_k AND e.lk = s.lk "
            f"JOIN {STAGING} f ON f.nr = e.nr "
            "WHERE s.nr <> e.nr AND (s.leistung <> f.leistung OR s.url <> f.url OR s.online_status <> f.online_status "
            "OR s.aktiv <> f.aktiv OR s.art <> f.art) ORDER BY s.nr LIMIT %s",
            [grenze],
        )

    def eindeutig(self) -> int:
        return _sql("SELECT COUNT(*) FROM dashboard_import_erste")[0][0]

    def dienste(self) -> int:
        return _sql("SELECT COUNT(*) FROM dashboard_import_erste WHERE leika_k <> 0")[0][0]


def vergleichen_und_schreiben(*, schreiben: bool, user, grund: str) -> Ergebnis:
    """Compare the staged rows with the stored ones; write the differences if ``schreiben``."""
    ergebnis = Ergebnis()
    schreiber = _Schreiber(user, grund[:100], schreiben)  # simple_history's change reason holds 100 characters
    _onlinedienste(schreiber, ergebnis)
    _status_wunsch()
    _umsetzungsstaende(schreiber, ergebnis)
    _kommunale_umsetzungen(schreiber, ergebnis)
    return ergebnis


def _zaehlen(ergebnis: Ergebnis, model, tabelle: str) -> None:
    neu, anders, gleich = _sql(
        "SELECT COALESCE(SUM(CASE WHEN vorhanden IS NULL THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN vorhanden IS NOT NULL AND anders = 1 THEN 1 ELSE 0 END), 0), "
        f"COALESCE(SUM(CASE WHEN vorhanden IS NOT NULL AND anders = 0 THEN 1 ELSE 0 END), 0) FROM {tabelle}"
    )[0]
    if neu or anders or gleich:
        ergebnis.zahlen[str(model._meta.verbose_name_plural)] = {
            "neu": int(neu),
            "geändert": int(anders),
            "unverändert": int(gleich),
        }


def _onlinedienste(schreiber, ergebnis: Ergebnis) -> None:
    _temp(
        "dashboard_import_dienst",
        "SELECT s.ort, s.leika, s.leistung, s.url, s.online_status, s.aktiv, s.art, o.id AS vorhanden, "
        "CASE WHEN o.id IS NOT NULL AND (o.leistung_id <> s.leistung OR o.url <> s.url "
        "OR o.online_status <> s.online_status OR o.aktiv <> s.aktiv OR o.art_flaechendeckung <> s.art) "
        "THEN 1 ELSE 0 END AS anders "
        f"FROM dashboard_import_erste e JOIN {STAGING} s ON s.nr = e.nr "
        "LEFT JOIN dashboard_onlinedienst o ON o.leika_id = s.leika AND COALESCE(o.gebiet_id, 0) = s.ort_k "
        "WHERE e.leika_k <> 0",
    )
    _zaehlen(ergebnis, Onlinedienst, "dashboard_import_dienst")
    schreiber.schreiben(
        Onlinedienst,
        "dashboard_import_dienst",
        neu={
            "gebiet_id": "d.ort",
            "leika_id": "d.leika",
            "leistung_id": "d.leistung",
            "url": "d.url",
            "online_status": "d.online_status",
            "aktiv": "d.aktiv",
            "art_flaechendeckung": "d.art",
        },
        aendern=["leistung_id", "url", "online_status", "aktiv", "art_flaechendeckung"],
        zuordnung="o.leika_id = d.leika AND COALESCE(o.gebiet_id, 0) = COALESCE(d.ort, 0)",
    )


def _status_wunsch() -> None:
    """One wished status per (place, OZG-Leistung); a bundesweit row stands for every Land."""
    _temp(
        "dashboard_import_wunsch",
        "SELECT ort, leistung, ja, url FROM ("
        "SELECT ort, leistung, ja, url, ROW_NUMBER() OVER (PARTITION BY ort, leistung "
        "ORDER BY ja DESC, CASE WHEN url <> '' THEN 1 ELSE 0 END DESC, nr) AS rang FROM ("
        f"SELECT s.ort, s.leistung, s.ja, s.url, s.nr FROM {STAGING} s WHERE s.ort IS NOT NULL AND s.art <> %s "
        "UNION ALL "
        f"SELECT l.id, s.leistung, s.ja, s.url, s.nr FROM {STAGING} s "
        "JOIN catalog_gebietskoerperschaft l ON l.ebene = %s WHERE s.ort IS NULL AND s.art <> %s"
        ") a) x WHERE rang = 1",
        [Flaechendeckung.NICHT_BERUECKSICHTIGT, Ebene.LAND, Flaechendeckung.NICHT_BERUECKSICHTIGT],
    )


def _umsetzungsstaende(schreiber, ergebnis: Ergebnis) -> None:
    _temp(
        "dashboard_import_land",
        "SELECT w.ort, w.leistung, w.url, CASE WHEN w.ja = 1 THEN %s ELSE %s END AS status, k.id AS vorhanden, "
        "CASE WHEN k.id IS NOT NULL AND (k.status <> CASE WHEN w.ja = 1 THEN %s ELSE %s END "
        "OR k.online_url <> w.url) THEN 1 ELSE 0 END AS anders "
        "FROM dashboard_import_wunsch w JOIN catalog_gebietskoerperschaft g ON g.id = w.ort AND g.ebene = %s "
        "LEFT JOIN catalog_umsetzungsstand k ON k.land_id = w.ort AND k.leistung_id = w.leistung",
        [UmsetzungsStatus.ONLINE, UmsetzungsStatus.IN_UMSETZUNG] * 2 + [Ebene.LAND],
    )
    _zaehlen(ergebnis, Umsetzungsstand, "dashboard_import_land")
    felder = {f.attname: f for f in Umsetzungsstand._meta.concrete_fields}
    schreiber.schreiben(
        Umsetzungsstand,
        "dashboard_import_land",
        neu={
            "land_id": "d.ort",
            "leistung_id": "d.leistung",
            "status": "d.status",
            "online_url": "d.url",
            "stand": "%(heute)s",
            # Not given by the federal format: the model's defaults, as a form or bulk_create would set them.
            "reifegradmodell": "%(reifegradmodell)s",
            "bemerkung": "''",
        },
        params={"reifegradmodell": str(felder["reifegradmodell"].get_default())},
        aendern=["status", "online_url", "stand"],
        zuordnung="o.land_id = d.ort AND o.leistung_id = d.leistung",
    )


def _kommunale_umsetzungen(schreiber, ergebnis: Ergebnis) -> None:
    _temp(
        "dashboard_import_kommune",
        "SELECT w.ort, w.leistung, w.url, CASE WHEN w.ja = 1 THEN %s ELSE %s END AS status, k.id AS vorhanden, "
        "CASE WHEN k.id IS NOT NULL AND (k.status <> CASE WHEN w.ja = 1 THEN %s ELSE %s END "
        "OR k.online_url <> w.url) THEN 1 ELSE 0 END AS anders "
        "FROM dashboard_import_wunsch w JOIN catalog_gebietskoerperschaft g ON g.id = w.ort AND g.ebene <> %s "
        "LEFT JOIN catalog_kommunaleumsetzung k ON k.kommune_id = w.ort AND k.leistung_id = w.leistung",
        [Anschlussstatus.ANGESCHLOSSEN, Anschlussstatus.GEPLANT] * 2 + [Ebene.LAND],
    )
    _zaehlen(ergebnis, KommunaleUmsetzung, "dashboard_import_kommune")
    schreiber.schreiben(
        KommunaleUmsetzung,
        "dashboard_import_kommune",
        neu={
            "kommune_id": "d.ort",
            "leistung_id": "d.leistung",
            "status": "d.status",
            "online_url": "d.url",
            "stand": "%(heute)s",
            "synthetisch": "FALSE",  # imported from a real file: never synthetic
        },
        aendern=["status", "online_url", "stand", "geplant_bis"],
        # A date "geplant bis" belongs to the status geplant only (check constraint).
        ausdruecke={"geplant_bis": f"CASE WHEN d.status = '{Anschlussstatus.GEPLANT}' THEN o.geplant_bis END"},
        zuordnung="o.kommune_id = d.ort AND o.leistung_id = d.leistung",
    )


class _Schreiber:
    """Writes the new and changed rows of a comparison table, with history rows and change-log entries."""

    def __init__(self, user, grund: str, aktiv: bool):
        self.aktiv = aktiv
        self.grund = grund
        self.user_id = user.pk if user is not None else kontext.aktuell().user_id
        self.jetzt = timezone.now()
        self.heute = timezone.localdate()

    def schreiben(
        self, model, tabelle, *, neu: dict, aendern: list, zuordnung: str, ausdruecke=None, params=None
    ) -> None:
        if not self.aktiv:
            return
        ziel = model._meta.db_table
        params = {"heute": self.heute, **(params or {})}
        spalten = ", ".join(neu)
        _sql(
            f"INSERT INTO {ziel} ({spalten}) SELECT {', '.join(neu.values())} FROM {tabelle} d "
            "WHERE d.vorhanden IS NULL",
            params,
        )
        ausdruecke = ausdruecke or {}
        # In SET, the updated table's own columns are read without alias (PostgreSQL and SQLite alike).
        zuweisung = ", ".join(
            f"{f} = {ausdruecke.get(f, neu.get(f, 'd.' + f)).replace('o.', ziel + '.')}" for f in aendern
        )
        _sql(
            f"UPDATE {ziel} SET {zuweisung} FROM {tabelle} d WHERE {ziel}.id = d.vorhanden AND d.anders = 1",
            params,
        )
        # The ids of the written rows: changed ones are known, new ones found by their key.
        _temp(
            "dashboard_import_ids",
            f"SELECT d.vorhanden AS id, '~' AS typ FROM {tabelle} d WHERE d.anders = 1 UNION ALL "
            f"SELECT o.id, '+' FROM {tabelle} d JOIN {ziel} o ON {zuordnung} WHERE d.vorhanden IS NULL",
        )
        self._historie_und_protokoll(model)

    def _historie_und_protokoll(self, model) -> None:
        felder = [f.column for f in model._meta.concrete_fields]
        historie = model.history.model._meta.db_table
        liste = ", ".join(felder)
        _sql(
            f"INSERT INTO {historie} ({liste}, history_date, history_change_reason, history_type, history_user_id) "
            f"SELECT {', '.join('o.' + f for f in felder)}, %s, %s, i.typ, %s FROM {model._meta.db_table} o "
            "JOIN dashboard_import_ids i ON i.id = o.id ORDER BY o.id",
            [self.jetzt, self.grund, self.user_id],
        )
        if not verfolgt(model):
            return
        aktion = {"+": Aenderung.Aktion.ANGELEGT, "~": Aenderung.Aktion.GEAENDERT}
        attnames = [f.attname for f in model._meta.concrete_fields]
        # First into a table of its own (planned as a whole: a hash join), then read batch by batch through a
        # server-side cursor on PostgreSQL while the entries are written on the same connection. A cursor over the
        # join itself would be planned for its first rows and look up every history row one by one.
        _temp(
            "dashboard_import_hist",
            f"SELECT h.history_id, h.history_type, {', '.join('h.' + f for f in felder)} FROM {historie} h "
            "JOIN dashboard_import_ids i ON i.id = h.id AND i.typ = h.history_type WHERE h.history_date = %s",
            [self.jetzt],
        )
        with connection.chunked_cursor() as cursor:
            cursor.execute("SELECT * FROM dashboard_import_hist ORDER BY history_id")
            while block := cursor.fetchmany(BATCH):
                objs = [model(*werte[2:]) for werte in block]
                eintraege = [
                    {
                        "aktion": aktion[werte[1]],
                        "nachher": dict(zip(attnames, werte[2:], strict=True)),
                        "historie_id": werte[0],
                    }
                    for werte in block
                ]
                eintragen(eintraege, objs)
