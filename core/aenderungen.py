"""Recording changes in the log (``core.models.Aenderung``), in the same transaction as the change.

Three ways in, one format:
- single ORM writes: ``post_save``/``post_delete``/``m2m_changed`` of every tracked model (``AENDERUNGEN_APPS``
  plus ``AENDERUNGEN_MODELLE``), received in ``core.signals`` and connected in ``CoreConfig.ready``;
- bulk writes: ``bulk_schreiben`` creates/updates rows, their history rows (django-simple-history) and their log
  entries in one call, used by every importer, the admin import and the admin bulk action;
- writes that bypass the ORM: ``manage.py aenderung_erfassen`` (or ``erfassen``) records them afterwards.

Commit order = id order. On PostgreSQL each writing transaction takes a transaction-scoped advisory lock before
its first write of a tracked row (``pre_save``/``pre_delete``/``m2m_changed`` ``pre_*``, the start of
``bulk_schreiben``), so ids are handed out and committed in the same order: a reader that has seen id N has seen
every committed entry below N. That makes "highest id" a correct data version (ETags) and "last id read" a correct
relay cursor. Taking it *before* the first row write, not before the first log row, is what rules out deadlocks: a
transaction never holds a tracked row's lock while it waits for the log lock, so two writers racing on one row
queue on the log lock instead of each holding what the other waits for. The price: transactions that write
tracked rows serialise from their first tracked write to their commit. SQLite serialises writers anyway.

After commit (``transaction.on_commit``) the relay task is queued once; if the broker is down, the periodic sweep
(``core.weiterreichen`` every minute, celery beat) catches up, because the entries are already committed.
"""

import logging
import secrets
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router, transaction
from django.utils import timezone

from simple_history.utils import get_history_manager_for_model

from . import kontext as kontext_modul
from .bereiche import SCHLUESSELFELDER, Bereiche, schluessel_von, werte_von
from .models import Aenderung
from .relay import einreihen

logger = logging.getLogger(__name__)

#: Any constant; identifies the log's advisory lock in pg_locks.
SPERRE = 0x4F5A47_01

_aus: ContextVar[bool] = ContextVar("aenderungen_aus", default=False)


@contextmanager
def protokoll_aus():
    """Write without log entries. Only for measuring the log's overhead (bench/bench_pipeline.py)."""
    token = _aus.set(True)
    try:
        yield
    finally:
        _aus.reset(token)


def verfolgt(model) -> bool:
    label = model._meta.label
    # History rows (django-simple-history's Historical… models live in the same apps) are not data.
    return (
        not _aus.get()
        and not hasattr(model, "instance_type")
        and (model._meta.app_label in settings.AENDERUNGEN_APPS or label in settings.AENDERUNGEN_MODELLE)
    )


def _hat_historie(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


# --- Transaction state --------------------------------------------------------------------------------
class _Lauf:
    """One writing transaction (or several rolled-back attempts before it): batch id and the on-commit flag."""

    __slots__ = ("id", "erledigt")

    def __init__(self):
        self.id = secrets.token_hex(8)
        self.erledigt = False


def _lauf(verbindung):
    # Only the public on_commit API: the callback marks the batch done; a batch whose transaction rolled back
    # is never marked and simply carries on into the next transaction (its entries are gone anyway).
    lauf = getattr(verbindung, "_core_aenderung_lauf", None)
    if lauf is None or lauf.erledigt or not verbindung.in_atomic_block:
        lauf = _Lauf()
        verbindung._core_aenderung_lauf = lauf
    return lauf


def _nach_commit(lauf: _Lauf):
    if lauf.erledigt:
        return
    lauf.erledigt = True
    einreihen()


def sperren(using: str | None = None) -> bool:
    """Take the log lock now, before a tracked row is written (PostgreSQL, inside a transaction); True if taken.

    In autocommit a lock would end with the statement; the entry's own transaction takes it then.
    """
    verbindung = connections[using or router.db_for_write(Aenderung)]
    if verbindung.vendor != "postgresql" or not verbindung.in_atomic_block or _aus.get():
        return False
    with verbindung.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [SPERRE])
    return True


