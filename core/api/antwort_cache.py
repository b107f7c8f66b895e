"""Rendered GET responses, stored per address with their ETag: a repeated request costs one cache read, no query.

Correct for the same reason the ETag is: the ETag contains the Datenstand token, which every committed write in
the answer's Bereich replaces, and a stored body is served only to a request with the same ETag. One entry per
address, gzip-compressed, sent compressed to clients that accept it: the storage of ``core.seitencache``.
Nothing is stored from inside a transaction: there a GET may see writes that are later rolled back.
"""

from django.conf import settings
from django.db import connection

from core import seitencache

MAX_BYTES = 512 * 1024  # whole-table exports are not worth the memory
KOPIERTE_KOPFZEILEN = ("Content-Type", "Content-Disposition")
#: Says whether a body came from the cache ("treffer") or was built ("neu"): for operators and the load test.
KOPF_CACHE = "X-Ozg-Cache"


def darf_speichern() -> bool:
    return settings.API_ANTWORT_CACHE_SEKUNDEN > 0 and not connection.in_atomic_block


def _adresse(request) -> str:
    # The format is part of the address: JSON, CSV and the schema's formats of one path are different bodies.
    return seitencache.adresse(request, "api-antwort", getattr(request, "accepted_renderer", None).format)


def lesen(request, etag: str):
    if settings.API_ANTWORT_CACHE_SEKUNDEN <= 0:
        return None
    return seitencache.lesen(_adresse(request), etag, request, KOPF_CACHE)


def speichern(request, etag: str, antwort) -> None:
    if len(antwort.content) > MAX_BYTES:
        return
    kopf = {name: antwort[name] for name in KOPIERTE_KOPFZEILEN if name in antwort}
    seitencache.speichern(_adresse(request), etag, antwort, kopf, request, settings.API_ANTWORT_CACHE_SEKUNDEN)
