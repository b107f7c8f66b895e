"""The data version behind ETag, Last-Modified and the page and API caches: the change log's highest committed id,
over everything or over one *Bereich* (the entries that can change one body's page).

Read from the database on every conditional request (one indexed query), never from a cache: a cache that failed
to take a write can then cost a miss, but can never confirm stale data. Correct because log entries commit in id
order (``core.aenderungen``): once id N is visible, every committed change up to N is too, and a later commit
always brings a higher id, also within any Bereich. A request reads the version *before* its data, so a body is at
worst newer than its ETag (costing one extra 200), never older.

A Bereich follows the log's scope columns (``gebiet_ars``, ``land_ars``): a body's page depends on the entries of
the body itself, of the bodies above it (the ARS prefixes: Land, Regierungsbezirk, Kreis, Gemeindeverband), on the
*structural* entries of the bodies below it (``STRUKTUR_MODELLE``: their names and hierarchy, and the Teilnahmen a
Land's page lists; ARS starting with its own, for a Land ``land_ars``) and on every entry without a Gebiet (the
catalogue and everything not tied to a body) except the report pointer's (``SEITENFREMDE_MODELLE``). A page shows
nothing else of the bodies below it — no Kommune's status appears on its Kreis's or Land's page — so one Kommune's
edit renews that Kommune's version only and leaves the other 16,000 bodies' versions alone; renaming a Gemeinde
renews its Verband's, Kreis's and Land's too.

A list narrowed to bodies or Länder by its filter (``Listenbereich``) depends on the entries of those bodies, the
structural entries of those Länder and every entry without a Gebiet: a Kommune's edit leaves the dashboard lists
of the other bodies and Länder alone. The same query also returns the highest
entry without a Gebiet, the *Katalogstand*: data that is the same for every body is built once per Katalogstand;
and the highest entry of the body's Land itself (``gebiet_ars`` = its two digits), the *Landesstand*: what is the
same for every body of a Land (who executes each Leistung there, the Land's Umsetzungsstand) is built once per
Landesstand and Katalogstand.
"""

import hashlib
import time
from dataclasses import dataclass

from django.db import connection

from core import vorbereitet

#: Upper end of "every ARS starting with this one" (ARS are digits, at most 12; compare within one collation).
_NEUNEN = "9" * 12
#: The models whose rows a page of a body shows for the bodies below it (names and hierarchy in the lists of
#: Kreise and Gemeinden, Teilnahmen on a Land's page). Labels as the log writes them; migration core 0007 keeps a
#: partial index per scope column for exactly these, so a bulk import of statuses does not maintain them.
STRUKTUR_MODELLE = ("catalog.Gebietskoerperschaft", "themenfelder.Teilnahme")
_STRUKTUR = "modell IN (" + ", ".join(f"'{m}'" for m in STRUKTUR_MODELLE) + ")"
_SONST = "modell NOT IN (" + ", ".join(f"'{m}'" for m in STRUKTUR_MODELLE) + ")"
#: Models logged without a Gebiet that no body's page and no narrowed list shows: the report pointer (reports have
#: their own pages and life cycle). Each build moved it and so renewed every body's version and the catalogue;
#: migration core 0008 keeps a partial index for the rest of the entries without a Gebiet (the Katalogstand).
SEITENFREMDE_MODELLE = ("berichte.AktuellerBericht",)
_KATALOG = "gebiet_ars = '' AND modell NOT IN (" + ", ".join(f"'{m}'" for m in SEITENFREMDE_MODELLE) + ")"


@dataclass(frozen=True)
class Datenstand:
    sequenz: int
    zeitstempel: int  # whole seconds; strictly increasing per committing transaction (see aenderungen)
    #: (id, transaction) of the highest entry without a Gebiet; None when the version was read over everything.
    katalog: tuple[int, str] | None = None
    #: (id, transaction) of the highest entry of the body's Land itself; None when read over everything.
    land: tuple[int, str] | None = None

    @property
    def token(self) -> str:
        return str(self.sequenz)

    def etag(self, *teile: str) -> str:
        digest = hashlib.blake2b("\x1f".join((self.token, *teile)).encode(), digest_size=12).hexdigest()
        return f'W/"{digest}"'

    @property
    def last_modified(self) -> int:
        # A second ahead of the clock is sent as "now" (RFC 9110 8.8.2.1); comparisons use ``zeitstempel``.
        return min(self.zeitstempel, int(time.time()))


@dataclass(frozen=True)
class Gebietsbereich:
    """The log entries that can change the pages of one body, named by a scalar SQL subquery for its ARS.

    The layer that knows the body's table (catalog) supplies the subquery, so a conditional request resolves an
    AGS to its ARS in the same single query: a 304 stays one query.
    """

    ars_sql: str
    params: tuple