def _sperren_und_sekunde(verbindung, lauf_id: str, gesperrt: bool = False) -> int:
    """Take the log lock (PostgreSQL, unless ``gesperrt``) and return this transaction's Last-Modified second.

    Strictly greater than the second of any earlier transaction's entries, so ``If-Modified-Since`` (whole
    seconds) never confirms a body from before a later commit; equal within one transaction.
    """
    jetzt = int(time.time())
    with verbindung.cursor() as cur:
        if verbindung.vendor == "postgresql" and not gesperrt:
            # A statement of its own: the next one must take its snapshot after the lock was granted.
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [SPERRE])
        cur.execute("SELECT sekunde, transaktion FROM core_aenderung ORDER BY id DESC LIMIT 1")
        zeile = cur.fetchone()
    letzte, transaktion = zeile if zeile else (None, None)
    if letzte is None:
        return jetzt
    return max(jetzt, letzte if transaktion == lauf_id else letzte + 1)


# --- Writing entries ------------------------------------------------------------------------------------
def eintragen(eintraege: list[dict], objs: list, using: str | None = None, gesperrt: bool = False) -> list[dict]:
    """Write log entries (one dict per changed row, ``objs`` in the same order) in the current transaction.

    ``gesperrt``: the caller took the log lock (``sperren``) in this transaction and no savepoint was rolled back
    since (which would have released it).
    """
    if not eintraege:
        return []
    using = using or router.db_for_write(Aenderung)
    verbindung = connections[using]
    k = kontext_modul.aktuell()
    with transaction.atomic(using=using, savepoint=False):
        lauf = _lauf(verbindung)
        sekunde = _sperren_und_sekunde(verbindung, lauf.id, gesperrt)
        bereiche = Bereiche(objs)
        jetzt = timezone.now()
        zeilen = []
        for e, obj in zip(eintraege, objs, strict=True):
            land, gebiet, themenfeld = bereiche.fuer(obj)
            zeilen.append(
                {
                    "modell": obj._meta.label,
                    "schluessel": schluessel_von(obj),
                    "objekt_id": obj.pk if isinstance(obj.pk, int) else None,
                    "aktion": e["aktion"],
                    "vorher": e.get("vorher"),
                    "nachher": e.get("nachher"),
                    "historie_id": e.get("historie_id"),
                    "wie": k.wie,
                    "wer": k.wer,
                    "user_id": k.user_id,
                    "zeitpunkt": jetzt,
                    "sekunde": sekunde,
                    "transaktion": lauf.id,
                    "land_ars": land,
                    "gebiet_ars": gebiet,
                    "themenfeld": themenfeld,
                }
            )
        if verbindung.vendor == "postgresql" and len(zeilen) > 200:
            _kopieren(verbindung, zeilen)  # COPY: an import's thousands of entries at a fraction of INSERT's cost
        else:
            Aenderung.objects.using(using).bulk_create([Aenderung(**z) for z in zeilen], batch_size=1000)
        transaction.on_commit(lambda: _nach_commit(lauf), using=using)
    return zeilen


