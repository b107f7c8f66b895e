"""The REST API under gunicorn with PostgreSQL and all real data, side by side in one run:

(a) a filtered Leistungen page, (b) a Kommune's Leistungen, (c) a 304 revalidation of (a), next to a trivial
Django view on the same server (``/api/v1/ping/``) and the raw SQL of (a) and (b) on one connection.
Targets: (a), (b) p95 ≤ 50 ms; (c) p95 ≤ 5 ms; (a) ≥ half the throughput of the trivial view.

Setup is idempotent and safe beside other benchmarks on the same database: create it if missing, migrate, load
the real data if there is none (under an advisory lock). Only 127.0.0.1; every phase is bounded in time.
Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ozgportal_bench), BENCH_SEKUNDEN (per
scenario, default 8), BENCH_CLIENTS (concurrent clients, default 2), BENCH_WORKERS (gunicorn workers, default 2).
"""

import contextlib
import http.client
import multiprocessing
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ozgportal_bench")
SEKUNDEN = float(os.environ.get("BENCH_SEKUNDEN", "8"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "2"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
HOST = "127.0.0.1"

A = "/api/v1/leistungen/?themenfeld=familie-kind&vollzug=land_oder_kommune,gemischt&ordering=name"
B = "/api/v1/kommunen/01061/leistungen/"
TRIVIAL = "/api/v1/ping/"

ENV = {
    **os.environ,
    "DATABASE_URL": URL,
    "DJANGO_SETTINGS_MODULE": "ozgportal.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "SECURE_SSL_REDIRECT": "False",
    "ALLOWED_HOSTS": HOST,
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", ""),
    # Throttling stays on (its cost is part of every request) but cannot trigger.
    "API_THROTTLE_ANON": "100000000/min",
    "BERICHTE_AUTOMATISCH": "False",
    "LOG_LEVEL": "WARNING",
}


def django_env():
    os.environ.update({**ENV, "DJANGO_SETTINGS_MODULE": "ozgportal.settings.dev"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def einrichten():
    import psycopg

    teile = urlparse(URL)
    name = teile.path.lstrip("/")
    with psycopg.connect(URL.replace(f"/{name}", "/postgres"), autocommit=True) as verbindung:
        if not verbindung.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):  # another benchmark was faster
                verbindung.execute(f'CREATE DATABASE "{name}"')
    django_env()
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(4242)")  # one setup at a time across benchmarks
        try:
            call_command("migrate", "--noinput", verbosity=0)
            # Models load only once the benchmark has configured and set up Django in this process.
            from catalog.models import Leistung

            if not Leistung.objects.exists():
                call_command("load_all", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        finally:
            cursor.execute("SELECT pg_advisory_unlock(4242)")


def freier_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def anfrage(port, pfad, kopf=None):
    verbindung = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        verbindung.request("GET", pfad, headers={"Host": HOST, **(kopf or {})})
        antwort = verbindung.getresponse()
        inhalt = antwort.read()
        return antwort.status, dict(antwort.getheaders()), inhalt
    finally:
        verbindung.close()


def _client(args):
    port, pfad, kopf, bis, erwartet = args
    dauer, fehler = [], 0
    while time.monotonic() < bis:
        start = time.perf_counter()
        status, _kopf, _inhalt = anfrage(port, pfad, kopf)
        dauer.append(time.perf_counter() - start)
        fehler += status != erwartet
    return dauer, fehler


def last(port, pfad, kopf=None, erwartet=200):
    anfrage(port, pfad, kopf)  # warm up every worker's connection and caches
    for _ in range(2 * WORKERS):
        anfrage(port, pfad, kopf)
    bis = time.monotonic() + SEKUNDEN
    start = time.monotonic()
    with multiprocessing.Pool(CLIENTS) as pool:
        ergebnisse = pool.map(_client, [(port, pfad, kopf, bis, erwartet)] * CLIENTS)
    gesamt = time.monotonic() - start
    dauer = sorted(d for teil, _ in ergebnisse for d in teil)
    fehler = sum(f for _, f in ergebnisse)
    return kennzahlen(dauer, gesamt, fehler)


def kennzahlen(dauer, gesamt, fehler=0):
    p95 = dauer[int(0.95 * (len(dauer) - 1))]
    return {
        "n": len(dauer),
        "rps": len(dauer) / gesamt,
        "p50": statistics.median(dauer) * 1000,
        "p95": p95 * 1000,
        "fehler": fehler,
    }


def roh_sql():
    """Capture the SQL the API runs for (a) and (b), then time exactly those statements on one connection."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import psycopg

    ergebnisse = {}
    client = Client(HTTP_HOST=HOST)
    for name, pfad in (("a", A), ("b", B)):
        with CaptureQueriesContext(connection) as erfasst:
            assert client.get(pfad).status_code == 200
        statements = [q["sql"] for q in erfasst.captured_queries]
        with psycopg.connect(URL) as verbindung:
            for sql in statements:
                verbindung.execute(sql).fetchall()
            dauer = []
            bis = time.monotonic() + min(SEKUNDEN, 5)
            start = time.monotonic()
            while time.monotonic() < bis:
                t = time.perf_counter()
                for sql in statements:
                    verbindung.execute(sql).fetchall()
                dauer.append(time.perf_counter() - t)
            ergebnisse[name] = {**kennzahlen(sorted(dauer), time.monotonic() - start), "queries": len(statements)}
    return ergebnisse


def server(extra_env):
    """Start gunicorn; returns (process, port) once it answers."""
    port = freier_port()
    prozess = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",  # as in production (Dockerfile, compose, make serve): how responses are written
            "ozgportal/gunicorn.conf.py",
            "ozgportal.wsgi:application",
            "-b",
            f"{HOST}:{port}",
            "-w",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**ENV, **extra_env},
        stdout=subprocess.DEVNULL,  # the config's access log
    )
    for _ in range(100):
        try:
            if anfrage(port, TRIVIAL)[0] == 200:
                return prozess, port
        except OSError:
            time.sleep(0.2)
    prozess.terminate()
    raise RuntimeError("gunicorn startet nicht")


def main() -> int:
    einrichten()
    zeilen = {}
    prozess, port = server({})
    try:
        status, kopf, _ = anfrage(port, A)
        assert status == 200, status
        etag = kopf["ETag"]
        assert anfrage(port, B)[0] == 200
        assert anfrage(port, A, {"If-None-Match": etag})[0] == 304
        zeilen["trivial view (/api/v1/ping/)"] = last(port, TRIVIAL)
        zeilen["(a) filtered Leistungen page"] = last(port, A)
        zeilen["(b) Kommune's Leistungen"] = last(port, B)
        zeilen["(c) 304 revalidation of (a)"] = last(port, A, {"If-None-Match": etag}, erwartet=304)
    finally:
        prozess.terminate()
        prozess.wait(timeout=30)
    # The same requests with the response cache off: what the first request after every write costs.
    prozess, port = server({"API_ANTWORT_CACHE_SEKUNDEN": "0"})
    try:
        zeilen["(a) without response cache"] = last(port, A)
        zeilen["(b) without response cache"] = last(port, B)
    finally:
        prozess.terminate()
        prozess.wait(timeout=30)
    sql = roh_sql()
    zeilen["raw SQL of (a), one connection"] = sql["a"]
    zeilen["raw SQL of (b), one connection"] = sql["b"]

    print(f"gunicorn {WORKERS} sync workers, {CLIENTS} clients, {SEKUNDEN:.0f} s per scenario, PostgreSQL, real data")
    print(f"(a) GET {A}\n(b) GET {B}\n")
    print(f"{'scenario':38} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'n':>7} {'errors':>6}")
    for name, z in zeilen.items():
        print(f"{name:38} {z['rps']:8.0f} {z['p50']:8.2f} {z['p95']:8.2f} {z['n']:7d} {z['fehler']:6d}")
    trivial, a, b, c = (zeilen[k] for k in list(zeilen)[:4])
    ziele = {
        "(a) p95 <= 50 ms": a["p95"] <= 50,
        "(b) p95 <= 50 ms": b["p95"] <= 50,
        "(c) p95 <= 5 ms": c["p95"] <= 5,
        "(a) >= 1/2 throughput of trivial view": a["rps"] >= trivial["rps"] / 2,
    }
    print(
        f"\n(a)/trivial throughput: {a['rps'] / trivial['rps']:.2f}; raw SQL (a) {sql['a']['queries']} queries, "
        f"(b) {sql['b']['queries']} queries"
    )
    for ziel, ok in ziele.items():
        print(f"{'OK  ' if ok else 'FAIL'} {ziel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
