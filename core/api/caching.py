"""ETag and Last-Modified for every GET of the API, computed without touching the data.

The validators come from the *Datenstand* (data version) of the change log, ``core.datenstand``: the highest
committed log id and its whole-second timestamp, read from the database with one indexed query. Every write path
records its changes in the log in the same transaction (``core.aenderungen``), and entries commit in id order, so:
- any committed change yields a new Datenstand, and no response rendered from committed data keeps an old ETag;
- the ETag hashes the Datenstand with the request's path, query and output format; a request reads the Datenstand
  *before* it reads data, so a client can at worst hold a newer body under an older ETag (one extra 200);
- each committing transaction gets a later second than the one before, so ``If-Modified-Since`` (whole seconds)
  never confirms a body from before a later write;
- nothing is kept in a cache, so a failed cache write can cost a cache miss but never confirm stale data.
Writes that bypass Django (psql, another program) are recorded with ``manage.py aenderung_erfassen``.
"""

from core.datenstand import Datenstand, aktueller_datenstand

__all__ = ["Datenstand", "aktueller_datenstand"]
