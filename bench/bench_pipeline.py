"""The change pipeline on PostgreSQL (+ Redis and a real Celery worker for the latency).

1. Import of all 16,068 Gebietskörperschaften into empty tables, with and without the change log (3 runs each,
   alternating, each rolled back; target: overhead ≤ 20 %).
2. 5,000 Umsetzungsstand rows (synthetic: the first 5,000 Land × OZG-Leistung pairs, status "in_planung") through
   the shared bulk helper, with history, with and without the log (target ≤ 20 %).
3. The relay draining 100,000 pending synthetic log entries through every registered consumer (automatic report
   and file rebuilds off, no subscriptions: the consumers' own routing work; target ≤ 30 s).
4. Commit → webhook delivery latency with a real worker (200 single writes, 5 per second, receiver on 127.0.0.1;
   target p95 ≤ 2 s).
Uses the PostgreSQL server on 127.0.0.1 with its own database (``BENCH_PIPELINE_DB``, default
``ozgportal_bench_pipeline``; dropped and created) and REDIS_URL (default DB 1). ``BENCH_PIPELINE_NUR=1`` (or
e.g. ``1,2``) runs only those parts, ``BENCH_PIPELINE_RUNDEN`` sets the rounds of 1. and 2. (default 5). Each round
is rolled back and the touched tables are vacuumed before the next (outside the timing), so no round writes into
the dead rows and index entries of the one before: the log's table then looks as it does in operation, where
entries are never rolled back.
"""

import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = os.environ.get("BENCH_PIPELINE_DB", "ozgportal_bench_pipeline")
REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1"
RUNDEN = int(os.environ.get("BENCH_PIPELINE_RUNDEN", "5"))  # more rounds on a noisy machine
NUR = {int(t) for t in os.environ.get("BENCH_PIPELINE_NUR", "1,2,3,4").split(",")}
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "ozgportal.settings.dev",
    "DEBUG": "False",
    "DATABASE_URL": URL,
    "REDIS_URL": REDIS,
    "BERICHTE_AUTOMATISCH": "False",
    "OPENDATA_AUTOMATISCH": "False",
    "LOG_LEVEL": "WARNING",
    "WEBHOOK_LOOPBACK_ERLAUBT": "True",  # the receiver runs on 127.0.0.1 (refused by default: SSRF protection)
}
sys.path.insert(0, str(ROOT))


def psql(sql):
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql], check=True)


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


TABELLEN = (
    "core_aenderung",
    "catalog_gebietskoerperschaft",
    "catalog_umsetzungsstand",
    "catalog_historicalumsetzungsstand",
)


def aufraeumen():
    """VACUUM what a rolled-back round left behind (autocommit: VACUUM cannot run in a transaction)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"VACUUM {', '.join(TABELLEN)}")


def einzeln_ausgeben(zeiten):
    """Every round's time, and the ratio of the best times (the steadiest figure on a noisy machine)."""
    print(
        "   einzeln ohne:",
        " ".join(f"{t:.2f}" for t in zeiten[False]),
        "mit:",
        " ".join(f"{t:.2f}" for t in zeiten[True]),
        f"(Bestzeiten: {min(zeiten[True]) / min(zeiten[False]) - 1:+.0%})",
    )


def median_ratio(an, aus):
    return statistics.median(an), statistics.median(aus), statistics.median(an) / statistics.median(aus) - 1


def main():
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    manage("migrate", "--noinput")
    os.environ.update(ENV)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    gv = settings.FIXTURES_DIR / "gemeindeverzeichnis" / "gv-auszug-q4.csv"
    if 1 in NUR:
        gebiete_messen(gv)
    if NUR & {2, 3, 4}:
        manage("load_all")
    if 2 in NUR:
        umsetzung_messen()
    if 3 in NUR:
        relay_messen()
    if 4 in NUR:
        latenz_messen()
    connections.close_all()  # our own session would block the DROP
    psql(f"DROP DATABASE IF EXISTS {DB}")


def gebiete_messen(gv):
    from contextlib import nullcontext

    from django.db import transaction

    from catalog.importers.quellen import import_gemeindeverzeichnis
    from core.aenderungen import protokoll_aus
    from core.importers import Zaehler

    zeiten = {True: [], False: []}
    for _ in range(RUNDEN):
        for mit_log in (False, True):
            with transaction.atomic():
                start = time.perf_counter()
                with nullcontext() if mit_log else protokoll_aus():
                    import_gemeindeverzeichnis(gv, Zaehler())
                zeiten[mit_log].append(time.perf_counter() - start)
                transaction.set_rollback(True)
            aufraeumen()
    an, aus, mehr = median_ratio(zeiten[True], zeiten[False])
    einzeln_ausgeben(zeiten)
    print(
        f"1. Import 16.068 Gebietskörperschaften: ohne Protokoll {aus:.2f} s, mit {an:.2f} s, Mehraufwand {mehr:+.0%}"
    )


