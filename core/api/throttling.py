from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from core.datenstand import datenstand_der_anfrage

from ..proxy import client_ip
from ..seitencache import VORRAT
from .permissions import api_key_gueltig


def unveraendert(request) -> bool:
    # views imports this module (the throttles): imported when first called, not at load time.
    from .views import _etag_passt, etag_fuer

    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    return bool(if_none_match) and _etag_passt(if_none_match, etag_fuer(request, datenstand_der_anfrage(request)))


class AnonymThrottle(AnonRateThrottle):
    """Limits anonymous clients per IP (``API_THROTTLE_ANON``); API-key clients and signed-in users are not limited."""

    def get_ident(self, request):
        # The same client address as the login lockout and the logs (TRUSTED_PROXIES), read per request.
        return client_ip(request)

    def get_rate(self):
        # Read at request time, so a changed setting applies without a restart of the class.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if request.META.get("HTTP_AUTHORIZATION") and api_key_gueltig(request):
            return True
        if request.META.get(VORRAT):
            return True  # the stock's own requests (core.vorrat): an environ key, no client can send it
        return super().allow_request(request, view)


class ExportThrottle(SimpleRateThrottle):
    """Whole-list exports (``?format=csv|xlsx``) per client (``API_THROTTLE_EXPORT``), API keys and staff included.

    An export of every Gebietskörperschaft is cheap to ask for and costly to build; a revalidation that the ETag
    answers with 304 does not count.
    """

    scope = "export"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is None or renderer.format not in ("csv", "xlsx") or request.method not in ("GET", "HEAD"):
            return True
        if unveraendert(request):
            return True  # answered 304 without a query: revalidating is free
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if request.auth is not None and hasattr(request.auth, "prefix"):
            ident = f"key-{request.auth.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = client_ip(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
