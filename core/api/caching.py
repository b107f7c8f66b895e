"""ETag and Last-Modified for every GET of the API, computed without touching the data.

The validators come from one global *Datenstand* (data version): a random token plus a whole-second timestamp,
kept in a cache shared by all processes (Redis with REDIS_URL, else a file cache, see ``API_DATENSTAND_CACHE``).

Why this is correct:
- Every write through Django's database layer to a table of our apps (``catalog_``, ``themenfelder_``,
  ``labore_``) is seen by a database execute wrapper, not only by model signals: the importers use
  ``bulk_create``/``bulk_update``, which send no signals. A write changes the token at once and again after its
  transaction commits, so no response rendered from committed data can keep an old ETag.
- The ETag hashes the token with the request's path, query and output format; a request reads the Datenstand
  *before* it reads data, so a client can at worst hold a newer body under an older ETag (costing one extra 200),
  never an older body under a current ETag.
- Each commit advances the timestamp by at least one second, so ``If-Modified-Since`` (whole seconds) can never
  confirm a body from the same second as a later write. A timestamp ahead of the clock is sent as "now" (RFC 9110
  8.8.2.1), which only ever costs a 200.
- A lost cache entry (restart, eviction) yields a fresh token and "now": clients re-download once.
Writes that bypass Django (psql, another program) are not seen: call ``bump()`` (``manage.py shell``) after them.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connections, transaction
from django.db.backends.signals import connection_created

TRACKED_TABLE_PREFIXES = ('"catalog_', '"themenfelder_', '"labore_')
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLAC")  # REPLACE: SQLite's upsert


@dataclass(frozen=True)
class Datenstand:
    token: str
    zeitstempel: int  # whole seconds since the epoch; strictly increasing per committed write

    def etag(self, *teile: str) -> str:
        digest = hashlib.blake2b("\x1f".join((self.token, *teile)).encode(), digest_size=12).hexdigest()
        return f'W/"{digest}"'

    @property
    def last_modified(self) -> int:
        return min(self.zeitstempel, int(time.time()))


def _cache():
    return caches[settings.API_DATENSTAND_CACHE]


def _key() -> str:
    # One Datenstand per database: tests, dev server and benchmark may share a file cache.
    return f"api-datenstand:{settings.DATABASES['default']['NAME']}"


def aktueller_datenstand() -> Datenstand:
    """The current Datenstand; creates one if the cache has none."""
    cache = _cache()
    wert = cache.get(_key())
    if wert is None:
        cache.add(_key(), (secrets.token_hex(8), int(time.time())), timeout=None)
        wert = cache.get(_key())
    if wert is None:
        # The shared cache is unreachable (Redis down): a one-off Datenstand matches no client's validator and no
        # stored response, so every request is answered fresh from the database. Degraded, never wrong.
        wert = (secrets.token_hex(8), int(time.time()))
    return Datenstand(*wert)


def bump(*, zeit: bool = True) -> Datenstand:
    """Start a new Datenstand: a new token and, after a commit (``zeit``), a later timestamp."""
    cache = _cache()
    alt = cache.get(_key())
    jetzt = int(time.time())
    zeitstempel = jetzt if alt is None else (max(jetzt, alt[1] + 1) if zeit else alt[1])
    neu = (secrets.token_hex(8), zeitstempel)
    cache.set(_key(), neu, timeout=None)
    return Datenstand(*neu)


def _on_commit_bump():
    bump(zeit=True)


def _is_tracked_write(sql: str) -> bool:
    kopf = sql.lstrip()[:6].upper()
    if not kopf.startswith(_WRITE_VERBS):
        return False
    # The table name follows within the first few words: INSERT INTO "x", UPDATE "x", DELETE FROM "x".
    anfang = sql[:80]
    return any(prefix in anfang for prefix in TRACKED_TABLE_PREFIXES)


class _WriteTracker:
    def __init__(self, connection):
        self.connection = connection
        self.pending = None  # the connection's on-commit list our callback sits in

    def __call__(self, execute, sql, params, many, context):
        ergebnis = execute(sql, params, many, context)
        if isinstance(sql, str) and _is_tracked_write(sql):
            self._register()
        return ergebnis

    def _register(self):
        conn = self.connection
        if not conn.in_atomic_block:
            bump(zeit=True)
            return
        # Once per transaction: Django replaces the list on commit and on rollback, so identity tells.
        if self.pending is not conn.run_on_commit or not conn.run_on_commit:
            bump(zeit=False)
            transaction.on_commit(_on_commit_bump, using=conn.alias)
            self.pending = conn.run_on_commit


def _install(connection, **kwargs):
    if not any(isinstance(w, _WriteTracker) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(_WriteTracker(connection))


def install_write_tracker():
    connection_created.connect(_install, dispatch_uid="ozgportal-api-write-tracker")
    for connection in connections.all(initialized_only=True):
        _install(connection)
