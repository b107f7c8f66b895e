"""Public pages: ETag/Last-Modified and a rendered-page cache, both keyed by the data state.

The *Datenstand* of the change log (``core.datenstand``: highest committed log id, read from the database) changes
with every recorded write, so a page rendered for one Datenstand is valid until the next write: no time-based
staleness. A page about one body names its *Bereich* (``bereich=``): its Datenstand then changes only with the
writes that can change that page (the body, those above and below it, the catalogue), so other bodies' edits leave
its ETag and cache entry alone; and a cache that fails to store or to forget costs a miss, never a stale page. Only
anonymous requests without a session or message cookie are served from the cache (those pages show nothing
personal); the language is part of the key. Pages built from reports (berichte) are not decorated: their data has
its own life cycle.
"""

from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from core import abfrage
from core.datenstand import bereich_setzen, datenstand_der_anfrage

PERSOENLICHE_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
#: Says whether a page came from the cache ("treffer") or was built ("neu"): for operators and the load test.
KOPF_CACHE = "X-Ozg-Cache"


def _cache():
    return caches[settings.API_ANTWORT_CACHE]


def _anonym(request) -> bool:
    return not any(name in request.COOKIES for name in PERSOENLICHE_COOKIES)


def oeffentliche_seite(view=None, *, bereich=None):
    """Decorate a public page view: conditional GET and, for anonymous visitors, the page cache.

    ``bereich(request, **kwargs)`` returns the page's ``Gebietsbereich`` (or None for the global Datenstand).
    """
    if view is None:
        return lambda v: oeffentliche_seite(v, bereich=bereich)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if bereich is not None:
            bereich_setzen(request, bereich(request, **kwargs))
        if request.method not in ("GET", "HEAD") or not _anonym(request):
            return view(request, *args, **kwargs)
        stand = datenstand_der_anfrage(request)
        etag = stand.etag("seite", get_language() or "", request.get_full_path())
        if etag in request.headers.get("If-None-Match", ""):
            antwort = HttpResponseNotModified()
        else:
            abfrage.beobachten(request)
            antwort = _aus_cache(etag)
            if antwort is None:
                antwort = view(request, *args, **kwargs)
                if antwort.status_code != 200:
                    return antwort
                _in_cache(request, etag, antwort)
                antwort[KOPF_CACHE] = "neu"
            else:
                antwort[KOPF_CACHE] = "treffer"
        antwort["ETag"] = etag
        antwort["Last-Modified"] = http_date(stand.last_modified)
        antwort["Cache-Control"] = "no-cache"  # store, but revalidate: cheap with the ETag
        patch_vary_headers(antwort, ("Accept-Language", "Cookie"))
        return antwort

    return wrapper


def _aus_cache(etag):
    if settings.SEITEN_CACHE_SEKUNDEN <= 0:
        return None
    gespeichert = _cache().get(f"seite:{etag}")
    if gespeichert is None:
        return None
    inhalt, content_type = gespeichert
    return HttpResponse(inhalt, content_type=content_type)


def _in_cache(request, etag, antwort):
    # Inside a transaction the page may show uncommitted data that a rollback takes back without a new
    # Datenstand; a page that used a CSRF token is personal.
    if (
        settings.SEITEN_CACHE_SEKUNDEN <= 0
        or connection.in_atomic_block
        or antwort.streaming
        or not antwort.get("Content-Type", "").startswith("text/html")
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        # Unknown or repeated query parameters: the page is served, but must not flood the cache.
        or not abfrage.nur_gelesene_parameter(request)
    ):
        return
    _cache().set(f"seite:{etag}", (antwort.content, antwort["Content-Type"]), settings.SEITEN_CACHE_SEKUNDEN)
