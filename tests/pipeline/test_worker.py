"""The pipeline with a real Celery worker (subprocess), PostgreSQL and Redis: committed writes, real deliveries.

Like ``tests/berichte/test_worker.py`` these tests write in autocommit (the worker must see the data) and remove
their rows afterwards. Celery beat is simulated by queueing its task (``core.weiterreichen``) by hand.
"""

import json
import time

from django.contrib.auth.models import User
from django.db import connection

import psycopg
import pytest
from rest_framework.test import APIClient

from catalog.models import Gebietskoerperschaft, Umsetzungsstand
from core.tasks import weiterreichen
from opendata.choices import ZustellStatus
from opendata.models import Abonnement, EmailAusgang, WebhookAbo, WebhookZustellung
from ozgportal.celery import app as celery_app
from redaktion.models import ApiSchluessel
from tests.berichte.test_worker import Worker, _url_der_testdatenbank
from tests.hilfen import warten
from tests.opendata.conftest import Empfaenger
from tests.pipeline.conftest import Postfach
from tests.pipeline.test_email_ausgang import freier_port

pytestmark = pytest.mark.celery_worker  # needs PostgreSQL and Redis; see tests/conftest.py

LEISTUNGEN = [10000, 10001, 10002, 10003, 10004]


def _aufraeumen():
    EmailAusgang.objects.filter(empfaenger="folgt-worker@example.org").delete()
    User.objects.filter(username="folgt-worker").delete()
    WebhookZustellung.objects.filter(abo__name__startswith="Pipeline-Test").delete()
    WebhookAbo.objects.filter(name__startswith="Pipeline-Test").delete()
    Umsetzungsstand.objects.filter(land__ars="01", bemerkung="Pipeline-Test").delete()
    Umsetzungsstand.history.filter(bemerkung="Pipeline-Test").delete()
    ApiSchluessel.objects.filter(name="Pipeline-Test").delete()


@pytest.fixture
def festgeschrieben(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _aufraeumen()
        weiterreichen.apply()  # start from a drained log
        with celery_app.connection_for_write() as verbindung:
            verbindung.default_channel.queue_purge("default")
        yield
        _aufraeumen()
        connection.close()


@pytest.fixture
def empfaenger():
    e = Empfaenger()
    yield e
    e.stop()


def _schreiben(key, ozg_id):
    antwort = APIClient().post(
        "/api/v1/umsetzungsstand/",
        {"land": "01", "leistung": ozg_id, "status": "in_planung", "stand": "2024-01-01", "bemerkung": "Pipeline-Test"},
        format="json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
    )
    assert antwort.status_code == 201, antwort.content


def _pruefen(abo, empfaenger, anzahl):
    """Exactly one delivery row and one POST per change, numbered 1..n without gap, in order."""
    zustellungen = list(abo.zustellungen.order_by("sequenz"))
    assert [z.sequenz for z in zustellungen] == list(range(1, anzahl + 1))
    assert len({z.aenderung_id for z in zustellungen}) == anzahl
    ereignisse = [json.loads(a["inhalt"])["ereignis_id"] for a in empfaenger.anfragen]
    assert len(ereignisse) == len(set(ereignisse)) == anzahl
    assert empfaenger.sequenzen == list(range(1, anzahl + 1))


def test_commit_bis_webhook_mit_worker(festgeschrieben, empfaenger, tmp_path):
    abo = WebhookAbo.objects.create(name="Pipeline-Test", url=empfaenger.url)
    _, key = ApiSchluessel.objects.create_key(name="Pipeline-Test", recht="schreiben")
    worker = Worker(tmp_path)
    try:
        for ozg_id in LEISTUNGEN:
            _schreiben(key, ozg_id)
        assert warten(lambda: len(empfaenger.anfragen) >= len(LEISTUNGEN), 60), worker.log.read_text()[-3000:]
        time.sleep(1)
        _pruefen(abo, empfaenger, len(LEISTUNGEN))
    finally:
        worker.beenden()


def test_broker_weg_beim_commit_der_durchlauf_holt_alles_nach(festgeschrieben, empfaenger, tmp_path):
    abo = WebhookAbo.objects.create(name="Pipeline-Test", url=empfaenger.url)
    _, key = ApiSchluessel.objects.create_key(name="Pipeline-Test", recht="schreiben")
    richtig = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # a closed port: the broker is down
    celery_app._pool = None
    try:
        for ozg_id in LEISTUNGEN:
            _schreiben(key, ozg_id)  # the writes succeed; queueing the relay fails and is logged
    finally:
        celery_app.conf.broker_url = richtig
        celery_app._pool = None
    assert WebhookZustellung.objects.filter(abo=abo).count() == 0
    worker = Worker(tmp_path)
    try:
        weiterreichen.delay()  # what celery beat does every minute
        assert warten(lambda: len(empfaenger.anfragen) >= len(LEISTUNGEN), 60), worker.log.read_text()[-3000:]
        time.sleep(1)
        _pruefen(abo, empfaenger, len(LEISTUNGEN))
    finally:
        worker.beenden()


def test_worker_mit_sigkill_mitten_in_der_verteilung_weder_doppelt_noch_luecke(festgeschrieben, empfaenger, tmp_path):
    abo = WebhookAbo.objects.create(name="Pipeline-Test", url=empfaenger.url)
    _, key = ApiSchluessel.objects.create_key(name="Pipeline-Test", recht="schreiben")
    # Hold the subscription row: the relay's webhook consumer stops inside its transaction, mid-delivery-planning.
    sperre = psycopg.connect(_url_der_testdatenbank())
    sperre.execute("SELECT 1 FROM opendata_webhookabo WHERE id = %s FOR UPDATE", [abo.pk])
    worker = Worker(tmp_path, pool="solo")
    try:
        for ozg_id in LEISTUNGEN:
            _schreiben(key, ozg_id)

        def wartet_auf_sperre():
            zeile = sperre.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE %s",
                ["%opendata_webhookabo%"],
            ).fetchone()
            return zeile[0] > 0

        assert warten(wartet_auf_sperre, 30), worker.log.read_text()[-3000:]
        worker.prozess.kill()  # SIGKILL: no clean-up, no ack
        worker.prozess.wait(10)
    finally:
        sperre.rollback()
        sperre.close()
        worker.beenden()  # a failed assertion above must not leave it consuming into the next test
    assert WebhookZustellung.objects.filter(abo=abo).count() == 0  # the killed transaction left nothing
    neu = Worker(tmp_path)
    try:
        weiterreichen.delay()  # the sweep (celery beat) picks up what the killed worker did not finish
        assert warten(lambda: len(empfaenger.anfragen) >= len(LEISTUNGEN), 60), neu.log.read_text()[-3000:]
        weiterreichen.delay()  # a second, redundant run changes nothing
        time.sleep(2)
        _pruefen(abo, empfaenger, len(LEISTUNGEN))
    finally:
        neu.beenden()


