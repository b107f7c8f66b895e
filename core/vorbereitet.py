"""A QuerySet compiled by the ORM once and run again with other values: for the hot read paths of public pages.

Compiling a query with a few joins (``select_related``, aggregates) costs about a millisecond of CPU; running the
finished SQL costs a fifth of that. ``Vorbereitet`` builds its QuerySet once, with stand-in values, lets the ORM
compile it, and finds the stand-ins among the SQL's parameters; each call sends that SQL with the call's values
in their places and turns the rows into what the QuerySet would give — model instances (with what
``select_related`` joined), dicts for ``values()``, tuples for ``values_list()`` — through the same compiler:
same SQL, same converters, same objects, one query as before.

The QuerySet must use its values only as plain parameters (``=``, ``IN``), each stand-in coming back unchanged;
otherwise building it fails at once (a stand-in that a lookup rewrote, e.g. ``startswith``, is not found).

On PostgreSQL the SQL is also a prepared statement (``lesen``): the server plans it once per
connection instead of on every request. Planning the joins of these short queries cost more than running them
(the body with the four above it: 1.0 ms planned each time; the database's share of every uncached page).
"""

import threading
from itertools import count

from django.db import InterfaceError, OperationalError, connections
from django.db.models.query import ModelIterable, ValuesIterable, ValuesListIterable, get_related_populators

#: Stand-ins no real value equals: negative ids, strings with a NUL (neither can be stored).
_nummern = count(1)


def _platzhalter(art):
    nummer = next(_nummern)
    return -(10**15) - nummer if art is int else f"\x00platzhalter-{nummer}\x00"


_VORBEREITEND = None


def _vorbereitend():
    """A psycopg cursor class whose every statement is prepared (kept by the server for the connection's life)."""
    global _VORBEREITEND
    if _VORBEREITEND is None:
        import psycopg  # noqa: PLC0415 - the PostgreSQL driver, only where it is the backend

        class Vorbereitend(psycopg.Cursor):
            def execute(self, query, params=None, **kwargs):
                return super().execute(query, params, prepare=True, **kwargs)

        _VORBEREITEND = Vorbereitend
    return _VORBEREITEND


def _vorbereitet_lesen(verbindung, sql: str, params) -> list[tuple]:
    verbindung.ensure_connection()
    roh = verbindung.connection
    # Django turns psycopg's prepared statements off for the connection (prepare_threshold None); on for these.
    schwelle, roh.prepare_threshold = roh.prepare_threshold, 0
    try:
        with verbindung._prepare_cursor(_vorbereitend()(roh)) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        roh.prepare_threshold = schwelle


def lesen(sql: str, params, db: str = "default") -> list[tuple]:
    """The rows of ``sql``, on PostgreSQL as a prepared statement (server-side binding): with persistent
    connections (``DB_CONN_MAX_AGE``) each connection plans it once. Django's own cursors bind on the client and
    never prepare. Run through a cursor wrapped like any of the connection's: logged, counted (tests pin query
    counts), errors mapped. Elsewhere (SQLite) through a plain cursor.

    For the statements that every request of a public page sends, few and fixed: the server keeps each per
    connection. The first of a request on a kept connection is also its health check (``CONN_HEALTH_CHECKS``,
    which Django's own cursors would send as a ``SELECT 1`` of their own, one round trip more): if the connection
    died since its last request (the database restarted), it is opened again and the statement sent once more,
    as Django's check would have done. Not inside a transaction, which a new connection would not continue.
    """
    verbindung = connections[db]
    if verbindung.vendor != "postgresql":
        with verbindung.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    pruefen = (
        verbindung.health_check_enabled
        and not verbindung.health_check_done
        and verbindung.connection is not None
        and not verbindung.in_atomic_block
    )
    try:
        zeilen = _vorbereitet_lesen(verbindung, sql, params)
    except (InterfaceError, OperationalError):
        if not pruefen:
            raise
        verbindung.close()
        zeilen = _vorbereitet_lesen(verbindung, sql, params)
    verbindung.health_check_done = True
    return zeilen


class Vorbereitet:
    """``bauen(*werte)`` → the QuerySet; ``arten``: the type of each value (``int`` or ``str``).

    Called with the values, it returns the rows as a list, like ``list(bauen(*werte))``.
    """

    def __init__(self, bauen, *arten):
        self._bauen = bauen
        self._arten = arten
        self._sperre = threading.Lock()
        self._fertig: tuple | None = None

    def _uebersetzen(self) -> tuple:
        platzhalter = [_platzhalter(art) for art in self._arten]
        queryset = self._bauen(*platzhalter)
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ValueError("Vorbereitet: prefetch_related and related managers are not supported")
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        stellen = []
        for index, wert in enumerate(platzhalter):
            gefunden = [pos for pos, p in enumerate(params) if p == wert]
            if not gefunden:
                raise ValueError(f"Vorbereitet: value {index} is not a plain parameter of the query")
            stellen.extend((pos, index) for pos in gefunden)
        # The converters of the selected columns (dates, decimals …), found once: results_iter would look them up
        # for every column on every call.
        felder = [s[0] for s in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(felder):
            raise ValueError("Vorbereitet: composite fields are not supported")
        konverter = compiler.get_converters(felder)
        iterable = queryset._iterable_class
        if iterable is ModelIterable:
            klass_info, select = compiler.klass_info, compiler.select
            start, ende = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            modell = (
                klass_info["model"],
                start,
                ende,
                [f[0].target.attname for f in select[start:ende]],
                get_related_populators(klass_info, select, queryset.db),
                compiler.annotation_col_map,
            )
        elif iterable is ValuesIterable:
            query = queryset.query
            modell = [*query.extra_select, *query.values_select, *query.annotation_select]
        elif iterable is ValuesListIterable and not queryset.query.annotation_select:
            modell = None
        else:
            raise ValueError(f"Vorbereitet: {iterable.__name__} is not supported")
        return queryset.db, compiler, konverter, sql, tuple(params), tuple(stellen), iterable, modell

    def __call__(self, *werte) -> list:
        if self._fertig is None:
            with self._sperre:
                if self._fertig is None:
                    self._fertig = self._uebersetzen()
        db, compiler, konverter, sql, params, stellen, iterable, modell = self._fertig
        params = list(params)
        for pos, index in stellen:
            params[pos] = werte[index]
        zeilen = lesen(sql, params, db)
        if konverter:
            zeilen = compiler.apply_converters(zeilen, konverter)
        if iterable is ValuesListIterable:
            return list(map(tuple, zeilen))
        if iterable is ValuesIterable:
            return [dict(zip(modell, zeile, strict=True)) for zeile in zeilen]
        klasse, start, ende, felder, populatoren, annotationen = modell
        objekte = []
        for zeile in zeilen:
            objekt = klasse.from_db(db, felder, zeile[start:ende])
            for populator in populatoren:
                populator.populate(zeile, objekt)
            for name, pos in annotationen.items():
                setattr(objekt, name, zeile[pos])
            objekte.append(objekt)
        return objekte
