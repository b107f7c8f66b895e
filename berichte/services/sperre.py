"""Single-flight: at most one build per report at a time, across all worker processes.

With Redis (django-redis) this is a Redis lock with an expiry that a heartbeat thread keeps extending while the
build runs; a worker killed with SIGKILL stops extending it, so the lock frees itself after
``BERICHTE_SPERRE_SEKUNDEN``. With the in-memory cache (embedded default, one process) ``cache.add`` does the same
job for the threads of that process.
"""

import threading
import time
import uuid
from contextlib import contextmanager, suppress

from django.conf import settings
from django.core.cache import cache


def _schluessel(art: str) -> str:
    return f"berichte:sperre:{art}"


@contextmanager
def einzelflug(art: str, warten: float = 0):
    """Yield True while holding the lock of ``art``; False if another build holds it (after ``warten`` seconds)."""
    dauer = settings.BERICHTE_SPERRE_SEKUNDEN
    if hasattr(cache, "lock"):
        sperre = cache.lock(_schluessel(art), timeout=dauer, thread_local=False)
        if not sperre.acquire(blocking=warten > 0, blocking_timeout=warten or None):
            yield False
            return
        stopp = threading.Event()
        herzschlag = threading.Thread(target=_verlaengern, args=(sperre, dauer, stopp), daemon=True)
        herzschlag.start()
        try:
            yield True
        finally:
            stopp.set()
            herzschlag.join(timeout=5)
            # Expired meanwhile (e.g. Redis restarted): nothing left to release.
            with suppress(Exception):
                sperre.release()
        return

    token = uuid.uuid4().hex
    frist = time.monotonic() + warten
    while not cache.add(_schluessel(art), token, timeout=dauer):
        if time.monotonic() >= frist:
            yield False
            return
        time.sleep(0.05)
    try:
        yield True
    finally:
        if cache.get(_schluessel(art)) == token:
            cache.delete(_schluessel(art))


def _verlaengern(sperre, dauer: float, stopp: threading.Event):
    while not stopp.wait(dauer / 3):
        try:
            sperre.reacquire()
        except Exception:  # noqa: BLE001 – Redis unreachable or lock lost; the build's transaction still decides
            return