@dataclass(frozen=True)
class Listenbereich:
    """The log entries that can change a list narrowed by its filter: those of the bodies named by ``gebiete_sql``
    (SQL returning a column ``ars``, supplied by the layer that knows the bodies' table, with ``params``), the
    structural entries (names) of the bodies named by ``namen_sql`` (with ``namen_params``), those of all bodies in
    the Länder ``laender`` (two-digit ARS) and every entry without a Gebiet.

    The layer that owns the list decides from its filters which Bereich holds; a list it cannot narrow uses the
    global Datenstand. Each part reads one end of one index range; still one query.
    """

    gebiete_sql: str | None = None
    params: tuple = ()
    namen_sql: str | None = None
    namen_params: tuple = ()
    laender: tuple[str, ...] = ()


def aktueller_datenstand() -> Datenstand:
    with connection.cursor() as cur:
        cur.execute("SELECT id, sekunde FROM core_aenderung ORDER BY id DESC LIMIT 1")
        zeile = cur.fetchone()
    if zeile is None:
        return Datenstand(0, 0)
    return Datenstand(*zeile)


#: The ARS prefixes of the bodies above (and the body itself): Land, Regierungsbezirk, Region, Kreis, Verband.
ARS_PRAEFIXE = (2, 3, 4, 5, 9, 12)


def _beide(vorlage: str, verbinden: str) -> str:
    """``vorlage`` (SQL with ``{modell}``) once for structural entries and once for the others, joined: each reads
    its own partial index (core migrations 0007, 0009); a query that names no model could use neither."""
    return verbinden.join(vorlage.format(modell=m) for m in (_STRUKTUR, _SONST))


def _bereich_sql(bereich: Gebietsbereich) -> tuple[str, list]:
    """One statement: the highest id in the Bereich and its second, the highest id without a Gebiet and the highest
    of the body's Land itself, each with its transaction. Each part reads one end of one index range (core
    migrations 0007–0009)."""
    if connection.vendor == "postgresql":
        # One lateral "newest entry" per prefix: PostgreSQL plans it once (a MAX per prefix would each be a plan).
        praefixe = ", ".join(f"({n})" for n in ARS_PRAEFIXE)
        oben = _beide(
            """(SELECT MAX(y.id) FROM p CROSS JOIN LATERAL (
                SELECT id FROM core_aenderung WHERE gebiet_ars = p.ars AND {modell} ORDER BY id DESC LIMIT 1) y)""",
            ",\n            ",
        )
        stand = f"""GREATEST(
            {oben},
            (SELECT MAX(y.id) FROM g CROSS JOIN LATERAL (
                SELECT id FROM core_aenderung WHERE land_ars = g.ars AND {_STRUKTUR} ORDER BY id DESC LIMIT 1) y
             WHERE length(g.ars) = 2),
            (SELECT MAX(id) FROM core_aenderung, g
             WHERE length(g.ars) > 2 AND gebiet_ars > g.ars AND gebiet_ars <= g.ars || '{_NEUNEN}'
                   AND {_STRUKTUR}))"""
        mit = f"""WITH g AS ({bereich.ars_sql}),
            p AS (SELECT substr(g.ars, 1, v.n) AS ars FROM g, (VALUES {praefixe}) v(n)),"""
        land = (
            "GREATEST("
            + _beide(
                "(SELECT MAX(id) FROM core_aenderung, g WHERE gebiet_ars = substr(g.ars, 1, 2) AND {modell})", ", "
            )
            + ")"
        )
        params = list(bereich.params)
    else:
        # SQLite: a MAX per part (its planner is cheap); multi-argument MAX is NULL if any argument is.
        ars = f"({bereich.ars_sql})"
        teile = [
            _beide(f"SELECT MAX(id) FROM core_aenderung WHERE gebiet_ars = substr({ars}, 1, {n}) AND {{modell}}", "|")
            for n in ARS_PRAEFIXE
        ]
        teile = [t for paar in teile for t in paar.split("|")]
        teile += [
            f"SELECT MAX(id) FROM core_aenderung WHERE length({ars}) = 2 AND land_ars = {ars} AND {_STRUKTUR}",
            f"SELECT MAX(id) FROM core_aenderung WHERE length({ars}) > 2 AND gebiet_ars > {ars}"
            f" AND gebiet_ars <= {ars} || '{_NEUNEN}' AND {_STRUKTUR}",
        ]
        stand = "MAX(" + ", ".join(f"COALESCE(({t}), 0)" for t in teile) + ")"
        land = (
            "MAX("
            + _beide(
                f"COALESCE((SELECT MAX(id) FROM core_aenderung"
                f" WHERE gebiet_ars = substr({ars}, 1, 2) AND {{modell}}), 0)",
                ", ",
            )
            + ")"
        )
        mit = "WITH"
        params = list(bereich.params) * (stand.count(bereich.ars_sql) + land.count(bereich.ars_sql))
    groesser = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    # MATERIALIZED: ``s`` reads each column of ``t`` twice, and PostgreSQL would inline ``t`` and run every part of
    # it twice (21 index reads instead of 11).
    t = "t AS MATERIALIZED" if connection.vendor == "postgresql" else "t AS"
    sql = f"""{mit}
        {t} (SELECT {stand} AS id, (SELECT MAX(id) FROM core_aenderung WHERE {_KATALOG}) AS katalog,
              {land} AS land),
        s AS (SELECT {groesser}(COALESCE(t.id, 0), COALESCE(t.katalog, 0)) AS id, t.katalog,
              NULLIF(t.land, 0) AS land FROM t)
        SELECT s.id, a.sekunde, s.katalog, k.transaktion, s.land, la.transaktion FROM s
        LEFT JOIN core_aenderung a ON a.id = s.id LEFT JOIN core_aenderung k ON k.id = s.katalog
        LEFT JOIN core_aenderung la ON la.id = s.land"""
    return sql, params


