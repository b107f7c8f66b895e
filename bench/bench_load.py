"""Load test (issue 7): public pages and API under gunicorn on 127.0.0.1, PostgreSQL and Redis, all real data.

1. Steps of 45 s at rising user counts find the highest load whose p95 stays within the targets
   (pages ≤ 100 ms, API ≤ 50 ms) without errors.
2. At that load, 5 minutes; the RSS of every gunicorn worker is sampled to show there is no memory growth.
Everything runs on this machine (2 cores): locust competes with the server for CPU, so these are floor figures.
Bounded: about 9 minutes in all. Set LOAD_SECONDS to shorten the long run.
"""

import csv
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DB = "ozgportal_bench"
PORT = 8765
HOST = f"http://127.0.0.1:{PORT}"
STUFEN = [int(n) for n in os.environ.get("LOAD_STEPS", "2,4,6,8,12,16").split(",")]
STUFE_SEKUNDEN = 45
LANG_SEKUNDEN = int(os.environ.get("LOAD_SECONDS", "300"))
ZIEL_MS = {"seite": 100, "api": 50}

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "ozgportal.settings.production",
    "DATABASE_URL": os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB}"),
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"),
    "SECRET_KEY": secrets.token_urlsafe(64),
    "SECURE_SSL_REDIRECT": "False",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    # The load comes from one address; the anonymous throttle would answer 429 to our own load generator.
    "API_THROTTLE_ANON": "1000000/minute",
    "LOG_LEVEL": "WARNING",
}


def manage(*args, **kw):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True, **kw)


def datenbank_bereit():
    vorhanden = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "test",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname='{DB}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not vorhanden:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc", f"CREATE DATABASE {DB}"], check=True
        )
    manage("migrate", "--noinput", "-v0")
    anzahl = (
        manage(
            "shell",
            "-c",
            "from catalog.models import Leistung; print(Leistung.objects.count())",
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    if anzahl != "557":
        manage("load_all", stdout=subprocess.DEVNULL)
    manage("collectstatic", "--noinput", "-v0")


def starte_server():
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "ozgportal.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "4",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
        ],
        cwd=ROOT,
        env=ENV,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{HOST}/health/", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn antwortet nicht")


def locust(users: int, sekunden: int, prefix: str) -> dict:
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{sekunden}s",
            "--host",
            HOST,
            "--csv",
            prefix,
            "--only-summary",
            "--loglevel",
            "ERROR",
        ],
        cwd=ROOT,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv") as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def innerhalb(stats) -> bool:
    for name, row in stats.items():
        if name == "Aggregated":
            continue
        ziel = ZIEL_MS["api" if name.startswith("/api/") else "seite"]
        if int(row["Failure Count"]) or float(row["95%"]) > ziel:
            return False
    return True


def rss_mb(server) -> list[float]:
    eltern = psutil.Process(server.pid)
    return [round(p.memory_info().rss / 2**20, 1) for p in eltern.children()]


def zeige(stats, titel):
    print(titel)
    print(f"  {'Endpunkt':<42} {'Anfragen':>9} {'Fehler':>7} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7}")
    for name, row in stats.items():
        print(
            f"  {name:<42} {row['Request Count']:>9} {row['Failure Count']:>7} {row['50%']:>7} {row['95%']:>7}"
            f" {float(row['Requests/s']):>7.1f}"
        )


def main():
    datenbank_bereit()
    server = starte_server()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            locust(4, 10, f"{tmp}/warm")
            beste = None
            for users in STUFEN:
                stats = locust(users, STUFE_SEKUNDEN, f"{tmp}/stufe{users}")
                ok = innerhalb(stats)
                print(
                    f"Stufe {users} Nutzer: {float(stats['Aggregated']['Requests/s']):.0f} req/s, "
                    f"p95 gesamt {stats['Aggregated']['95%']} ms, {'innerhalb' if ok else 'außerhalb'} der Ziele"
                )
                if not ok:
                    break
                beste = users
            users = beste or STUFEN[0]
            vorher = rss_mb(server)
            proben = []
            start = time.monotonic()
            ergebnis = {}

            def dauerlauf():
                ergebnis.update(locust(users, LANG_SEKUNDEN, f"{tmp}/lang"))

            t = threading.Thread(target=dauerlauf)
            t.start()
            while t.is_alive():
                time.sleep(15)
                proben.append((round(time.monotonic() - start), sum(rss_mb(server))))
            t.join()
            nachher = rss_mb(server)
            zeige(ergebnis, f"\nDauerlauf: {users} Nutzer, {LANG_SEKUNDEN} s, gunicorn 4 Worker, PostgreSQL + Redis:")
            print(f"  innerhalb der Ziele (Seiten p95 ≤ 100 ms, API p95 ≤ 50 ms, 0 Fehler): {innerhalb(ergebnis)}")
            print(f"  RSS der Worker vorher {vorher} MB, nachher {nachher} MB")
            print(f"  Summe RSS im Verlauf (s, MB): {proben}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
