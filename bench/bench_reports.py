"""Rebuilding all reports at national scale vs. the bare SQL aggregate over the same rows, side by side.

Setup (idempotent, shared with other benchmarks on the same database): create the database if missing, migrate,
load the real data if the database is empty, then add synthetic KommunaleUmsetzung rows for every Gemeinde × every
OZG-Leistung (about 6.1 million, ``synthetisch=True``; other benchmarks can exclude them by that flag).

Measured, alternating, ``RUNDEN`` times each, every run in a fresh process:
- bare SQL: the report's own aggregate SELECTs (Kommune × Themenfeld over all KommunaleUmsetzung rows, and
  Themenfeld × Land), wrapped in SELECT COUNT(*) so no rows travel to the client;
- minimal SQL: ``SELECT kommune_id, status, COUNT(*) … GROUP BY 1, 2`` over the same rows, for reference;
- rebuild: all four reports through the Celery task (``apply``, the worker's code path), with its peak RSS.
Pass: median rebuild ≤ 2 × median bare SQL and peak RSS < 300 MB.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ozgportal_bench")
RUNDEN = int(os.environ.get("BENCH_RUNDEN", "3"))
ENV = {
    **os.environ,
    "DATABASE_URL": URL,
    "DJANGO_SETTINGS_MODULE": "ozgportal.settings.dev",
    "REDIS_URL": "",  # the rebuild runs inline in the measured process
    "BERICHTE_AUTOMATISCH": "False",
    # A new report run also queues the open-data files of its tables (opendata.signals). On a worker that is a
    # separate task; inline it would be timed as part of the rebuild. OPENDATA_AUTOMATISCH=True measures both.
    "OPENDATA_AUTOMATISCH": os.environ.get("OPENDATA_AUTOMATISCH", "False"),
    "LOG_LEVEL": "WARNING",
}

MESSUNG = r"""
import json, resource, sys, time
import django
django.setup()
from django.db import connection
modus = sys.argv[1]
start = time.monotonic()
if modus == "rebuild":
    from berichte.choices import Berichtsart
    from berichte.tasks import bericht_bauen
    for art in Berichtsart.values:
        bericht_bauen.apply(kwargs={"art": art, "erzwingen": True, "ausloeser": "befehl"}, throw=True)
else:
    from django.conf import settings
    from berichte.services import umsetzung
    with connection.cursor() as cursor:
        # Same session settings as the build, so both sides get the same plan.
        cursor.execute("SELECT set_config('work_mem', %s, false)", [settings.BERICHTE_WORK_MEM])
        if modus == "bare":
            umsetzung.ebenen_vorbereiten(cursor)
            abfragen = [
                (umsetzung.abfrage_kommune_themenfeld(), umsetzung.ANSCHLUSS_ALLE + umsetzung.EBENEN_SPALTEN),
                (umsetzung.abfrage_land(), umsetzung.LAND_SPALTEN),
            ]
        else:
            minimal = "SELECT kommune_id, status, COUNT(*) AS n FROM catalog_kommunaleumsetzung GROUP BY 1, 2"
            abfragen = [(minimal, ["n"])]
        for sql, spalten in abfragen:
            # Every output column is summed, so PostgreSQL cannot skip computing any of them; no rows travel.
            summen = ", ".join(f"SUM(q.{s})" for s in spalten)
            cursor.execute(f"SELECT COUNT(*), {summen} FROM ({sql}) q")
            cursor.fetchone()
dauer = time.monotonic() - start
print(json.dumps({"s": dauer, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def manage(*args, timeout=1800):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True, timeout=timeout)


def datenbank_anlegen():
    import psycopg

    name = URL.rsplit("/", 1)[1]
    basis = URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(basis, autocommit=True) as verbindung:
        if not verbindung.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            verbindung.execute(f'CREATE DATABASE "{name}"')
            print(f"Datenbank {name} angelegt")


def einrichten():
    datenbank_anlegen()
    manage("migrate", "--noinput", "-v0")
    leer = (
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from catalog.models import Leistung; print(Leistung.objects.count())",
            ],
            cwd=ROOT,
            env=ENV,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    if leer == "0":
        manage("load_all", "-v0")
    start = time.monotonic()
    manage("generate_synthetic")
    # Fresh statistics after bulk loads (autovacuum would get there later), so plans do not depend on timing.
    import psycopg

    with psycopg.connect(URL, autocommit=True) as verbindung:
        verbindung.execute("ANALYZE")
    print(f"Synthetische Daten bereit in {time.monotonic() - start:.1f} s")


def messen(modus: str) -> dict:
    import json

    ergebnis = subprocess.run(
        [sys.executable, "-c", MESSUNG, modus],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    )
    return json.loads(ergebnis.stdout.strip().splitlines()[-1])


def main() -> int:
    einrichten()
    zeilen = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from catalog.models import KommunaleUmsetzung as K; "
            "print(K.objects.count(), K.objects.filter(synthetisch=True).count())",
        ],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-2:]
    print(f"KommunaleUmsetzung: {zeilen[0]} Zeilen, davon {zeilen[1]} synthetisch")
    messen("bare")  # warm the cache once, unmeasured
    werte = {"bare": [], "minimal": [], "rebuild": []}
    rss = []
    for runde in range(RUNDEN):
        for modus in ("bare", "minimal", "rebuild"):
            m = messen(modus)
            werte[modus].append(m["s"])
            if modus == "rebuild":
                rss.append(m["rss_mb"])
            print(f"Runde {runde + 1} {modus:8s} {m['s']:7.2f} s  RSS {m['rss_mb']:.0f} MB", flush=True)
    median = {k: statistics.median(v) for k, v in werte.items()}
    verhaeltnis = median["rebuild"] / median["bare"]
    print(
        f"\nMedian: Neubau aller Berichte {median['rebuild']:.2f} s, nacktes SQL-Aggregat {median['bare']:.2f} s "
        f"→ Faktor {verhaeltnis:.2f} (Ziel ≤ 2); minimales GROUP BY {median['minimal']:.2f} s "
        f"→ Faktor {median['rebuild'] / median['minimal']:.2f}"
    )
    print(f"Spitzen-RSS des bauenden Prozesses: {max(rss):.0f} MB (Ziel < 300 MB)")
    ok = verhaeltnis <= 2 and max(rss) < 300
    print("BESTANDEN" if ok else "NICHT BESTANDEN")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
