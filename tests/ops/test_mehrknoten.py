"""Several nodes on this machine: two gunicorn nodes (each in its own working directory, started with the portal's
gunicorn config) behind Debian's nginx on loopback, two Celery workers, PostgreSQL and Redis. Under a bounded locust
load (tests/ops/locust_mehrknoten.py) one web node is killed with SIGKILL, then an editor's write is committed
through the proxy and the worker that picked up its two rebuilds (a report and an open-data file) is SIGKILLed
mid-build: locust sees no failed request after nginx's retry, the surviving worker completes both rebuilds after the
sweep (``core.Neubauauftrag``), and both web nodes (the killed one restarted) serve the same bytes.

Runs in the PostgreSQL + Redis variant; under CI=true a missing nginx fails the test instead of skipping it. The
test writes committed rows (the web nodes and workers must see them) and removes exactly those afterwards.
"""

import contextlib
import csv
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Max

import psycopg
import pytest

from berichte.choices import Berichtsart
from berichte.models import AktuellerBericht, Berichtslauf, ThemenfeldStandZeile
from berichte.signals import auftrag as bericht_auftrag
from core.models import Aenderung, Neubauauftrag
from core.tasks import weiterreichen
from opendata.signals import auftrag as datei_auftrag
from opendata.tasks import dateien_bauen
from ozgportal.celery import app
from redaktion.models import ApiSchluessel
from tests.hilfen import auf_eigener_verbindung, berichte_zuruecksetzen, berichtsstand
from themenfelder.models import PhasenStatus

# Needs PostgreSQL and Redis (not collected otherwise, see tests/conftest.py). django_db makes pytest-django create
# the test database; what the nodes must see is written on a connection of its own (``festschreiben``).
pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db]

HIER = Path(__file__).resolve().parent
LOCUSTFILE = HIER / "locust_mehrknoten.py"
GUNICORN_KONFIG = Path(settings.BASE_DIR) / "ozgportal" / "gunicorn.conf.py"
T = Berichtsart.THEMENFELDBEARBEITUNG
STAND = date(2031, 1, 1)  # far from real data: the cleanup finds exactly the test's rows
#: The debounce of both rebuilds: the window in which the test takes its lock (see the test).
ENTPRELLEN = 3
#: NEUBAU_NACHHOLEN_SEKUNDEN of the spawned processes (default 600): how long a demand rests before the sweep.
NACHHOLEN = 3
SCHLUESSEL_NAME = "Synthetischer Mehrknoten-Test"


def _nginx() -> str:
    pfad = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if pfad is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx fehlt (Debian-Paket nginx; .ci/run installiert es)")
        pytest.skip("nginx fehlt")
    return pfad


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _warten(url: str, sekunden: float = 60) -> None:
    ende = time.monotonic() + sekunden
    while time.monotonic() < ende:
        try:
            with urllib.request.urlopen(url, timeout=2) as antwort:
                if antwort.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} antwortet nicht")


def _holen(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as antwort:
            return antwort.status, antwort.read(), antwort.headers.get("ETag", "")
    except urllib.error.HTTPError as fehler:
        return fehler.code, b"", ""
    except (urllib.error.URLError, OSError, http.client.HTTPException):
        return 0, b"", ""


def _warte_auf(bedingung, sekunden: float, was: str, log=None) -> None:
    ende = time.monotonic() + sekunden
    while time.monotonic() < ende:
        if bedingung():
            return
        time.sleep(0.1)
    raise AssertionError(f"{was} nicht innerhalb von {sekunden} s" + (f"\n{log.read_text()[-3000:]}" if log else ""))


def _gunicorn(port: int) -> list[str]:
    # The config production uses: a response's header leaves with its body, so a node killed mid-answer has sent
    # a complete response or nothing, which nginx retries (tests/ops/test_gunicorn.py).
    return [
        sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_KONFIG), "ozgportal.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60",
    ]  # fmt: skip


