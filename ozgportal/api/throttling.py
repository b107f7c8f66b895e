from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from ..proxy import client_ip
from .permissions import api_key_gueltig


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
        return super().allow_request(request, view)