def _angelegt_aus_der_tabelle(model, objs, historie, gesperrt: bool) -> int:
    """Entries for many created rows of ``model``, written by the database in one INSERT … SELECT.

    PostgreSQL only, integer primary keys only (``bulk_schreiben`` decides). Everything an entry says about its
    row is read from the row as stored: the after-image (``to_jsonb``), the public key and the scope (Land/Gebiet
    ARS, Themenfeld slug, by joins). Python sends only the primary keys (and history ids): for an import of 16,068
    new rows, building, encoding and sending per-row values was most of the log's cost. Ids in list order.
    """
    using = router.db_for_write(Aenderung)
    verbindung = connections[using]
    k = kontext_modul.aktuell()
    qn = verbindung.ops.quote_name
    spalten = {f.attname: f.column for f in model._meta.concrete_fields}
    tabelle = lambda label: qn(apps.get_model(label)._meta.db_table)  # noqa: E731
    joins = []

    def verbinden_mit(label, links, alias):
        joins.append(
            f"LEFT JOIN {tabelle(label)} {alias} ON {alias}.{qn(apps.get_model(label)._meta.pk.column)} = {links}"
        )
        return alias

    def spalte(label, feld):
        return qn(apps.get_model(label)._meta.get_field(feld).column)

    # The same rules as schluessel_von and Bereiche.fuer, as SQL over the stored row.
    schluessel = [f"NULLIF(left(t.{qn(spalten[f])}::text, 200), '')" for f in SCHLUESSELFELDER if f in spalten]
    schluessel = f"COALESCE({', '.join([*schluessel, f't.{qn(model._meta.pk.column)}::text'])})"
    if model._meta.label == "catalog.Gebietskoerperschaft":
        gebiet = f"COALESCE(t.{spalte('catalog.Gebietskoerperschaft', 'ars')}, '')"
    else:
        faelle = [
            f"WHEN t.{qn(spalten[a])} IS NOT NULL "
            f"THEN COALESCE({verbinden_mit('catalog.Gebietskoerperschaft', f't.{qn(spalten[a])}', f'g{i}')}.ars, '')"
            for i, a in enumerate(("kommune_id", "gebiet_id", "land_id"))
            if a in spalten
        ]
        gebiet = f"CASE {' '.join(faelle)} ELSE '' END" if faelle else "''"
    if model._meta.label == "catalog.Themenfeld":
        themenfeld = f"t.{spalte('catalog.Themenfeld', 'slug')}"
    else:
        faelle = []
        if "themenfeld_id" in spalten:
            tf = verbinden_mit("catalog.Themenfeld", f"t.{qn(spalten['themenfeld_id'])}", "tf0")
            faelle.append(f"WHEN t.{qn(spalten['themenfeld_id'])} IS NOT NULL THEN COALESCE({tf}.slug, '')")
        if "leistung_id" in spalten:
            le = verbinden_mit("catalog.Leistung", f"t.{qn(spalten['leistung_id'])}", "le1")
            la = verbinden_mit("catalog.Lage", f"{le}.{spalte('catalog.Leistung', 'lage')}", "la1")
            tf = verbinden_mit("catalog.Themenfeld", f"{la}.{spalte('catalog.Lage', 'themenfeld')}", "tf1")
            faelle.append(f"WHEN t.{qn(spalten['leistung_id'])} IS NOT NULL THEN COALESCE({tf}.slug, '')")
        if "lage_id" in spalten:
            la = verbinden_mit("catalog.Lage", f"t.{qn(spalten['lage_id'])}", "la2")
            tf = verbinden_mit("catalog.Themenfeld", f"{la}.{spalte('catalog.Lage', 'themenfeld')}", "tf2")
            faelle.append(f"WHEN t.{qn(spalten['lage_id'])} IS NOT NULL THEN COALESCE({tf}.slug, '')")
        themenfeld = f"CASE {' '.join(faelle)} ELSE '' END" if faelle else "''"
    pks = [obj.pk for obj in objs]
    hids = [h.history_id for h in historie] if historie else None
    with transaction.atomic(using=using, savepoint=False):
        lauf = _lauf(verbindung)
        sekunde = _sperren_und_sekunde(verbindung, lauf.id, gesperrt)
        quelle = (
            "unnest(%s::bigint[], %s::bigint[]) WITH ORDINALITY AS u(objekt_id, historie_id, nr)"
            if hids is not None
            else "unnest(%s::bigint[]) WITH ORDINALITY AS u(objekt_id, nr)"
        )
        sql = f"""
            INSERT INTO core_aenderung (modell, schluessel, objekt_id, aktion, nachher, historie_id, wie, wer,
                                        user_id, zeitpunkt, sekunde, transaktion, land_ars, gebiet_ars, themenfeld)
            SELECT %s, {schluessel}, u.objekt_id, %s, to_jsonb(t), {"u.historie_id" if hids is not None else "NULL"},
                   %s, %s, %s, %s, %s, %s, left(s.gebiet, 2), s.gebiet, {themenfeld}
            FROM {quelle}
            JOIN {qn(model._meta.db_table)} t ON t.{qn(model._meta.pk.column)} = u.objekt_id
            {" ".join(joins)}
            CROSS JOIN LATERAL (SELECT {gebiet} AS gebiet) s
            ORDER BY u.nr
        """
        parameter = [model._meta.label, Aenderung.Aktion.ANGELEGT, k.wie, k.wer, k.user_id, timezone.now()]
        parameter += [sekunde, lauf.id, pks] + ([hids] if hids is not None else [])
        with verbindung.cursor() as cur:
            # The sort by list position carries the whole entry (after-image included): with the default work_mem
            # (4 MB) the 11,004 Gemeinden of an import spill it to disk. For this statement only.
            cur.execute("SELECT current_setting('work_mem'), set_config('work_mem', '64MB', true)")
            work_mem = cur.fetchone()[0]
            cur.execute(sql, parameter)
            eingefuegt = cur.rowcount
            cur.execute("SELECT set_config('work_mem', %s, true)", [work_mem])
            # Every row was written in this transaction: a missing one would be a lost entry, so fail loudly.
            if eingefuegt != len(pks):
                raise RuntimeError(f"Änderungsprotokoll: {eingefuegt} statt {len(pks)} Einträge ({model._meta.label})")
        transaction.on_commit(lambda: _nach_commit(lauf), using=using)
    return len(pks)


