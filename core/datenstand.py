"""The data version behind ETag, Last-Modified and the page and API caches: the log's highest committed id.

Read from the database on every conditional request (one indexed query, ``ORDER BY id DESC LIMIT 1``), never
from a cache: a cache that failed to take a write can then cost a miss, but can never confirm stale data.
Correct because log entries commit in id order (``core.aenderungen``): once id N is visible, every committed
change up to N is too, and a later commit always brings a higher id. A request reads the version *before* its
data, so a body is at worst newer than its ETag (costing one extra 200), never older.
"""

import hashlib
import time
from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class Datenstand:
    sequenz: int
    zeitstempel: int  # whole seconds; strictly increasing per committing transaction (see aenderungen)

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


def aktueller_datenstand() -> Datenstand:
    with connection.cursor() as cur:
        cur.execute("SELECT id, sekunde FROM core_aenderung ORDER BY id DESC LIMIT 1")
        zeile = cur.fetchone()
    if zeile is None:
        return Datenstand(0, 0)
    return Datenstand(*zeile)


def datenstand_der_anfrage(request) -> Datenstand:
    """The Datenstand one request answers for: read once (one query) and kept on the request.

    The throttle, the ETag of the API and the "Stand der Daten" of a page must all name the same state, and a
    conditional request must not read it twice. DRF wraps Django's request: the value sits on the inner one.
    """
    roh = getattr(request, "_request", request)
    if not hasattr(roh, "ozg_datenstand"):
        roh.ozg_datenstand = aktueller_datenstand()
    return roh.ozg_datenstand
