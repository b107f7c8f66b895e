"""Fixtures of the change-pipeline tests: a real SMTP server and a real webhook receiver on 127.0.0.1, followers,
and every consumer switched on (reports, open-data files) without debounce delay."""

import socket
import threading
import time

from django.contrib.auth.models import User

import pytest
from aiosmtpd.controller import Controller

from catalog.models import Gebietskoerperschaft, Themenfeld
from opendata.models import Abonnement, WebhookAbo
from tests.opendata.conftest import Empfaenger, inline  # noqa: F401  (fixture)


class Postfach:
    """aiosmtpd handler: keeps every received message (envelope recipients and text)."""

    def __init__(self):
        self.nachrichten = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.nachrichten.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"

    def an(self, adresse):
        with self.lock:
            return [text for empfaenger, text in self.nachrichten if adresse in empfaenger]


@pytest.fixture
def smtp(settings):
    postfach = Postfach()
    with socket.socket() as s:  # aiosmtpd needs a concrete port: ask the OS for a free one
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(postfach, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield postfach
    controller.stop()


@pytest.fixture
def empfaenger():
    e = Empfaenger()
    yield e
    e.stop()


@pytest.fixture
def konsumenten(settings, tmp_path):
    """Every consumer on, without debounce delay, with a private OPENDATA_DIR."""
    settings.BERICHTE_AUTOMATISCH = True
    settings.BERICHTE_ENTPRELLEN_SEKUNDEN = 0
    settings.OPENDATA_AUTOMATISCH = True
    settings.OPENDATA_ENTPRELLEN_SEKUNDEN = 0
    settings.OPENDATA_DIR = tmp_path / "opendata"
    settings.SEITEN_CACHE_SEKUNDEN = 600
    from django.core.cache import cache

    cache.clear()
    return settings


@pytest.fixture
def abos(db, empfaenger):
    """A webhook subscription to everything, and a staff user following SH and Familie & Kind by e-mail."""
    WebhookAbo.objects.create(name="Dashboard (Test)", url=empfaenger.url)
    folgt = User.objects.create_user("folgt", "folgt@example.org", "Lange-Sichere-Passphrase-2024", is_staff=True)
    Abonnement.objects.create(user=folgt, kommune=Gebietskoerperschaft.objects.get(ars="01"))
    Abonnement.objects.create(user=folgt, themenfeld=Themenfeld.objects.get(slug="familie-kind"))
    return folgt


def warten_bis(bedingung, sekunden=20.0):
    frist = time.monotonic() + sekunden
    while time.monotonic() < frist:
        if bedingung():
            return True
        time.sleep(0.1)
    return bedingung()