def _stand_vorher():
    return {
        "aenderung": Aenderung.objects.aggregate(m=Max("id"))["m"] or 0,
        "berichte": berichtsstand(),
        "auftraege": set(Neubauauftrag.objects.values_list("schluessel", flat=True)),
    }


def _aufraeumen(vorher) -> bool:
    berichte_zuruecksetzen(vorher["berichte"])
    PhasenStatus.objects.filter(stand=STAND).delete()
    PhasenStatus.history.filter(stand=STAND).delete()
    ApiSchluessel.objects.filter(name=SCHLUESSEL_NAME).delete()
    Neubauauftrag.objects.exclude(schluessel__in=vorher["auftraege"]).delete()
    # Last: the log entries of the test and of the cleanup above must not reach the next test's relay.
    Aenderung.objects.filter(id__gt=vorher["aenderung"]).delete()
    return True


@pytest.fixture
def festschreiben(django_db_blocker):
    """Run a function committed, on a connection of its own; afterwards remove exactly what the test wrote."""
    vorher = auf_eigener_verbindung(django_db_blocker, _stand_vorher)
    yield lambda funktion: auf_eigener_verbindung(django_db_blocker, funktion)
    auf_eigener_verbindung(django_db_blocker, lambda: _aufraeumen(vorher))


