"""Server time and weight of the Kommune page on PostgreSQL with all real data: the largest Kreis, the Kreis with
the most Gemeinden, a Gemeinde in an Amt (Heiligenstedten), its Amt (Itzehoe-Land) and Berlin.

Serves the portal with the standard library's WSGI server on 127.0.0.1 (one request at a time: this measures the
time per request, not throughput), requests each page N times after a warm-up and prints p50/p95/max of the
time until the last byte arrived, and the page's HTML bytes: the whole page and its first screen (everything up to
the end of the "answer first" section, ``</section>`` after ``class="antwort"``; pages without it: the whole page).
Target: p95 ≤ 100 ms. Uses DATABASE_URL or postgres://postgres@127.0.0.1:5432/ozgportal_bench, which it creates,
migrates and loads when needed. Talks only to 127.0.0.1; bounded by N requests per page.
"""

import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ozgportal_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ["DJANGO_SETTINGS_MODULE"] = "ozgportal.settings.test"
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The time to build the page, not to fetch it from the page cache (core.seitencache); SEITEN_CACHE_SEKUNDEN=600
# measures the cached case.
os.environ.setdefault("SEITEN_CACHE_SEKUNDEN", "0")
N = int(os.environ.get("BENCH_N", "200"))
ZIEL_P95_MS = 100


def datenbank_anlegen():
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        return
    name = url.rsplit("/", 1)[1]
    basis = url.rsplit("/", 1)[0] + "/postgres"
    vorhanden = subprocess.run(
        ["psql", basis, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not vorhanden:
        subprocess.run(["psql", basis, "-c", f'CREATE DATABASE "{name}"'], check=True, capture_output=True)


class StillerHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def erster_bildschirm(html: bytes) -> int:
    """Bytes up to the end of the answer section: what a reader needs before scrolling."""
    start = html.find(b'class="antwort"')
    if start < 0:
        return len(html)
    return html.index(b"</section>", start) + len(b"</section>")


#: CPU seconds of the server thread per request (Python's share of the build, without the database's work):
#: unlike the wall-clock time it hardly moves when other processes compete for the cores.
CPU_ZEITEN: list[float] = []


def mit_cpu_zeit(app):
    def wsgi(environ, start_response):
        start = time.thread_time()
        inhalt = b"".join(app(environ, start_response))
        CPU_ZEITEN.append(time.thread_time() - start)
        return [inhalt]

    return wsgi


def messen(basis, pfad, n):
    for _ in range(5):
        html = urllib.request.urlopen(basis + pfad).read()
    CPU_ZEITEN.clear()
    zeiten = []
    for _ in range(n):
        start = time.perf_counter()
        with urllib.request.urlopen(basis + pfad) as antwort:
            antwort.read()
            assert antwort.status == 200
        zeiten.append((time.perf_counter() - start) * 1000)
    zeiten.sort()
    return {
        "bytes": len(html),
        "erster": erster_bildschirm(html),
        "cpu": statistics.median(CPU_ZEITEN) * 1000,
        "p50": statistics.median(zeiten),
        "p95": zeiten[int(len(zeiten) * 0.95) - 1],
        "max": zeiten[-1],
    }


def main() -> int:
    datenbank_anlegen()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.db.models import Count, Sum

    # The project's modules load only after django.setup() above (the benchmark sets its settings first).
    from catalog.choices import Ebene
    from catalog.models import Gebietskoerperschaft, Leistung

    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    if not Leistung.objects.exists():
        print("Lade alle echten Daten …", flush=True)
        call_command("load_all", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    # Largest Kreis by population (summed over its Gemeinden: Kreise carry no figure of their own).
    einwohner = (
        Gebietskoerperschaft.objects.filter(ebene=Ebene.GEMEINDE)
        .values("kreis")
        .annotate(ew=Sum("einwohner"), gemeinden=Count("pk"))
        .order_by("-ew")
        .first()
    )
    kreis = Gebietskoerperschaft.objects.get(pk=einwohner["kreis"])
    meiste = (
        Gebietskoerperschaft.objects.filter(ebene=Ebene.GEMEINDE)
        .values("kreis")
        .annotate(gemeinden=Count("pk"))
        .order_by("-gemeinden")
        .first()
    )
    kreis_meiste = Gebietskoerperschaft.objects.get(pk=meiste["kreis"])
    gemeinde = Gebietskoerperschaft.objects.get(ags="01061034")  # Heiligenstedten, Amt Itzehoe-Land

    server = make_server("127.0.0.1", 0, mit_cpu_zeit(get_wsgi_application()), handler_class=StillerHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    basis = f"http://127.0.0.1:{server.server_port}"
    db = settings.DATABASES["default"]
    print(f"Datenbank: {db['ENGINE']} {db['NAME']}, {N} Anfragen je Seite")

    seiten = [
        (f"Größter Kreis: {kreis.name} ({einwohner['ew']:,} Einw., {einwohner['gemeinden']} Gemeinden)", kreis),
        (f"Kreis mit den meisten Gemeinden: {kreis_meiste.name} ({meiste['gemeinden']})", kreis_meiste),
        (f"Gemeinde im Amt: {gemeinde.name} (Amt {gemeinde.parent.name})", gemeinde),
        (f"Amt: {gemeinde.parent.name}", gemeinde.parent),
        ("Berlin (Stadtstaat, Kreisebene)", Gebietskoerperschaft.objects.by_schluessel("11000").get()),
    ]
    schlecht = 0
    for titel, gebiet in seiten:
        for pfad in (gebiet.get_absolute_url(), gebiet.get_absolute_url() + "?themenfeld=familie-kind"):
            w = messen(basis, pfad, N)
            ok = w["p95"] <= ZIEL_P95_MS
            schlecht += not ok
            print(
                f"{titel:60.60} {pfad:45} {w['bytes'] / 1000:6.1f} kB (1. Bildschirm {w['erster'] / 1000:6.1f} kB)"
                f"  CPU p50 {w['cpu']:6.1f} ms  p50 {w['p50']:6.1f} ms  p95 {w['p95']:6.1f} ms  max {w['max']:6.1f} ms"
                f"  {'OK' if ok else 'ÜBER ZIEL'}",
                flush=True,
            )
    server.shutdown()
    print(f"Ziel p95 ≤ {ZIEL_P95_MS} ms: {'erreicht' if not schlecht else f'{schlecht} Messungen darüber'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
