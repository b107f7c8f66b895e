"""Who is the client? One answer for throttling, login lockout and logs, driven by ``TRUSTED_PROXIES``.

Behind N reverse proxies that each append the address they saw to ``X-Forwarded-For``, the client is the N-th
address from the right; everything left of it was written by the client and is not believed. Without a trusted
proxy (the default) the header is ignored entirely and the socket address counts, so a client cannot pick its own
throttle bucket or make a lockout hit someone else's address.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    anzahl = getattr(settings, "TRUSTED_PROXIES", 0)
    if anzahl <= 0:
        return remote
    adressen = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if not adressen:
        return remote
    kandidat = adressen[-min(anzahl, len(adressen))]
    try:
        return str(ipaddress.ip_address(kandidat))
    except ValueError:
        # A trusted proxy writes addresses only; anything else means the chain is misconfigured.
        return remote