def _kopieren(verbindung, zeilen):
    """Write entries with PostgreSQL's COPY (ids from the sequence, in list order)."""
    encoder = DjangoJSONEncoder()
    spalten = list(zeilen[0])
    sql = f"COPY core_aenderung ({', '.join(spalten)}) FROM STDIN"
    with verbindung.cursor() as cur, cur.cursor.copy(sql) as kopie:
        for z in zeilen:
            z["vorher"] = None if z["vorher"] is None else encoder.encode(z["vorher"])
            z["nachher"] = None if z["nachher"] is None else encoder.encode(z["nachher"])
            kopie.write_row(tuple(z.values()))


def bulk_schreiben(
    model,
    neu=(),
    geaendert=(),
    felder=None,
    *,
    vorher: dict | None = None,
    user=None,
    grund: str | None = None,
    batch_size: int = 500,
) -> None:
    """Create ``neu`` and update ``geaendert`` (fields ``felder``) in bulk, with history and log entries.

    ``vorher`` maps a changed row's pk to its old values ({field: value}); without it the entry carries the new
    values and the history row id (the history row's predecessor holds the old values).
    """
    neu, geaendert = list(neu), list(geaendert)
    historie = get_history_manager_for_model(model) if _hat_historie(model) else None
    if user is None:
        k = kontext_modul.aktuell()
        if k.user_id:
            user = apps.get_model(settings.AUTH_USER_MODEL)(pk=k.user_id)
    with transaction.atomic(savepoint=False):
        gesperrt = verfolgt(model) and sperren()  # before the first row write: see the module docstring
        hist_neu, hist_geaendert = [], []
        if neu:
            neu = model._default_manager.bulk_create(neu, batch_size=batch_size)
            if historie is not None:
                hist_neu = historie.bulk_history_create(
                    neu, batch_size=batch_size, default_user=user, default_change_reason=grund
                )
        if geaendert:
            felder = felder or [f.name for f in model._meta.concrete_fields if not f.primary_key]
            model._default_manager.bulk_update(geaendert, felder, batch_size=batch_size)
            if historie is not None:
                hist_geaendert = historie.bulk_history_create(
                    geaendert, batch_size=batch_size, update=True, default_user=user, default_change_reason=grund
                )
        if not verfolgt(model):
            return
        eintraege, objs = [], []
        # Many created rows on PostgreSQL: the database writes their entries from the stored rows.
        if (
            connections[router.db_for_write(model)].vendor == "postgresql"
            and len(neu) > 200
            and isinstance(model._meta.pk, (models.AutoField, models.BigAutoField))
        ):
            _angelegt_aus_der_tabelle(model, neu, hist_neu, gesperrt)
        else:
            for obj, h in zip(neu, hist_neu or [None] * len(neu), strict=True):
                eintraege.append(
                    {"aktion": Aenderung.Aktion.ANGELEGT, "nachher": werte_von(obj), "historie_id": _hid(h)}
                )
                objs.append(obj)
        vorher = vorher or {}
        for obj, h in zip(geaendert, hist_geaendert or [None] * len(geaendert), strict=True):
            alt = vorher.get(obj.pk)
            eintraege.append(
                {
                    "aktion": Aenderung.Aktion.GEAENDERT,
                    "vorher": alt,
                    "nachher": {f: getattr(obj, f) for f in alt} if alt else werte_von(obj),
                    "historie_id": _hid(h),
                }
            )
            objs.append(obj)
        if eintraege:
            eintragen(eintraege, objs, gesperrt=gesperrt)


def _hid(h):
    return getattr(h, "history_id", None) if h is not None else None


def erfassen(model, pks, aktion: str = Aenderung.Aktion.GEAENDERT) -> int:
    """Record rows changed outside the ORM (psql, another program): one entry per pk, current values."""
    objs = list(model._default_manager.filter(pk__in=pks))
    gefunden = {o.pk for o in objs}
    eintraege = [{"aktion": aktion, "nachher": werte_von(o)} for o in objs]
    # Deleted rows: only the key is known.
    for pk in sorted(set(pks) - gefunden):
        objs.append(model(pk=pk))
        eintraege.append({"aktion": Aenderung.Aktion.GELOESCHT})
    with transaction.atomic():
        eintragen(eintraege, objs)
    return len(eintraege)
