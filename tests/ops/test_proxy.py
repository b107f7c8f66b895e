"""Attack tests: a client-written X-Forwarded-For neither escapes the API throttle nor locks out somebody else.

TRUSTED_PROXIES is the one setting that says how many proxies append to X-Forwarded-For; the throttle, django-axes
and the logs take the client address from core.proxy.client_ip.
"""

import logging
import os
import subprocess
import sys

from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import override_settings

import pytest

from ozgportal.observability import JsonFormatter, RequestIdFilter

PASSWORT = "Lange-Sichere-Passphrase-2024"
LOGIN = "/admin/login/?next=/admin/"
OPFER = "203.0.113.9"  # documentation addresses (RFC 5737)
ANGREIFER = "198.51.100.7"
PROXY = "10.0.0.2"


@pytest.fixture
def eng(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/min"}}
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_without_trusted_proxy_a_forged_header_does_not_escape_the_throttle(client, eng, settings):
    settings.TRUSTED_PROXIES = 0
    codes = [
        client.get("/api/v1/lagen/", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}", REMOTE_ADDR=ANGREIFER).status_code
        for i in range(5)
    ]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    # Another client (another socket address) still has its own budget.
    assert client.get("/api/v1/lagen/", REMOTE_ADDR=OPFER).status_code == 200


@pytest.mark.django_db
def test_behind_one_proxy_only_the_address_the_proxy_saw_counts(client, eng, settings):
    settings.TRUSTED_PROXIES = 1
    # The proxy appends the address it saw; whatever the client wrote before it is ignored.
    codes = [
        client.get("/api/v1/lagen/", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, {ANGREIFER}", REMOTE_ADDR=PROXY).status_code
        for i in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    # Everyone shares the proxy's socket address, yet another visitor is not throttled along with the attacker.
    assert client.get("/api/v1/lagen/", HTTP_X_FORWARDED_FOR=OPFER, REMOTE_ADDR=PROXY).status_code == 200


@pytest.fixture
def redakteurin(db):
    return User.objects.create_user("redaktion-proxy", "r@example.org", PASSWORT, is_staff=True)


@pytest.mark.parametrize("proxies", [0, 1])
@override_settings(AXES_ENABLED=True)
def test_forged_header_cannot_lock_out_another_person(client, redakteurin, settings, proxies):
    settings.TRUSTED_PROXIES = proxies
    if proxies:
        angreifer = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{OPFER}, {ANGREIFER}"}
        opfer = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": OPFER}
    else:
        angreifer = {"REMOTE_ADDR": ANGREIFER, "HTTP_X_FORWARDED_FOR": OPFER}
        opfer = {"REMOTE_ADDR": OPFER}
    for _ in range(6):
        client.post(LOGIN, {"username": "redaktion-proxy", "password": "falsch"}, **angreifer)
    # The attacker is locked out ...
    assert client.post(LOGIN, {"username": "redaktion-proxy", "password": PASSWORT}, **angreifer).status_code == 429
    # ... the editor at her own address is not, although the attacker named that address in the header.
    antwort = client.post(LOGIN, {"username": "redaktion-proxy", "password": PASSWORT}, **opfer)
    assert antwort.status_code == 302


@pytest.mark.django_db
def test_logs_name_the_client_behind_the_proxy(client, settings, caplog):
    settings.TRUSTED_PROXIES = 1
    zeilen = []

    class Sammler(logging.Handler):
        def emit(self, record):
            RequestIdFilter().filter(record)
            zeilen.append(JsonFormatter().format(record))

    handler = Sammler(level=logging.WARNING)
    logging.getLogger("django.request").addHandler(handler)
    try:
        client.get("/gibt-es-nicht/", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {OPFER}", REMOTE_ADDR=PROXY)
    finally:
        logging.getLogger("django.request").removeHandler(handler)
    assert zeilen and f'"client_ip": "{OPFER}"' in zeilen[-1]


def _produktion(code: str, **umgebung) -> str:
    ergebnis = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=django_settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ozgportal.settings.production",
            "SECRET_KEY": "t" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz!@#$%^&*(-_=+)",
            **umgebung,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return ergebnis.stdout.strip().splitlines()[-1]


def test_production_believes_x_forwarded_proto_only_behind_a_trusted_proxy():
    code = (
        "from django.conf import settings as s;"
        "print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.SECURE_HSTS_PRELOAD, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.REST_FRAMEWORK['NUM_PROXIES'])"
    )
    assert _produktion(code) == "None False False 0"
    assert _produktion(code, TRUSTED_PROXIES="1") == "('HTTP_X_FORWARDED_PROTO', 'https') False False 1"
    assert _produktion(code, SECURE_HSTS_PRELOAD="True").split()[1] == "True"
