"""The pipeline with a real Celery worker (subprocess), PostgreSQL and Redis: committed writes, real deliveries.

Like ``tests/berichte/test_worker.py`` these tests write in autocommit (the worker must see the data) and remove
their rows afterwards. Celery beat is simulated by queueing its task (``core.weiterreichen``) by hand.
"""

import json
import time

from django.db import connection

import psycopg
import pytest
from rest_framework.test import APIClient

from catalog.models import Umsetzungsstand
from core.tasks import weiterreichen
from opendata.models import WebhookAbo, WebhookZustellung
from ozgportal.celery import app as celery_app
from redaktion.models import ApiSchluessel
from tests.berichte.test_worker import Worker, _url_der_testdatenbank
from tests.opendata.conftest import Empfaenger

pytestmark = pytest.mark.celery_worker  # needs PostgreSQL and Redis; see tests/conftest.py

LEISTUNGEN = [10000, 10001, 10002, 10003, 10004]


def _aufraeumen():
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


def _warten(bedingung, sekunden=60):
    frist = time.monotonic() + sekunden
    while time.monotonic() < frist:
        if bedingung():
            return True
        time.sleep(0.2)
    return bedingung()


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
        assert _warten(lambda: len(empfaenger.anfragen) >= len(LEISTUNGEN)), worker.log.read_text()[-3000:]
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
        assert _warten(lambda: len(empfaenger.anfragen) >= len(LEISTUNGEN)), worker.log.read_text()[-3000:]
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

        assert _warten(wartet_auf_sperre, 30), worker.log.read_text()[-3000:]
        worker.prozess.kill()  # SIGKILL: no clean-up, no ack
        worker.prozess.wait(10)
    finally:
        sperre.rollback()
        sperre.close()
    assert WebhookZustellung.objects.filter(abo=abo).count() == 0  # the killed transaction left nothing
    neu = Worker(tmp_path)
    try:
        weiterreichen.delay()  # the sweep (celery beat) picks up what the killed worker did not finish
        assert _warten(lambda: len(empfaenger.anfragen) >= len(LEISTUNGEN)), neu.log.read_text()[-3000:]
        weiterreichen.delay()  # a second, redundant run changes nothing
        time.sleep(2)
        _pruefen(abo, empfaenger, len(LEISTUNGEN))
    finally:
        neu.beenden()
