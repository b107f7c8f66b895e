"""The stock (Seitenvorrat): public pages and API answers built into the cache before anyone asks for them.

The page and response caches (``core.seitencache``) only help a visitor who asks for an address someone asked for
before; at national scale most addresses are asked rarely, so most visitors would wait for a build. The stock
asks first: each address is requested internally, as an anonymous visitor would ask, through the same handler,
middleware and views, so what is stored is exactly what a visitor would have got, under the Datenstand it was
built for (never stale: see ``core.seitencache``). An address whose entry is current costs a cache read.

Which addresses, and when, is for the layer that owns the pages (``catalog.vorrat``, after the changes the relay
hands it); core knows none of them. Runs in the worker, outside any transaction (the caches store nothing inside
one), one address after the other.
"""

import io
import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.utils import translation

from .seitencache import KOPF_CACHE, VORRAT

logger = logging.getLogger(__name__)

_handler: WSGIHandler | None = None


def basis() -> tuple[str, str]:
    """Scheme and host the visitors use: from ``OPENDATA_BASIS_URL`` (the portal's public address), else https and
    the first host named in ``ALLOWED_HOSTS``. Cache entries are per host (``core.seitencache.adresse``)."""
    if settings.OPENDATA_BASIS_URL:
        teile = urlsplit(settings.OPENDATA_BASIS_URL)
        return teile.scheme, teile.netloc
    host = next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")), "localhost")
    return "https", host


def _anfrage(pfad: str, sprache: str) -> WSGIRequest:
    schema, host = basis()
    return WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": pfad,
            "QUERY_STRING": "",
            "SERVER_NAME": host.rsplit(":", 1)[0],
            "SERVER_PORT": "443" if schema == "https" else "80",
            "HTTP_HOST": host,
            "HTTP_ACCEPT_LANGUAGE": sprache,
            "HTTP_ACCEPT_ENCODING": "gzip",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": schema,
            "wsgi.errors": io.StringIO(),
            VORRAT: True,
        }
    )


def auffuellen(pfade: Iterable[str], sprachen: Iterable[str] | None = None) -> dict[str, int]:
    """Request each path in each language (default: every language of the portal) unless its entry is current.

    Returns how many were built ("neu"), already current ("treffer") and failed (any other answer; logged).
    """
    global _handler
    if _handler is None:
        _handler = WSGIHandler()  # loads the middleware once
    sprachen = list(sprachen or (code for code, _name in settings.LANGUAGES))
    zaehler = {"neu": 0, "treffer": 0, "fehler": 0}
    for pfad in pfade:
        for sprache in sprachen:
            # get_response, not the WSGI call: no request_started/finished signals, which would close the
            # worker's database connection after every address.
            antwort = _handler.get_response(_anfrage(pfad, sprache))
            art = antwort.get(KOPF_CACHE)
            if antwort.status_code == 200 and art in zaehler:
                zaehler[art] += 1
            else:
                zaehler["fehler"] += 1
                logger.warning("Vorrat: %s (%s) antwortete %s", pfad, sprache, antwort.status_code)
    translation.deactivate()
    return zaehler