def umsetzung_messen():
    from contextlib import nullcontext

    from django.db import transaction

    from catalog.models import Gebietskoerperschaft, Leistung, Umsetzungsstand
    from core.aenderungen import bulk_schreiben, protokoll_aus

    laender = list(Gebietskoerperschaft.objects.filter(ebene="land").order_by("ars").values_list("pk", flat=True))
    leistungen = list(Leistung.objects.order_by("ozg_id").values_list("pk", flat=True))
    paare = [(land, leistung) for land in laender for leistung in leistungen][:5000]
    zeiten = {True: [], False: []}
    for _ in range(RUNDEN):
        for mit_log in (False, True):
            with transaction.atomic():
                zeilen = [
                    Umsetzungsstand(land_id=a, leistung_id=b, status="in_planung", stand="2024-01-01") for a, b in paare
                ]
                start = time.perf_counter()
                with nullcontext() if mit_log else protokoll_aus():
                    bulk_schreiben(Umsetzungsstand, neu=zeilen, grund="Messung (synthetisch)")
                zeiten[mit_log].append(time.perf_counter() - start)
                transaction.set_rollback(True)
            aufraeumen()
    an, aus, mehr = median_ratio(zeiten[True], zeiten[False])
    einzeln_ausgeben(zeiten)
    print(
        f"2. 5.000 Umsetzungsstände mit Historie: ohne Protokoll {aus:.2f} s, mit {an:.2f} s, Mehraufwand {mehr:+.0%}"
    )


def relay_messen():
    from django.utils import timezone

    from core import relay
    from core.models import Aenderung, Konsumentenstand

    relay.weiterreichen()  # drain what load_all wrote
    jetzt = timezone.now()
    sekunde = int(time.time())
    Aenderung.objects.bulk_create(
        [
            Aenderung(
                modell="catalog.Gebietskoerperschaft",
                schluessel=f"synthetisch-{i}",
                objekt_id=i,
                aktion="geaendert",
                nachher={"synthetisch": True},
                wie="bench",
                zeitpunkt=jetzt,
                sekunde=sekunde,
                transaktion=f"bench{i // 1000}",
            )
            for i in range(100_000)
        ],
        batch_size=5000,
    )
    start = time.perf_counter()
    ergebnis = relay.weiterreichen()
    dauer = time.perf_counter() - start
    print(f"3. Relay: 100.000 offene Einträge an {len(ergebnis)} Konsumenten in {dauer:.1f} s ({ergebnis})")
    Aenderung.objects.filter(wie="bench").delete()
    assert all(s.fehler == "" for s in Konsumentenstand.objects.all())


def latenz_messen():
    from django.db import connection

    from catalog.models import Gebietskoerperschaft, Leistung, Umsetzungsstand
    from opendata.models import WebhookAbo
    from ozgportal.celery import app

    ankunft = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            import json

            inhalt = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            ankunft[inhalt["daten"]["id"]] = time.time()
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    WebhookAbo.objects.create(name="Messung", url=f"http://127.0.0.1:{server.server_address[1]}/")
    with app.connection_for_write() as verbindung:
        verbindung.default_channel.queue_purge("default")
    log = open("/tmp/bench_pipeline_worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ozgportal", "worker", "-Q", "default,berichte", "-c", "2"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"bench-{os.getpid()}@%h"],
        cwd=ROOT,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    time.sleep(8)
    try:
        sh = Gebietskoerperschaft.objects.get(ars="01")
        commits = {}
        for i, leistung in enumerate(Leistung.objects.order_by("ozg_id")[:200]):
            obj = Umsetzungsstand(land=sh, leistung=leistung, status="in_planung", stand="2024-01-01")
            obj.save()  # autocommit: one transaction per write
            commits[obj.pk] = time.time()
            if i % 5 == 4:
                time.sleep(1)
        frist = time.monotonic() + 60
        while len(ankunft) < len(commits) and time.monotonic() < frist:
            time.sleep(0.2)
        latenzen = sorted(ankunft[pk] - t for pk, t in commits.items() if pk in ankunft)
        p50 = latenzen[len(latenzen) // 2]
        p95 = latenzen[int(len(latenzen) * 0.95) - 1]
        print(
            f"4. Commit → Webhook mit Worker: {len(latenzen)}/{len(commits)} zugestellt, "
            f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {latenzen[-1] * 1000:.0f} ms"
        )
    finally:
        worker.terminate()
        worker.wait(30)
        server.shutdown()
        connection.close()


if __name__ == "__main__":
    main()
