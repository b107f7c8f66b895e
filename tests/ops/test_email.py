"""E-mail goes through a real SMTP server on 127.0.0.1 (aiosmtpd); a failure is logged and retried."""

import logging
import socket

import pytest
from aiosmtpd.controller import Controller

from opendata.tasks import email_senden


class Postfach:
    """Accepts mail; answers the first ``ablehnen`` deliveries with a temporary error (451)."""

    def __init__(self, ablehnen=0):
        self.ablehnen = ablehnen
        self.nachrichten = []

    async def handle_DATA(self, server, session, envelope):
        if self.ablehnen:
            self.ablehnen -= 1
            return "451 Bitte später noch einmal"
        self.nachrichten.append(envelope)
        return "250 OK"


def _freier_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def _wiederholen_im_prozess():
    # apply() runs the task here; with propagation off Celery runs its retries here too, as a worker would.
    from ozgportal.celery import app

    vorher = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = vorher


@pytest.fixture
def smtp(settings):
    def starten(ablehnen=0):
        postfach = Postfach(ablehnen)
        controller = Controller(postfach, hostname="127.0.0.1", port=_freier_port())
        controller.start()
        gestartet.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.DEFAULT_FROM_EMAIL = "OZG-Portal <portal@example.org>"
        return postfach

    gestartet = []
    yield starten
    for controller in gestartet:
        controller.stop()


def test_mail_arrives_from_the_configured_sender(smtp):
    postfach = smtp()
    assert email_senden.apply(args=("Betreff", "Text", ["redaktion@example.org"])).get() == 1
    [nachricht] = postfach.nachrichten
    assert nachricht.mail_from == "portal@example.org" and nachricht.rcpt_tos == ["redaktion@example.org"]
    assert b"Subject: Betreff" in nachricht.content


def test_a_temporary_failure_is_logged_and_retried(smtp, caplog, settings):
    settings.EMAIL_MAX_VERSUCHE = 5
    postfach = smtp(ablehnen=2)
    with caplog.at_level(logging.WARNING, logger="ozgportal.tasks"):
        ergebnis = email_senden.apply(args=("Wiederholt", "Text", ["redaktion@example.org"]))
    assert ergebnis.get() == 1
    assert len(postfach.nachrichten) == 1
    assert any("Versuch 1 fehlgeschlagen" in r.message for r in caplog.records)
    assert any("Versuch 2 fehlgeschlagen" in r.message for r in caplog.records)


def test_giving_up_is_logged_as_an_error(smtp, caplog, settings):
    settings.EMAIL_MAX_VERSUCHE = 2
    smtp(ablehnen=10)
    with caplog.at_level(logging.WARNING, logger="ozgportal.tasks"):
        ergebnis = email_senden.apply(args=("Aufgegeben", "Text", ["redaktion@example.org"]))
    assert ergebnis.failed()
    assert any(r.levelname == "ERROR" and "nach 2 Versuchen" in r.message for r in caplog.records)


def test_email_url_configures_the_backend():
    import environ

    konfig = environ.Env.email_url_config("smtp+tls://nutzer:geheim@mail.example.org:587")
    assert (konfig["EMAIL_HOST"], konfig["EMAIL_PORT"], konfig["EMAIL_USE_TLS"]) == ("mail.example.org", 587, True)
