"""Followers' e-mails wait in an outbox (``opendata.EmailAusgang``): a mail server that is down first and up later
gets the mail, retried with backoff by the next relay run, without Redis (inline). The same with a real worker in
``tests/pipeline/test_worker.py``."""

import logging
import socket
import time

from django.utils import timezone

import pytest
from aiosmtpd.controller import Controller

from core.tasks import weiterreichen
from opendata.choices import ZustellStatus
from opendata.models import EmailAusgang
from tests.pipeline.conftest import Postfach
from tests.pipeline.test_grundlagen import _neu

pytestmark = pytest.mark.django_db


def freier_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_spaeter(settings):
    """An SMTP port on 127.0.0.1 where nothing listens yet; ``starten()`` brings a real aiosmtpd up there."""
    port = freier_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_BACKOFF_SEKUNDEN = 1
    laufend = []

    def starten():
        postfach = Postfach()
        controller = Controller(postfach, hostname="127.0.0.1", port=port)
        controller.start()
        laufend.append(controller)
        return postfach

    yield starten
    for controller in laufend:
        controller.stop()


def _schreiben(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _neu().save()  # Umsetzungsstand in SH: the follower of SH gets one mail


def test_server_erst_weg_dann_da_die_mail_kommt_an(
    konsumenten, abos, inline, smtp_spaeter, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_MAX_VERSUCHE = 5
    _schreiben(django_capture_on_commit_callbacks)
    mail = EmailAusgang.objects.get()
    assert (mail.empfaenger, mail.status, mail.versuche) == ("folgt@example.org", ZustellStatus.FEHLER, 1)
    assert "Connection refused" in mail.fehler or "Errno" in mail.fehler
    assert mail.naechster_versuch > timezone.now()

    weiterreichen.apply()  # a relay run before the backoff has passed tries nothing
    mail.refresh_from_db()
    assert mail.versuche == 1

    postfach = smtp_spaeter()
    time.sleep(max(0.0, (mail.naechster_versuch - timezone.now()).total_seconds()) + 0.1)
    assert weiterreichen.apply().get()["nachgeholt"] == 0  # nothing to rebuild; the mail goes out
    mail.refresh_from_db()
    assert (mail.status, mail.versuche, mail.fehler) == (ZustellStatus.ZUGESTELLT, 2, "")
    [text] = postfach.an("folgt@example.org")
    assert "Umsetzungsstand" in text

    weiterreichen.apply()  # sent once only
    assert len(postfach.nachrichten) == 1


def test_nach_email_max_versuche_aufgegeben_und_als_fehler_geloggt(
    konsumenten, abos, inline, smtp_spaeter, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_MAX_VERSUCHE = 2
    with caplog.at_level(logging.WARNING, logger="opendata.tasks"):
        _schreiben(django_capture_on_commit_callbacks)
        mail = EmailAusgang.objects.get()
        time.sleep(max(0.0, (mail.naechster_versuch - timezone.now()).total_seconds()) + 0.1)
        weiterreichen.apply()
    mail.refresh_from_db()
    assert (mail.status, mail.versuche) == (ZustellStatus.AUFGEGEBEN, 2)
    assert any(r.levelname == "ERROR" and "nach 2 Versuchen" in r.message for r in caplog.records)
    postfach = smtp_spaeter()
    weiterreichen.apply()  # given up means given up
    assert postfach.nachrichten == []
