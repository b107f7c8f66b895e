"""Several nodes on this machine: two gunicorn nodes (each in its own working directory) behind Debian's nginx on
loopback, two Celery workers, PostgreSQL and Redis. Under a bounded load one web node and one worker are killed
with SIGKILL: no request fails after nginx's retry, rebuilds still run, both nodes serve identical downloads.

Runs in the PostgreSQL + Redis variant; under CI=true a missing nginx fails the test instead of skipping it.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import connection

import pytest

# Needs PostgreSQL and Redis (not collected otherwise, see tests/conftest.py).
pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db]

LAST_SEKUNDEN = 20
PFADE = ["/", "/labore/", "/api/v1/lagen/", "/api/v1/leistungen/10000/", "/opendaten/labore.csv", "/health/live/"]


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
    except (urllib.error.URLError, OSError):
        return 0, b"", ""


@pytest.fixture
def knoten(tmp_path):
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
    }
    prozesse = []

    def starten(name, befehl):
        ordner = tmp_path / name
        ordner.mkdir()
        log = (ordner / "log").open("w")
        prozess = subprocess.Popen(
            befehl, cwd=ordner, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        prozesse.append(prozess)
        return prozess

    ports = [_port(), _port()]
    web = [
        starten(
            f"web{i}",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "ozgportal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "60",
            ],
        )  # fmt: skip
        for i, port in enumerate(ports)
    ]
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
                "--pool=solo",
                "-n",
                f"knoten{i}-{os.getpid()}@%h",
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
        for i in range(2):
            log = tmp_path / f"worker{i}" / "log"
            ende = time.monotonic() + 60
            while "ready" not in log.read_text() and time.monotonic() < ende:
                time.sleep(0.3)
        yield {
            "proxy": f"http://127.0.0.1:{proxy_port}",
            "web": web,
            "ports": ports,
            "worker": worker,
            "nginx_log": ordner / "error.log",
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


def test_kill_one_web_node_and_one_worker_under_load(knoten):
    from opendata.tasks import dateien_bauen

    # Both nodes serve the same bytes from the shared storage (built once, on the first request).
    erste = [_holen(f"http://127.0.0.1:{port}/opendaten/labore.csv") for port in knoten["ports"]]
    assert erste[0][0] == erste[1][0] == 200
    assert erste[0][1] == erste[1][1] and erste[0][2] == erste[1][2]

    ergebnisse, fehler = [], []
    stopp = threading.Event()

    def last(nummer):
        i = nummer
        while not stopp.is_set():
            status, _inhalt, _etag = _holen(knoten["proxy"] + PFADE[i % len(PFADE)])
            ergebnisse.append(status)
            if status != 200:
                fehler.append((PFADE[i % len(PFADE)], status))
            i += 1

    threads = [threading.Thread(target=last, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(6)
    os.killpg(knoten["web"][0].pid, signal.SIGKILL)
    os.killpg(knoten["worker"][0].pid, signal.SIGKILL)
    knoten["worker"][0].wait(timeout=10)
    # Until Redis notices the closed connection it may still hand a message to the dead worker's pending BRPOP,
    # and kombu cannot restore a message its consumer never received (README: known limit of the Redis broker).
    time.sleep(2)
    # Rebuilds requested after the kill are done by the surviving worker.
    auftraege = [dateien_bauen.apply_async(args=[["labore"]]) for _ in range(3)]
    time.sleep(LAST_SEKUNDEN - 6)
    stopp.set()
    for t in threads:
        t.join(timeout=30)

    assert len(ergebnisse) > 100
    assert fehler == [], fehler[:10]
    # nginx did meet the dead node (cut or refused connections) and retried on the other one.
    assert f"127.0.0.1:{knoten['ports'][0]}" in knoten["nginx_log"].read_text()
    assert all(auftrag.get(timeout=60) == ["labore"] for auftrag in auftraege)
    status, inhalt, _etag = _holen(f"http://127.0.0.1:{knoten['ports'][1]}/opendaten/labore.csv")
    assert status == 200 and inhalt == _holen(knoten["proxy"] + "/opendaten/labore.csv")[1]
