"""Public pages: ETag/Last-Modified and a rendered-page cache, both keyed by the data state.

The *Datenstand* of the change log (``core.datenstand``: highest committed log id, read from the database) changes
with every recorded write, so a page rendered for one Datenstand is valid until the next write: no time-based
staleness. A page about one body names its *Bereich* (``bereich=``): its Datenstand then changes only with the
writes that can change that page (the body, those above and below it, the catalogue), so other bodies' edits leave
its ETag and cache entry alone; and a cache that fails to store or to forget costs a miss, never a stale page. Only
anonymous requests without a session or message cookie are served from the cache (those pages show nothing
personal); the language is part of the key. Pages built from reports (berichte) are not decorated: their data has
its own life cycle.

One cache entry per address (path, language, format), holding the ETag it was built for: a request uses it only if
its own ETag is the same, and a new build replaces it. So memory is bounded by the addresses, not by the writes
(keyed by ETag, every write left the superseded entries behind until they expired). Stored gzip-compressed (a
Kommune page: 244 KB, 28 KB compressed) and sent as stored to clients that accept gzip, which is every browser and
HTTP library: no decompression per hit, an eighth of the bytes on the wire. The pages hold nothing secret (anonymous,
no CSRF token: see ``_in_cache``), so compression leaks nothing (BREACH needs a secret in the body).

``core.vorrat`` builds entries before anyone asks (its internal requests carry ``VORRAT`` in the WSGI environ,
which no HTTP header can set): kept for ``SEITEN_VORRAT_SEKUNDEN`` instead of the visitors' shorter time.
"""

import hashlib
import re
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from isal import igzip

from core import abfrage
from core.datenstand import bereich_setzen, datenstand_der_anfrage

PERSOENLICHE_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
#: Says whether a page came from the cache ("treffer") or was built ("neu"): for operators and the load test.
KOPF_CACHE = "X-Ozg-Cache"
#: Marks the stock's internal requests (a WSGI environ key: no client can send it).
VORRAT = "ozg.vorrat"
_GZIP = re.compile(r"\bgzip\b")  # as Django's GZipMiddleware reads Accept-Encoding


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
            schluessel = adresse(request, "seite")
            antwort = _aus_cache(schluessel, request, etag)
            if antwort is None:
                antwort = view(request, *args, **kwargs)
                if antwort.status_code != 200:
                    return antwort
                _in_cache(schluessel, request, etag, antwort)
                antwort[KOPF_CACHE] = "neu"
        antwort["ETag"] = etag
        antwort["Last-Modified"] = http_date(stand.last_modified)
        antwort["Cache-Control"] = "no-cache"  # store, but revalidate: cheap with the ETag
        # Accept-Encoding: a stored page is sent gzip-encoded to clients that accept it.
        patch_vary_headers(antwort, ("Accept-Language", "Cookie", "Accept-Encoding"))
        return antwort

    return wrapper


def adresse(request, art: str, *teile: str) -> str:
    """The cache key of one address: the same for every Datenstand, so a new build replaces the entry.

    Scheme and host included: an API answer's paging links are absolute, so an answer built for one host must not
    go out under another."""
    roh = "\x1f".join((request.build_absolute_uri(), get_language() or "", *teile)).encode()
    return f"{art}:{hashlib.blake2b(roh, digest_size=16).hexdigest()}"


def lesen(schluessel: str, etag: str, request, kopf_cache: str = KOPF_CACHE) -> HttpResponse | None:
    """The stored answer for ``schluessel`` if it was built for ``etag``; gzip-encoded if the client accepts it."""
    gespeichert = _cache().get(schluessel)
    if gespeichert is None or gespeichert[0] != etag:
        return None
    _etag, komprimiert, kopf = gespeichert
    if _GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        antwort = HttpResponse(komprimiert)
        antwort["Content-Encoding"] = "gzip"
    else:
        antwort = HttpResponse(igzip.decompress(komprimiert))
    for name, wert in kopf.items():
        antwort[name] = wert
    antwort[kopf_cache] = "treffer"
    return antwort


def speichern(schluessel: str, etag: str, antwort: HttpResponse, kopf: dict, request, sekunden: int) -> None:
    """Store ``antwort``'s body for ``etag``; sent gzip-encoded, as stored, if the client accepts it: the bytes
    are made for the cache anyway, and the built answer then goes out as a hit would (a Kommune page: 28 instead
    of 244 KB)."""
    if request.META.get(VORRAT):
        sekunden = max(sekunden, settings.SEITEN_VORRAT_SEKUNDEN)
    # ISA-L's gzip (the same format as zlib's) at level 1: a Kommune page in a sixth of zlib's level-1 CPU
    # (0.3 instead of 1.7 ms) and no more bytes; mtime 0: the same page gives the same bytes.
    komprimiert = igzip.compress(antwort.content, compresslevel=1, mtime=0)
    _cache().set(schluessel, (etag, komprimiert, kopf), sekunden)
    if _GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        antwort.content = komprimiert
        antwort["Content-Encoding"] = "gzip"


def _aus_cache(schluessel, request, etag):
    if settings.SEITEN_CACHE_SEKUNDEN <= 0:
        return None
    return lesen(schluessel, etag, request)


def _in_cache(schluessel, request, etag, antwort):
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
    speichern(
        schluessel,
        etag,
        antwort,
        {"Content-Type": antwort["Content-Type"]},
        request,
        settings.SEITEN_CACHE_SEKUNDEN,
    )