def test_mailserver_erst_weg_dann_da_mit_worker(festgeschrieben, tmp_path):
    """The worker stores the follower's mail, fails to send it (nothing listens), and sends it on the sweep once a
    real aiosmtpd is up on that port."""
    from aiosmtpd.controller import Controller

    folgt = User.objects.create_user(
        "folgt-worker", "folgt-worker@example.org", "Lange-Sichere-Passphrase-24", is_staff=True
    )
    Abonnement.objects.create(user=folgt, kommune_id=Gebietskoerperschaft.objects.get(ars="01").pk)
    _, key = ApiSchluessel.objects.create_key(name="Pipeline-Test", recht="schreiben")
    port = freier_port()
    worker = Worker(tmp_path, env={"EMAIL_URL": f"smtp://127.0.0.1:{port}", "EMAIL_BACKOFF_SEKUNDEN": "1"})
    controller = None
    try:
        _schreiben(key, LEISTUNGEN[0])

        def fehlgeschlagen():
            return EmailAusgang.objects.filter(
                empfaenger="folgt-worker@example.org", status=ZustellStatus.FEHLER, versuche__gte=1
            ).exists()

        assert warten(fehlgeschlagen, 60), worker.log.read_text()[-3000:]
        postfach = Postfach()
        controller = Controller(postfach, hostname="127.0.0.1", port=port)
        controller.start()
        time.sleep(1.5)  # the backoff (1 s) has passed
        weiterreichen.delay()  # what celery beat does every minute
        assert warten(lambda: postfach.an("folgt-worker@example.org"), 60), worker.log.read_text()[-3000:]
        mail = EmailAusgang.objects.get(empfaenger="folgt-worker@example.org")
        assert mail.status == ZustellStatus.ZUGESTELLT and mail.versuche >= 2
        assert "Umsetzungsstand" in postfach.an("folgt-worker@example.org")[0]
    finally:
        worker.beenden()
        if controller is not None:
            controller.stop()
