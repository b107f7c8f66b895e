"""Where a webhook may be sent: public addresses only (no SSRF into the portal's own network).

A subscription's URL is resolved and refused when any address it resolves to is loopback, private, link-local
(169.254.169.254 is the cloud metadata service), shared, reserved, multicast or unspecified. Checked twice: when
the subscription is saved (``url_pruefen``, a clear error for the editor) and when a delivery is sent
(``oeffner``), because a name can resolve differently later (DNS rebinding). At send time the connection goes to
exactly the address that was checked, so a second lookup cannot swap it. ``WEBHOOK_LOOPBACK_ERLAUBT`` lets tests
deliver to a receiver on 127.0.0.1.
"""

import http.client
import ipaddress
import socket
import urllib.request
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _verboten(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return not settings.WEBHOOK_LOOPBACK_ERLAUBT
    return not ip.is_global or ip.is_multicast


def adressen(url: str) -> tuple[str, int, list[str]]:
    """(host, port, checked addresses) of ``url``; ValidationError naming the host when it must not be reached."""
    teile = urlsplit(url)
    host = teile.hostname
    if teile.scheme not in ("http", "https") or not host:
        raise ValidationError(_("Nur http:// oder https:// mit einem Hostnamen."), code="schema")
    port = teile.port or (443 if teile.scheme == "https" else 80)
    try:
        gefunden = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as fehler:
        raise ValidationError(
            _("Der Name %(host)s lässt sich nicht auflösen."), params={"host": host}, code="dns"
        ) from fehler
    ips = sorted({eintrag[4][0] for eintrag in gefunden})
    for ip in ips:
        if _verboten(ipaddress.ip_address(ip.split("%")[0])):
            raise ValidationError(
                _("%(host)s zeigt auf %(ip)s, eine interne Adresse; Webhooks gehen nur an öffentliche Adressen."),
                params={"host": host, "ip": ip},
                code="intern",
            )
    return host, port, ips


def url_pruefen(url: str) -> None:
    adressen(url)


class _HTTP(http.client.HTTPConnection):
    def __init__(self, *args, ip, **kwargs):
        super().__init__(*args, **kwargs)
        self._ip = ip

    def connect(self):
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _HTTPS(http.client.HTTPSConnection):
    def __init__(self, *args, ip, **kwargs):
        super().__init__(*args, **kwargs)
        self._ip = ip

    def connect(self):
        roh = socket.create_connection((self._ip, self.port), self.timeout)
        # Certificate and SNI for the name, connection to the checked address.
        self.sock = self._context.wrap_socket(roh, server_hostname=self.host)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, ip):
        super().__init__()
        self._ip = ip

    def http_open(self, req):
        return self.do_open(partial(_HTTP, ip=self._ip), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, ip):
        super().__init__()
        self._ip = ip

    def https_open(self, req):
        return self.do_open(partial(_HTTPS, ip=self._ip), req, context=self._context)


def oeffner(url: str, *handler) -> urllib.request.OpenerDirector:
    """An opener bound to the address ``url`` resolves to now, after checking it (ValidationError if internal)."""
    _host, _port, ips = adressen(url)
    return urllib.request.build_opener(_HTTPHandler(ips[0]), _HTTPSHandler(ips[0]), *handler)