def _listen_sql(bereich: Listenbereich) -> tuple[str, list]:
    """One statement: the highest id over the list's parts and its second (no Katalog- or Landesstand)."""
    teile = [f"SELECT MAX(id) FROM core_aenderung WHERE {_KATALOG}"]
    params = []
    for gebiete, werte, arten in (
        (bereich.gebiete_sql, bereich.params, (_STRUKTUR, _SONST)),
        (bereich.namen_sql, bereich.namen_params, (_STRUKTUR,)),
    ):
        if gebiete is None:
            continue
        for modell in arten:
            if connection.vendor == "postgresql":
                teile.append(
                    f"SELECT MAX(y.id) FROM ({gebiete}) g CROSS JOIN LATERAL (SELECT id FROM core_aenderung"
                    f" WHERE gebiet_ars = g.ars AND {modell} ORDER BY id DESC LIMIT 1) y"
                )
            else:
                teile.append(f"SELECT MAX(id) FROM core_aenderung WHERE gebiet_ars IN ({gebiete}) AND {modell}")
            params += werte
    for land in bereich.laender:
        teile.append(f"SELECT MAX(id) FROM core_aenderung WHERE land_ars = %s AND {_STRUKTUR}")
        params.append(land)
    hoechste = " UNION ALL ".join(f"SELECT ({t}) AS id" for t in teile)
    sql = f"""WITH s AS (SELECT MAX(t.id) AS id FROM ({hoechste}) t)
        SELECT s.id, a.sekunde FROM s LEFT JOIN core_aenderung a ON a.id = s.id"""
    return sql, params


def _zeile(sql: str, params: list) -> tuple:
    """One row of ``sql``, a prepared statement on PostgreSQL (``core.vorbereitet``): it runs on every request of a
    page or list, and planning its laterals cost about as much as running them."""
    return vorbereitet.lesen(sql, params)[0]


def datenstand_im_bereich(bereich: Gebietsbereich | Listenbereich) -> Datenstand:
    if isinstance(bereich, Listenbereich):
        sequenz, sekunde = _zeile(*_listen_sql(bereich))
        return Datenstand(sequenz or 0, sekunde or 0)
    sequenz, sekunde, katalog, transaktion, land, land_transaktion = _zeile(*_bereich_sql(bereich))
    # No entry at all in the Bereich: 0, like an empty log.
    return Datenstand(
        sequenz or 0, sekunde or 0, (katalog or 0, transaktion or ""), (land or 0, land_transaktion or "")
    )


def bereich_setzen(request, bereich: Gebietsbereich | Listenbereich | None) -> None:
    """Name the Bereich this request answers for, before anything reads its Datenstand."""
    getattr(request, "_request", request).ozg_bereich = bereich


def datenstand_der_anfrage(request) -> Datenstand:
    """The Datenstand one request answers for: read once (one query) and kept on the request.

    The throttle, the ETag of the API and the "Stand der Daten" of a page must all name the same state, and a
    conditional request must not read it twice. DRF wraps Django's request: the value sits on the inner one.
    """
    roh = getattr(request, "_request", request)
    if not hasattr(roh, "ozg_datenstand"):
        bereich = getattr(roh, "ozg_bereich", None)
        roh.ozg_datenstand = aktueller_datenstand() if bereich is None else datenstand_im_bereich(bereich)
    return roh.ozg_datenstand
