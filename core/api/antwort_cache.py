"""Rendered GET responses, stored under their ETag: a repeated request costs one cache read, no query.

Correct for the same reason the ETag is (see ``caching``): the ETag contains the Datenstand token, which every
committed write replaces, so a stored body can only be served for the Datenstand it was rendered under.
Nothing is stored from inside a transaction: there a GET may see writes that are later rolled back.
"""

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse

MAX_BYTES = 512 * 1024  # whole-table exports are not worth the memory
KOPIERTE_KOPFZEILEN = ("Content-Type", "Content-Disposition")
#: Says whether a body came from the cache ("treffer") or was built ("neu"): for operators and the load test.
KOPF_CACHE = "X-Ozg-Cache"


def _cache():
    return caches[settings.API_ANTWORT_CACHE]


def darf_speichern() -> bool:
    return settings.API_ANTWORT_CACHE_SEKUNDEN > 0 and not connection.in_atomic_block


def lesen(etag: str):
    if settings.API_ANTWORT_CACHE_SEKUNDEN <= 0:
        return None
    gespeichert = _cache().get(f"api-antwort:{etag}")
    if gespeichert is None:
        return None
    inhalt, kopf = gespeichert
    antwort = HttpResponse(inhalt)
    for name, wert in kopf.items():
        antwort[name] = wert
    antwort[KOPF_CACHE] = "treffer"
    return antwort


def speichern(etag: str, antwort) -> None:
    if len(antwort.content) > MAX_BYTES:
        return
    kopf = {name: antwort[name] for name in KOPIERTE_KOPFZEILEN if name in antwort}
    _cache().set(f"api-antwort:{etag}", (antwort.content, kopf), settings.API_ANTWORT_CACHE_SEKUNDEN)