@pytest.fixture
def knoten(tmp_path, festschreiben):
    nginx = _nginx()
    s = connection.settings_dict
    gemeinsam = tmp_path / "gemeinsam"  # the volume every node mounts
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ozgportal.settings.test",
        "DATABASE_URL": f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/"
        + s["NAME"],
        "OPENDATA_DIR": str(gemeinsam / "opendata"),
        "MEDIA_ROOT": str(gemeinsam / "media"),
        "TRUSTED_PROXIES": "1",
        "PYTHONPATH": str(settings.BASE_DIR),
        "API_THROTTLE_ANON": "",
        # Rebuilds after changes, as in production (the test settings switch the open-data ones off).
        "BERICHTE_AUTOMATISCH": "True",
        "OPENDATA_AUTOMATISCH": "True",
        "BERICHTE_ENTPRELLEN_SEKUNDEN": str(ENTPRELLEN),
        "OPENDATA_ENTPRELLEN_SEKUNDEN": str(ENTPRELLEN),
        "NEUBAU_NACHHOLEN_SEKUNDEN": str(NACHHOLEN),
        # The killed worker's single-flight lock of the report expires this soon (default 60 s).
        "BERICHTE_SPERRE_SEKUNDEN": "3",
    }
    prozesse = []

    def starten(name, befehl):
        ordner = tmp_path / name
        ordner.mkdir()
        log = ordner / "log"
        prozess = subprocess.Popen(
            befehl, cwd=ordner, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
        )
        prozess.log = log
        prozesse.append(prozess)
        return prozess

    ports = [_port(), _port()]
    web = [starten(f"web{i}", _gunicorn(port)) for i, port in enumerate(ports)]
    namen = [f"knoten{i}-{os.getpid()}@{socket.gethostname()}" for i in range(2)]
    # Worker 0 runs two processes, so the report and the file are built (and killed) at the same time.
    pools = [["--pool=prefork", "-c", "2"], ["--pool=solo"]]
    worker = [
        starten(
            f"worker{i}",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ozgportal",
                "worker",
                "-Q",
                "default,berichte",
                *pools[i],
                "-n",
                namen[i],
                "-l",
                "info",
            ],
        )  # fmt: skip
        for i in range(2)
    ]
    proxy_port = _port()
    ordner = tmp_path / "nginx"
    ordner.mkdir()
    (ordner / "nginx.conf").write_text(
        f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {ordner}/nginx.pid;
error_log {ordner}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log {ordner}/access.log;
    client_body_temp_path {ordner}/body; proxy_temp_path {ordner}/proxy;
    fastcgi_temp_path {ordner}/fcgi; uwsgi_temp_path {ordner}/uwsgi; scgi_temp_path {ordner}/scgi;
    upstream portal {{
        server 127.0.0.1:{ports[0]} max_fails=1 fail_timeout=30s;
        server 127.0.0.1:{ports[1]} max_fails=1 fail_timeout=30s;
    }}
    server {{
        listen 127.0.0.1:{proxy_port};
        location / {{
            proxy_pass http://portal;
            proxy_set_header Host 127.0.0.1;
            # HTTP/1.1 towards the nodes: a streamed body comes chunked, so one cut by a dying node is seen as cut.
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_next_upstream error timeout http_502 http_503 http_504 non_idempotent;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""
    )
    proxy = subprocess.Popen(
        [nginx, "-p", str(ordner), "-c", str(ordner / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=(ordner / "stderr").open("w"),
        start_new_session=True,
    )
    prozesse.append(proxy)
    try:
        for port in ports:
            _warten(f"http://127.0.0.1:{port}/health/live/")
        _warten(f"http://127.0.0.1:{proxy_port}/health/live/")
        for prozess in worker:
            _warte_auf(lambda p=prozess: "ready" in p.log.read_text(), 60, "Worker bereit", prozess.log)
        yield {
            "proxy": f"http://127.0.0.1:{proxy_port}",
            "web": web,
            "ports": ports,
            "worker": worker,
            "namen": namen,
            "nginx_log": ordner / "error.log",
            "zugriffe": ordner / "access.log",
            "ordner": tmp_path,
            "db_url": env["DATABASE_URL"],
            "neu_starten": lambda i: starten(f"web{i}-neu", _gunicorn(ports[i])),
        }
    finally:
        for prozess in prozesse:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(prozess.pid, signal.SIGTERM)
        for prozess in prozesse:
            try:
                prozess.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(prozess.pid, signal.SIGKILL)


def _konsumieren(namen: list[str], an: bool) -> None:
    """Let a worker stop (or resume) taking messages (Celery's remote control, as an operator would)."""
    for queue in ("default", "berichte"):
        befehl = app.control.add_consumer if an else app.control.cancel_consumer
        antworten = befehl(queue, destination=namen, reply=True, timeout=5)
        assert len(antworten) == len(namen), (queue, antworten)


def _schreiben(proxy: str, geheimnis: str) -> tuple[int, bytes]:
    """An editor's write through the proxy: a new Phasenstatus (feeds report T and the file phasenstatus)."""
    anfrage = urllib.request.Request(
        proxy + "/api/v1/phasenstatus/",
        data=json.dumps(
            {
                "themenfeld": "bildung",
                "phase": "abschluss",
                "status": "abgeschlossen",
                "stand": STAND.isoformat(),
                "quelle": "Synthetischer Mehrknoten-Test",
            }  # fmt: skip
        ).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Api-Key {geheimnis}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(anfrage, timeout=20) as antwort:
            return antwort.status, antwort.read()
    except urllib.error.HTTPError as fehler:
        return fehler.code, fehler.read()


def _zugriffe(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


@contextlib.contextmanager
def _locust(proxy: str, ordner: Path, zugriffe: Path, nutzer: int = 4):
    """A bounded locust load through the proxy: ``nutzer`` users, headless, stopped with SIGTERM when the block
    ends (at the latest by ``--run-time``). Yields a dict that holds locust's final statistics afterwards."""
    ordner.mkdir()
    ergebnis = {}
    vorher = _zugriffe(zugriffe)
    log = ordner / "log"
    prozess = subprocess.Popen(
        [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "-u", str(nutzer), "-r", str(nutzer),
         "--host", proxy, "--run-time", "300s", "--csv", str(ordner / "locust"),
         "--json-file", str(ordner / "locust"), "--only-summary", "--loglevel", "WARNING"],
        cwd=ordner, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        _warte_auf(lambda: _zugriffe(zugriffe) - vorher >= 30, 60, "Locust-Last", log)
        yield ergebnis
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(prozess.pid, signal.SIGTERM)
        try:
            ergebnis["exit"] = prozess.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(prozess.pid, signal.SIGKILL)
            raise
        ergebnis["log"] = log.read_text()[-3000:]
        # The JSON is written at shutdown from the final counts; the failures CSV (written every second) only
        # names them for the message. Missing if locust died: the test's assertions then show its log.
        if (ordner / "locust.json").exists():
            eintraege = json.loads((ordner / "locust.json").read_text())
            ergebnis["anfragen"] = {e["name"]: e["num_requests"] for e in eintraege}
            ergebnis["fehler"] = sum(e["num_failures"] for e in eintraege)
        if (ordner / "locust_failures.csv").exists():
            with (ordner / "locust_failures.csv").open() as f:
                ergebnis["fehlermeldungen"] = list(csv.DictReader(f))


def test_kill_one_web_node_and_one_worker_mid_rebuild_under_load(knoten, festschreiben):
    auftraege = [bericht_auftrag(T), datei_auftrag("phasenstatus")]
    _schluessel, geheimnis = festschreiben(
        lambda: ApiSchluessel.objects.create_key(name=SCHLUESSEL_NAME, recht="schreiben")
    )
    # Both nodes serve the same bytes from the shared storage (built once, on the first request).
    erste = [_holen(f"http://127.0.0.1:{port}/opendaten/labore.csv") for port in knoten["ports"]]
    assert erste[0][0] == erste[1][0] == 200
    assert erste[0][1] == erste[1][1] and erste[0][2] == erste[1][2]

    with _locust(knoten["proxy"], knoten["ordner"] / "locust", knoten["zugriffe"]) as last:
        sperre = psycopg.connect(knoten["db_url"])
        try:
            time.sleep(2)
            os.killpg(knoten["web"][0].pid, signal.SIGKILL)  # web node 0 dies under load
            zugriffe_beim_tod = _zugriffe(knoten["zugriffe"])

            # Worker 1 pauses taking messages, so both rebuilds of the write go to worker 0 (which one takes a
            # message is up to the broker; the test must know which worker to kill).
            _konsumieren([knoten["namen"][1]], an=False)
            log1_ab = len(knoten["worker"][1].log.read_text())
            status, antwort = _schreiben(knoten["proxy"], geheimnis)
            assert status == 201, antwort[:2000]
            bis = Aenderung.objects.aggregate(m=Max("id"))["m"]

            # The relay (in worker 0) has recorded both demands and queued the builds, debounced by ENTPRELLEN s.
            def angefordert():
                return Neubauauftrag.objects.filter(
                    schluessel__in=auftraege, gewuenscht_bis__gte=bis, eingereiht_am__isnull=False
                ).count() == len(auftraege)

            _warte_auf(angefordert, 20, "Neubau-Bedarf", knoten["worker"][0].log)
            # Stall both builds mid-way: each reads the Phasenstatus after marking its demand begun (relay.beginnen).
            # Only the table's readers wait; the web nodes' pages that read it wait too, for a few seconds.
            sperre.execute("LOCK TABLE themenfelder_phasenstatus IN ACCESS EXCLUSIVE MODE")

            def mitten_im_bau():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM pg_locks WHERE relation = 'themenfelder_phasenstatus'::regclass "
                        "AND NOT granted"
                    )
                    wartend = cursor.fetchone()[0]
                begonnen = Neubauauftrag.objects.filter(schluessel__in=auftraege, begonnen_am__isnull=False).count()
                return wartend >= 2 and begonnen == len(auftraege)

            _warte_auf(mitten_im_bau, 20, "Beide Neubauten mitten im Bau", knoten["worker"][0].log)
            log0 = knoten["worker"][0].log.read_text()
            for task in ("berichte.bericht_bauen", "opendata.dateien_bauen"):
                assert f"Task {task}[" in log0, log0[-3000:]
                assert f"Task {task}[" not in knoten["worker"][1].log.read_text()[log1_ab:]
            unerledigt = dict(
                Neubauauftrag.objects.filter(schluessel__in=auftraege).values_list("schluessel", "erledigt_bis")
            )
            assert all(erledigt < bis for erledigt in unerledigt.values()), unerledigt

            os.killpg(knoten["worker"][0].pid, signal.SIGKILL)  # the worker holding both builds dies
            knoten["worker"][0].wait(timeout=10)
        finally:
            sperre.rollback()
            sperre.close()
        _konsumieren([knoten["namen"][1]], an=True)

        # The sweep (celery beat sends it every minute) queues the demands again once they have rested NACHHOLEN s;
        # sent every 2 s here, since a message handed to the dead worker's last BRPOP would be lost.
        def erledigt():
            return Neubauauftrag.objects.filter(schluessel__in=auftraege, erledigt_bis__gte=bis).count() == len(
                auftraege
            )

        ende = time.monotonic() + 60
        while not erledigt():
            assert time.monotonic() < ende, knoten["worker"][1].log.read_text()[-4000:]
            weiterreichen.delay()
            time.sleep(2)
        # Rebuilds requested after the kill are done by the surviving worker as well.
        neu = [dateien_bauen.apply_async(args=[["labore"]]) for _ in range(2)]
        assert all(a.get(timeout=60) == ["labore"] for a in neu)
        time.sleep(1)
        zugriffe_nach_dem_tod = _zugriffe(knoten["zugriffe"]) - zugriffe_beim_tod

    # Every request the dead node had not answered was retried by nginx on the other one, and none it had begun
    # to answer reached a client cut short: with the portal's gunicorn config a node sends a response's header
    # only together with its body, so it dies having sent all of a response or nothing.
    assert last.get("fehler") == 0 and last.get("fehlermeldungen") == [], (last.get("fehlermeldungen"), last["log"])
    assert last["exit"] == 0, last["log"]
    # All six paths of the locustfile, each many times.
    assert len(last["anfragen"]) == 6 and min(last["anfragen"].values()) >= 50, last["anfragen"]
    assert zugriffe_nach_dem_tod >= 100, zugriffe_nach_dem_tod  # the load went on through the kills
    nginx_log = knoten["nginx_log"].read_text()
    # nginx did meet the dead node (cut or refused connections) and retried on the other one.
    assert f"127.0.0.1:{knoten['ports'][0]}" in nginx_log
    log1 = knoten["worker"][1].log.read_text()
    assert "nicht erledigt: erneut eingereiht" in log1, log1[-3000:]

    # The report reflects the write, built by the surviving worker.
    lauf = Berichtslauf.objects.get(pk=AktuellerBericht.objects.get(art=T).lauf_id)
    assert lauf.task_id and lauf.task_id in log1, (lauf.task_id, log1[-3000:])
    assert ThemenfeldStandZeile.objects.filter(
        lauf=lauf, stichtag=STAND, themenfeld__name="Bildung", abschluss="abgeschlossen"
    ).exists()

    # The killed web node, restarted in a fresh working directory, serves the same bytes as the other one.
    knoten["neu_starten"](0)
    _warten(f"http://127.0.0.1:{knoten['ports'][0]}/health/live/")
    for pfad in ("/opendaten/phasenstatus.csv", "/opendaten/phasenstatus.json", "/berichte/themenfeldbearbeitung.csv"):
        a, b = (_holen(f"http://127.0.0.1:{port}{pfad}") for port in knoten["ports"])
        assert a[0] == b[0] == 200, (pfad, a[0], b[0])
        assert a[1] == b[1] and a[2] == b[2], pfad
    csv = _holen(f"http://127.0.0.1:{knoten['ports'][0]}/opendaten/phasenstatus.csv")[1].decode("utf-8-sig")
    assert "Synthetischer Mehrknoten-Test" in csv
    bericht = _holen(f"http://127.0.0.1:{knoten['ports'][1]}/berichte/themenfeldbearbeitung.csv")[1]
    assert STAND.strftime("%d.%m.%Y").encode() in bericht or STAND.isoformat().encode() in bericht
