"""A real Celery worker (subprocess) against the local Redis and the PostgreSQL test database.

These tests need committed data, visible to the worker. They do not use pytest-django's transactional tests
(whose flush would wipe the real data loaded once per session): they write through an unblocked connection in
autocommit and remove exactly what they wrote afterwards.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection

import pytest

from berichte.choices import Ausloeser, Berichtsart
from berichte.models import AktuellerBericht, Berichtslauf, ThemenfeldStandZeile
from berichte.services.bauen import bauen
from berichte.tasks import bericht_bauen, entprell_schluessel
from catalog.models import Themenfeld
from core.models import Neubauauftrag
from core.tasks import weiterreichen
from themenfelder.models import PhasenStatus

pytestmark = pytest.mark.celery_worker  # needs PostgreSQL and Redis; see tests/conftest.py

T = Berichtsart.THEMENFELDBEARBEITUNG
ROOT = Path(__file__).resolve().parents[2]
STAND = date(2031, 1, 1)  # far from real data, so cleanup can find exactly our rows


def _url_der_testdatenbank() -> str:
    s = connection.settings_dict
    benutzer = s["USER"] or "postgres"
    return f"postgres://{benutzer}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    def __init__(self, tmp_path, pool="prefork", automatisch=True, env=None):
        self.log = tmp_path / f"worker-{pool}-{time.monotonic_ns()}.log"
        env = {
            **os.environ,
            "DATABASE_URL": _url_der_testdatenbank(),
            "DJANGO_SETTINGS_MODULE": "ozgportal.settings.test",
            "BERICHTE_SPERRE_SEKUNDEN": "5",
            "BERICHTE_ENTPRELLEN_SEKUNDEN": "1",
            # The worker runs the change log's relay, which queues rebuilds after changes (core.relay).
            "BERICHTE_AUTOMATISCH": str(automatisch),
            **(env or {}),
        }
        befehl = [sys.executable, "-m", "celery", "-A", "ozgportal", "worker", "-Q", "berichte,default", "-l", "info"]
        befehl += [
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"test-{time.monotonic_ns()}@%h",
        ]
        befehl += ["--pool=solo"] if pool == "solo" else ["--pool=prefork", "-c", "2"]
        # A session of its own: a test that SIGKILLs the main process (a crash) must not leave its pool children
        # consuming from the broker into the next test; ``beenden`` ends the whole group.
        self.prozess = subprocess.Popen(
            befehl, cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
        )
        frist = time.monotonic() + 60
        while "ready." not in self.log.read_text():
            assert self.prozess.poll() is None, self.log.read_text()
            assert time.monotonic() < frist, "Worker nicht bereit:\n" + self.log.read_text()
            time.sleep(0.2)

    def beenden(self):
        if self.prozess.poll() is None:
            self.prozess.send_signal(signal.SIGTERM)
            try:
                self.prozess.wait(20)
            except subprocess.TimeoutExpired:
                self.prozess.kill()
                self.prozess.wait()
        # Pool children orphaned by a SIGKILLed main process would go on taking tasks: end them too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.prozess.pid, signal.SIGKILL)


@pytest.fixture
def festgeschrieben(django_db_setup, django_db_blocker, settings):
    """Autocommit access for this test; afterwards remove every row the test (or the worker) wrote."""
    settings.BERICHTE_AUTOMATISCH = False
    settings.BERICHTE_ENTPRELLEN_SEKUNDEN = 1
    with django_db_blocker.unblock():
        _aufraeumen()
        from ozgportal.celery import app

        with app.connection_for_write() as verbindung:
            verbindung.default_channel.queue_purge("berichte")
            verbindung.default_channel.queue_purge("default")
        yield
        settings.BERICHTE_AUTOMATISCH = False
        _aufraeumen()
        connection.close()


def _aufraeumen():
    for art in Berichtsart.values:
        cache.delete(entprell_schluessel(art))
        cache.delete(f"berichte:sperre:{art}")
    AktuellerBericht.objects.all().delete()
    Berichtslauf.objects.all().delete()
    PhasenStatus.objects.filter(stand=STAND).delete()
    PhasenStatus.history.filter(stand=STAND).delete()
    get_user_model().objects.filter(username="berichte-test").delete()
    Neubauauftrag.objects.all().delete()


def _warte_auf(bedingung, sekunden=90):
    frist = time.monotonic() + sekunden
    while time.monotonic() < frist:
        if bedingung():
            return True
        time.sleep(0.3)
    return False


def _aendern(phase="abschluss"):
    return PhasenStatus.objects.create(
        themenfeld=Themenfeld.objects.get(name="Bildung"), phase=phase, status="abgeschlossen", stand=STAND
    )


def test_statusaenderung_in_der_verwaltung_baut_den_bericht_neu(festgeschrieben, tmp_path, client, settings):
    alt = bauen(T, ausloeser=Ausloeser.BEFEHL, erzwingen=True).lauf_id
    worker = Worker(tmp_path)
    try:
        settings.BERICHTE_AUTOMATISCH = True
        benutzer = get_user_model().objects.create_superuser("berichte-test", "b@example.org", "x" * 16)
        client.force_login(benutzer)
        antwort = client.post(
            "/admin/themenfelder/phasenstatus/add/",
            {
                "themenfeld": Themenfeld.objects.get(name="Bildung").pk,
                "phase": "abschluss",
                "status": "abgeschlossen",
                "stand": STAND.isoformat(),
                "quelle": "Test",
                "_save": "Sichern",
            },
        )
        assert antwort.status_code == 302, antwort.content.decode()[:2000]

        def neu_gebaut():
            lauf_id = AktuellerBericht.objects.filter(art=T).values_list("lauf_id", flat=True).first()
            return (
                lauf_id != alt
                and ThemenfeldStandZeile.objects.filter(
                    lauf_id=lauf_id, stichtag=STAND, themenfeld__name="Bildung", abschluss="abgeschlossen"
                ).exists()
            )

        assert _warte_auf(neu_gebaut), worker.log.read_text()[-3000:]
        assert Berichtslauf.objects.get(art=T, pk=AktuellerBericht.objects.get(art=T).lauf_id).ausloeser == "aenderung"
        assert ThemenfeldStandZeile.objects.filter(lauf_id=alt).exists()  # the earlier build is kept
    finally:
        worker.beenden()


def test_zwei_gleichzeitige_ausloeser_bauen_einmal(festgeschrieben, tmp_path):
    bauen(T, ausloeser=Ausloeser.BEFEHL, erzwingen=True)
    _aendern()
    vorher = Berichtslauf.objects.filter(art=T).count()
    worker = Worker(tmp_path)  # two processes: both tasks can start at the same moment
    try:
        erster = bericht_bauen.apply_async(kwargs={"art": T})
        zweiter = bericht_bauen.apply_async(kwargs={"art": T})
        ergebnisse = sorted(r.get(timeout=120)["status"] for r in (erster, zweiter))
        assert ergebnisse == ["gebaut", "unveraendert"], worker.log.read_text()[-3000:]
        assert Berichtslauf.objects.filter(art=T).count() == vorher + 1

        # The debounced trigger path: two triggers before the build starts queue a single task.
        _aendern("kickoff")
        from berichte.signals import ausloesen

        ausloesen(T)
        ausloesen(T)
        assert _warte_auf(lambda: Berichtslauf.objects.filter(art=T).count() == vorher + 2, 60)
        time.sleep(3)
        assert Berichtslauf.objects.filter(art=T).count() == vorher + 2
    finally:
        worker.beenden()


def test_abgeschossener_worker_laesst_den_alten_bericht_stehen(festgeschrieben, tmp_path):
    import psycopg

    alt = bauen(T, ausloeser=Ausloeser.BEFEHL, erzwingen=True).lauf_id
    zeilen_alt = ThemenfeldStandZeile.objects.filter(lauf_id=alt).count()
    _aendern()
    laeufe = Berichtslauf.objects.count()

    # Hold the pointer table: the worker writes its build, then waits at the flip, mid-transaction.
    sperre = psycopg.connect(_url_der_testdatenbank())
    sperre.execute("LOCK TABLE berichte_aktuellerbericht IN EXCLUSIVE MODE")
    worker = Worker(tmp_path, pool="solo", automatisch=False)
    try:
        bericht_bauen.apply_async(kwargs={"art": T})

        def wartet_auf_sperre():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pid FROM pg_locks WHERE relation = 'berichte_aktuellerbericht'::regclass AND NOT granted"
                )
                return cursor.fetchall()

        assert _warte_auf(wartet_auf_sperre, 60), worker.log.read_text()[-3000:]
        backend = wartet_auf_sperre()[0][0]
        # Mid-build: readers still see the previous report, and nothing of the new one.
        assert AktuellerBericht.objects.get(art=T).lauf_id == alt
        assert Berichtslauf.objects.count() == laeufe

        worker.prozess.send_signal(signal.SIGKILL)
        worker.prozess.wait(10)
    finally:
        sperre.rollback()
        sperre.close()

    def backend_weg():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend])
            return cursor.fetchone() is None

    assert _warte_auf(backend_weg, 30)
    assert AktuellerBericht.objects.get(art=T).lauf_id == alt
    assert Berichtslauf.objects.count() == laeufe
    assert ThemenfeldStandZeile.objects.filter(lauf_id=alt).count() == zeilen_alt
    assert not ThemenfeldStandZeile.objects.exclude(lauf_id=alt).exists()

    # The next run completes (after the dead worker's lock has expired).
    neuer = Worker(tmp_path, automatisch=False)
    try:
        ergebnis = bericht_bauen.apply_async(kwargs={"art": T}).get(timeout=120)
        assert ergebnis["status"] == "gebaut", neuer.log.read_text()[-3000:]
        assert AktuellerBericht.objects.get(art=T).lauf_id == ergebnis["lauf_id"] != alt
        assert ThemenfeldStandZeile.objects.filter(lauf_id=ergebnis["lauf_id"], stichtag=STAND).count() == 14
    finally:
        neuer.beenden()
    assert django_settings.CELERY_TASK_ALWAYS_EAGER is False


def test_neubau_kurz_vor_sigkill_baut_der_andere_worker(festgeschrieben, tmp_path):
    """A rebuild demanded by the relay and handed to a worker that is then SIGKILLed is not lost.

    Redis keeps the killed worker's unacknowledged message invisible for an hour; the demand, however, is a
    database row (``core.Neubauauftrag``) and the sweep (``core.weiterreichen``, celery beat every minute) queues
    it again once it has been quiet for ``NEUBAU_NACHHOLEN_SEKUNDEN``: the other worker builds it.
    """
    import psycopg

    alt = bauen(T, ausloeser=Ausloeser.BEFEHL, erzwingen=True).lauf_id
    sperre = psycopg.connect(_url_der_testdatenbank())
    sperre.execute("LOCK TABLE berichte_aktuellerbericht IN EXCLUSIVE MODE")  # the build stops at its flip
    erster = Worker(tmp_path, pool="solo", automatisch=True)
    try:
        _aendern()  # committed: its relay run (in the worker) demands the rebuild and queues it

        def gesperrt():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM pg_locks WHERE relation = 'berichte_aktuellerbericht'::regclass AND NOT granted"
                )
                return cursor.fetchone() is not None

        assert _warte_auf(gesperrt, 60), erster.log.read_text()[-3000:]
        auftrag = Neubauauftrag.objects.get(schluessel=f"bericht:{T}")
        assert auftrag.begonnen_am is not None and auftrag.erledigt_bis < auftrag.gewuenscht_bis
        erster.prozess.send_signal(signal.SIGKILL)
        erster.prozess.wait(10)
    finally:
        sperre.rollback()
        sperre.close()
        erster.beenden()

    zweiter = Worker(tmp_path, automatisch=True, env={"NEUBAU_NACHHOLEN_SEKUNDEN": "2"})
    try:
        time.sleep(2.5)
        weiterreichen.delay()  # what celery beat does every minute

        def neu_gebaut():
            lauf_id = AktuellerBericht.objects.filter(art=T).values_list("lauf_id", flat=True).first()
            return lauf_id != alt and ThemenfeldStandZeile.objects.filter(lauf_id=lauf_id, stichtag=STAND).exists()

        assert _warte_auf(neu_gebaut, 90), zweiter.log.read_text()[-3000:]
        auftrag.refresh_from_db()
        assert _warte_auf(lambda: Neubauauftrag.objects.get(pk=auftrag.pk).erledigt_bis >= auftrag.gewuenscht_bis)
        assert "nicht erledigt: erneut eingereiht" in zweiter.log.read_text()
    finally:
        zweiter.beenden()
