"""Federal dashboard format: importing 500,000 rows, and a Land's page of the compatible API at national scale.

Setup (idempotent) on its own PostgreSQL database (``BENCH_DASHBOARD_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/ozgportal_bench_dashboard``, so the import does not change the rows other
benchmarks read): migrate, load the real data if empty, add the synthetic KommunaleUmsetzung rows of
``generate_synthetic`` (every Gemeinde × every OZG-Leistung, about 6.1 million, ``synthetisch=True``).

1. Import: a synthetic CSV of ``BENCH_DASHBOARD_ZEILEN`` (500,000) rows, labelled as synthetic test data in its name
   and header (real LeiKa-Schlüssel and Gemeinden, invented URLs and statuses), is written to a temporary file and
   imported by ``manage.py import_dashboard`` in a fresh process; the imported Onlinedienste are removed first, so
   each run imports into an empty table. Measured: wall time and peak RSS of that process. Targets: ≤ 60 s, < 300 MB.
2. API: ``GET /api/dashboard/v1/data/050000000000?includeBelow=true&size=100&page=N`` for Nordrhein-Westfalen
   (≈ 396 Gemeinden × 557 OZG-Leistungen), N spread over all pages, answer cache off, in-process Django test client;
   side by side with the raw SQL of the same page (count + page query on one connection). Target: p95 ≤ 100 ms.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ.get("BENCH_DASHBOARD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ozgportal_bench_dashboard")
ZEILEN = int(os.environ.get("BENCH_DASHBOARD_ZEILEN", "500000"))
ANFRAGEN = int(os.environ.get("BENCH_DASHBOARD_ANFRAGEN", "200"))  # 0: only the import
NAIV = int(os.environ.get("BENCH_DASHBOARD_NAIV", "5"))  # pages read the previous way (seconds each)
NUR_API = os.environ.get("BENCH_DASHBOARD_NUR_API") == "1"  # skip the import (setup done)
ENV = {
    **os.environ,
    "DATABASE_URL": URL,
    "DJANGO_SETTINGS_MODULE": "ozgportal.settings.dev",
    "DEBUG": "False",  # with DEBUG, Django keeps the SQL of every bulk insert in memory
    "REDIS_URL": "",
    "BERICHTE_AUTOMATISCH": "False",
    "OPENDATA_AUTOMATISCH": "False",
    "API_ANTWORT_CACHE_SEKUNDEN": "0",
    "API_THROTTLE_ANON": "",  # one client asks hundreds of pages in a row
    "LOG_LEVEL": "WARNING",
}


def manage(*args, timeout=1800):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True, timeout=timeout)


def python(code: str, *args, timeout=1800) -> str:
    ergebnis = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=timeout
    )
    if ergebnis.returncode:
        sys.stderr.write(ergebnis.stderr[-4000:])
        raise SystemExit(ergebnis.returncode)
    return ergebnis.stdout.strip().splitlines()[-1]


def einrichten():
    import psycopg

    name = URL.rsplit("/", 1)[1]
    with psycopg.connect(URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as verbindung:
        if not verbindung.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            verbindung.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", "-v0")
    leer = python("import django; django.setup(); from catalog.models import Leistung; print(Leistung.objects.count())")
    if leer == "0":
        manage("load_all", "-v0")
    manage("generate_synthetic")
    with psycopg.connect(URL, autocommit=True) as verbindung:
        verbindung.execute("ANALYZE")


DATEI_SCHREIBEN = r"""
import sys, django
django.setup()
from catalog.models import Gebietskoerperschaft, LeikaLeistung
from dashboard.choices import SPALTEN
ziel, zeilen = sys.argv[1], int(sys.argv[2])
leika = list(LeikaLeistung.objects.exclude(schluessel="").exclude(leistung=None).order_by("zeile")
             .values_list("schluessel", "leistung__ozg_id"))
gemeinden = list(Gebietskoerperschaft.objects.filter(ebene="gemeinde").order_by("ars").values_list("ars", flat=True))
je_gemeinde = min(len(leika), 500)
with open(ziel, "w", encoding="utf-8") as f:
    f.write("# SYNTHETISCHE TESTDATEN für bench/bench_dashboard.py: keine echten Umsetzungsstände\n")
    f.write(";".join(SPALTEN) + "\n")
    for n in range(zeilen):
        ars = gemeinden[(n // je_gemeinde) % len(gemeinden)]
        schluessel, ozg = leika[n % je_gemeinde]
        status = "ok" if n % 7 else "nicht ok"
        aktiv = "ja" if n % 5 else "nein"
        f.write(f"{schluessel};;{ars};;;;;{ozg};;https://testdaten.invalid/{n};{status};{aktiv};"
                "in mind. einer Kommune verfügbar\n")
print(ziel)
"""

IMPORT_MESSEN = r"""
import json, resource, sys, time, django
django.setup()
from django.core.management import call_command
from django.db import connection
if sys.argv[2] == "leer":
    with connection.cursor() as c:
        c.execute("TRUNCATE dashboard_onlinedienst, dashboard_historicalonlinedienst")
from core import aenderungen, relay
# The relay runs in a worker after the commit, not in the importing process: measured on its own below. Replaced
# where it is called (core.aenderungen holds its own reference), not only where it is defined.
aenderungen.einreihen = relay.einreihen = lambda: None
start = time.monotonic()
call_command("import_dashboard", sys.argv[1], stdout=open("/dev/null", "w"))
dauer = time.monotonic() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.monotonic()
relay.weiterreichen()
print(json.dumps({"s": dauer, "rss_mb": rss, "relay_s": time.monotonic() - start}))
"""

API_MESSEN = r"""
import json, random, statistics, sys, time, django
django.setup()
from django.conf import settings
settings.ALLOWED_HOSTS = ["testserver"]
settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}
from django.db import connection
from django.test import Client
from catalog.models import Gebietskoerperschaft
from dashboard import querysets
anfragen, naiv_anfragen = int(sys.argv[1]), int(sys.argv[2])
from django.db import transaction
land = Gebietskoerperschaft.objects.get(ars="05")
# The federal API leaves synthetic rows out (its format cannot flag them), and this database holds no real ones at
# national scale. So the Land's synthetic statuses count as real for this measurement only: in a transaction of
# this process that is rolled back at the end, seen by no other connection and never committed.
als_echt = transaction.atomic()
als_echt.__enter__()
with connection.cursor() as c:
    c.execute("UPDATE catalog_kommunaleumsetzung u SET synthetisch = FALSE FROM catalog_gebietskoerperschaft g "
              "WHERE g.id = u.kommune_id AND g.land_id = %s AND u.synthetisch", [land.pk])
bereich = querysets.Bereich.fuer(land, oberhalb=True, unterhalb=True)
start = time.perf_counter()
gruppen = querysets.gruppen(bereich)
zaehlen_ms = (time.perf_counter() - start) * 1000
gesamt = sum(g.anzahl for g in gruppen)
seiten = max(1, (gesamt + 99) // 100)
rnd = random.Random(1)
nummern = [rnd.randrange(seiten) for _ in range(anfragen)]
client = Client()
url = "/api/dashboard/v1/data/050000000000?includeBelow=true&size=100&page={}"
client.get(url.format(0))  # the first request of a Datenstand counts (zaehlen_ms); every later one reuses it
api, sql, naiv = [], [], []
for nummer in nummern:
    start = time.perf_counter()
    antwort = client.get(url.format(nummer))
    assert antwort.status_code == 200, antwort.content[:300]
    api.append((time.perf_counter() - start) * 1000)
    # The raw SQL of the same page: the page query over the Gebietskörperschaften it touches.
    start = time.perf_counter()
    seite = querysets.seite_lesen(bereich, gruppen, absteigend=False, offset=nummer * 100, limit=100)
    sql.append((time.perf_counter() - start) * 1000)
    assert [z["ozgid"] for z in seite] == [z["ozgid"] for z in antwort.json()["content"]]
# The previous way, for comparison: count and sort all rows of the Land for every page.
for nummer in nummern[:naiv_anfragen]:
    start = time.perf_counter()
    querysets.zeilen_zaehlen(bereich)
    list(querysets.zeilen(bereich, offset=nummer * 100, limit=100))
    naiv.append((time.perf_counter() - start) * 1000)
def q(werte, p):
    return statistics.quantiles(werte, n=100)[p - 1] if len(werte) > 1 else werte[0]
print(json.dumps({"zeilen": gesamt, "seiten": seiten, "gruppen": len(gruppen), "zaehlen_ms": zaehlen_ms,
                  "api_p50": q(api, 50), "api_p95": q(api, 95), "sql_p50": q(sql, 50), "sql_p95": q(sql, 95),
                  "naiv_p50": q(naiv, 50) if naiv else 0}))
transaction.set_rollback(True)
als_echt.__exit__(None, None, None)
"""


def main() -> int:
    start = time.monotonic()
    einrichten()
    print(f"Einrichtung: {time.monotonic() - start:.0f} s", flush=True)
    if not NUR_API:
        with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as ordner:
            datei = Path(ordner) / "synthetische-testdaten-dashboard.csv"
            python(DATEI_SCHREIBEN, str(datei), str(ZEILEN))
            groesse = datei.stat().st_size / 2**20
            erster = json.loads(python(IMPORT_MESSEN, str(datei), "leer"))
            print(
                f"Import {ZEILEN} Zeilen ({groesse:.0f} MiB CSV), leere Tabelle: {erster['s']:.1f} s, "
                f"Spitzen-RSS {erster['rss_mb']:.0f} MB (Ziele ≤ 60 s, < 300 MB)",
                flush=True,
            )
            zweiter = json.loads(python(IMPORT_MESSEN, str(datei), "wieder"))
            print(f"Weiterreichen danach (Relay, sonst im Worker): {erster['relay_s']:.1f} s")
        print(f"Zweiter Lauf (alles unverändert): {zweiter['s']:.1f} s, Spitzen-RSS {zweiter['rss_mb']:.0f} MB")
    if ANFRAGEN == 0:
        return 0
    api = json.loads(python(API_MESSEN, str(ANFRAGEN), str(NAIV)))
    print(
        f"API Land NW mit allem darunter: {api['zeilen']} Zeilen in {api['gruppen']} Gebietskörperschaften, "
        f"{api['seiten']} Seiten à 100; Zählen einmal je Datenstand {api['zaehlen_ms']:.0f} ms; {ANFRAGEN} Abrufe "
        f"zufälliger Seiten: API p50 {api['api_p50']:.1f} ms, p95 {api['api_p95']:.1f} ms; rohes SQL derselben Seite "
        f"p50 {api['sql_p50']:.1f} ms, p95 {api['sql_p95']:.1f} ms; API/SQL p50 {api['api_p50'] / api['sql_p50']:.1f}× "
        f"(Ziel API p95 ≤ 100 ms). Früher (Zählen und Sortieren aller Zeilen je Seite, {NAIV} Abrufe): "
        f"p50 {api['naiv_p50']:.0f} ms",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
