"""Load test at national scale (issue 15): gunicorn (2 workers) + PostgreSQL + Redis + a real Celery worker on
127.0.0.1, all real data plus the 6.1 M synthetic Kommune statuses (``manage.py generate_synthetic``).

1. Without the cache's help (and without the worker: the web server alone), in one run, 4 clients each: the
   trivial view ``/api/v1/ping/``, distinct Kommune pages (random Gemeinden, German and English: every one a cache
   miss), distinct ``/api/v1/kommunen/<AGS>/leistungen/``, and the raw SQL of the page's rows (4 connections, in
   this process). Each request from a random visitor's address (X-Forwarded-For, one trusted proxy), accepting
   gzip as browsers and HTTP libraries do (the body is read, not decompressed). First 1,000 pages as a fresh worker
   serves them ("kalt"), then two other Gemeinden of every Kreis in both languages (what a worker holds after a
   few minutes of real traffic), then trivial view, pages and API answers (1,000 distinct each) in 10 alternating
   blocks, so that all three see the same moments of the shared machine.
   Printed as p50/p95/throughput and as the ratios the issue sets as targets.
2. The stock of pages filled (``manage.py seitenvorrat``, timed, Redis memory before/after), then the realistic
   mix (bench/locustfile.py): Zipf-popular and uniformly random bodies, pages and API answers in
   both languages, dashboard-style filtered lists, a Kommune-Redaktion writing statuses through the API at 1/s
   and one import of 5,000 rows per minute (the admin import's code: ``plane_import`` + ``fuehre_import_aus``).
   60 s warm-up, then LOAD_SECONDS (300; 0 skips this part) measured: errors, p95, cache hit rate
   (``X-Ozg-Cache``), RSS of the gunicorn workers every 15 s.
Everything runs on this machine (2 cores, shared with other work): locust competes with the server for CPU, so
only ratios within one run mean something. Bounded: about 10 minutes. DATABASE_URL (default ozgportal_bench) is
created, migrated and loaded when needed; REDIS_URL defaults to db 14, LOAD_PORT (gunicorn's port) to 8765.
"""

import csv
import json
import os
import random
import secrets
import signal
import statistics
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
PORT = int(os.environ.get("LOAD_PORT", "8765"))  # another free port when two runs share the machine
HOST = f"http://127.0.0.1:{PORT}"
LANG_SEKUNDEN = int(os.environ.get("LOAD_SECONDS", "300"))
WARM_SEKUNDEN = int(os.environ.get("LOAD_WARM_SECONDS", "60"))
NUTZER = int(os.environ.get("LOAD_USERS", "8"))
N_VERSCHIEDENE = int(os.environ.get("LOAD_DISTINCT", "1000"))
BLOECKE = 10  # phase 1: trivial, page and API series in alternating blocks

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "ozgportal.settings.production",
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ozgportal_bench"),
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
    "SECRET_KEY": secrets.token_urlsafe(64),
    "SECURE_SSL_REDIRECT": "False",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    # Visitors come from many addresses: each request names a random one in X-Forwarded-For, as the proxy in front
    # of the portal would (TRUSTED_PROXIES=1), and the anonymous throttle keeps its production rate per address.
    # (One address at a million a minute made the throttle keep a list of every request of the last minute.)
    "TRUSTED_PROXIES": "1",
    "LOG_LEVEL": "WARNING",
    # The stock of pages (catalog.vorrat), built for the address the load generator asks.
    "SEITEN_VORRAT": "alle",
    "OPENDATA_BASIS_URL": HOST,
}


def besucher_adresse() -> str:
    """A random visitor's address (documentation range 198.18.0.0/15 for benchmarks, RFC 2544)."""
    n = random.getrandbits(17)
    return f"198.{18 + (n >> 16)}.{(n >> 8) & 255}.{n & 255}"


def manage(*args, **kw):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True, **kw)


def shell(code: str) -> str:
    return manage("shell", "-c", code, capture_output=True, text=True).stdout.strip().splitlines()[-1]


def datenbank_bereit():
    name = ENV["DATABASE_URL"].rsplit("/", 1)[1]
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-tAc"]
    if not subprocess.run([*psql, f"SELECT 1 FROM pg_database WHERE datname='{name}'"], capture_output=True,
                          text=True, check=True).stdout.strip():  # fmt: skip
        subprocess.run([*psql, f'CREATE DATABASE "{name}"'], check=True)
    manage("migrate", "--noinput", "-v0")
    if shell("from catalog.models import Leistung; print(Leistung.objects.count())") != "557":
        manage("load_all", stdout=subprocess.DEVNULL)
    synthetisch = int(
        shell("from catalog.models import KommunaleUmsetzung as K; print(K.objects.filter(synthetisch=True).count())")
    )  # noqa: E501
    if synthetisch < 6_000_000:
        print("Erzeuge die synthetischen Umsetzungsstände (etwa 2–4 Minuten) …", flush=True)
        manage("generate_synthetic")
    manage("collectstatic", "--noinput", "-v0")


def vorbereiten(tmp: str) -> dict:
    """Bodies by population (for locust), a write key for the API, and a sample of Gemeinden for phase 1."""
    code = f"""
import json
from catalog.models import Gebietskoerperschaft as G, Leistung
from redaktion.models import ApiSchluessel
koerper = sorted(G.objects.values_list("ags", "ars", "einwohner"), key=lambda k: -(k[2] or 0))
liste = [[k[0] or k[1], k[1], k[1][:2]] for k in koerper]
json.dump(liste, open("{tmp}/koerper.json", "w"))
_obj, key = ApiSchluessel.objects.create_key(name="Lasttest (synthetisch)", recht="schreiben")
print(json.dumps({{"key": key, "leistungen": list(Leistung.objects.values_list("ozg_id", flat=True))}}))
"""
    daten = json.loads(shell(code))
    return {"koerper": f"{tmp}/koerper.json", **daten}


def starte(befehl, **kw):
    return subprocess.Popen(befehl, cwd=ROOT, env=ENV, start_new_session=True, **kw)


def starte_server():
    # The production config (how responses are written, see ozgportal/gunicorn.conf.py), 2 workers, no access log.
    server = starte([str(BIN / "gunicorn"), "-c", "ozgportal/gunicorn.conf.py", "ozgportal.wsgi:application",
                     "--bind", f"127.0.0.1:{PORT}", "--workers", "2", "--access-logfile", "/dev/null",
                     "--error-logfile", "-"])  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{HOST}/health/", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn antwortet nicht")


def beenden(prozess):
    os.killpg(prozess.pid, signal.SIGTERM)
    prozess.wait(timeout=30)


# --- Phase 1: without the cache's help ------------------------------------------------------------------
def _parallel(client, clients: int, zeiten: list) -> dict:
    """Run ``client`` in ``clients`` threads until each is done; the latencies it collected and the throughput."""
    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return _kennzahlen(zeiten, time.perf_counter() - start)


def _kennzahlen(zeiten: list, dauer: float) -> dict:
    zeiten = sorted(zeiten)
    return {
        "n": len(zeiten),
        "p50": statistics.median(zeiten),
        "p95": zeiten[int(len(zeiten) * 0.95) - 1],
        "rps": len(zeiten) / dauer,
        "zeiten": zeiten,
        "dauer": dauer,
    }


def zusammen(teile: list[dict]) -> dict:
    """Series measured in blocks as one: all latencies, throughput over the blocks' time."""
    gesamt = _kennzahlen([z for t in teile for z in t["zeiten"]], sum(t["dauer"] for t in teile))
    return {**gesamt, "fehler": sum(t["fehler"] for t in teile), "treffer": sum(t["treffer"] for t in teile)}


def reihe(anfragen, clients=4) -> dict:
    """Request each (path, language) once, with ``clients`` threads; latency per request, throughput overall, and
    how many came from the page or response cache (``X-Ozg-Cache: treffer``)."""
    zeiten, fehler, treffer, lock = [], [0], [0], threading.Lock()
    arbeit = iter(anfragen)

    def client():
        while True:
            with lock:
                naechste = next(arbeit, None)
            if naechste is None:
                return
            pfad, sprache = naechste
            start = time.perf_counter()
            try:
                # As browsers and HTTP libraries (requests, locust) ask: gzip accepted.
                kopf = {"Accept-Language": sprache, "Accept-Encoding": "gzip", "X-Forwarded-For": besucher_adresse()}
                req = urllib.request.Request(HOST + pfad, headers=kopf)
                with urllib.request.urlopen(req, timeout=30) as antwort:
                    antwort.read()
                    aus_cache = antwort.headers.get("X-Ozg-Cache") == "treffer"
            except OSError:
                fehler[0] += 1
                aus_cache = False
            dauer = (time.perf_counter() - start) * 1000
            with lock:
                zeiten.append(dauer)
                treffer[0] += aus_cache

    return {**_parallel(client, clients, zeiten), "fehler": fehler[0], "treffer": treffer[0]}


ROH_SQL = """
SELECT l.ozg_id, l.name, la.name, tf.name, COALESCE(z.ebene, l.vollzug), z.ebene IS NULL, lk.n, lk.typen,
       u.status, u.reifegrad, k.status, k.synthetisch
FROM catalog_leistung l
JOIN catalog_lage la ON la.id = l.lage_id
JOIN catalog_themenfeld tf ON tf.id = la.themenfeld_id
LEFT JOIN (SELECT leistung_id, COUNT(*) AS n, STRING_AGG(DISTINCT NULLIF(typisierung, ''), '|') AS typen
           FROM catalog_leikaleistung GROUP BY leistung_id) lk ON lk.leistung_id = l.id
LEFT JOIN catalog_zustaendigkeit z ON z.leistung_id = l.id AND z.land_id = %(land)s AND z.leika_leistung_id IS NULL
LEFT JOIN catalog_umsetzungsstand u ON u.leistung_id = l.id AND u.land_id = %(land)s
LEFT JOIN catalog_kommunaleumsetzung k ON k.leistung_id = l.id AND k.kommune_id = %(kommune)s
ORDER BY tf.name, la.name, l.ozg_id
"""


def roh_sql(gemeinden, clients=4) -> dict:
    """The rows and columns a Kommune page shows, as one hand-written SQL statement (the floor), with as many
    concurrent clients (one connection each) as the page series."""
    import psycopg  # noqa: PLC0415 - only this phase talks to the database directly

    zeiten, lock, arbeit = [], threading.Lock(), iter(gemeinden)

    def client():
        with psycopg.connect(ENV["DATABASE_URL"]) as verbindung, verbindung.cursor() as cur:
            while True:
                with lock:
                    naechste = next(arbeit, None)
                if naechste is None:
                    return
                start = time.perf_counter()
                cur.execute(ROH_SQL, {"land": naechste[1], "kommune": naechste[0]})
                assert len(cur.fetchall()) == 557
                with lock:
                    zeiten.append((time.perf_counter() - start) * 1000)

    return _parallel(client, clients, zeiten)


CACHE_LOESCHEN = """
import json, sys
from django.conf import settings
from django.core.cache import caches
from django.test import RequestFactory
from django.utils import translation
from core import seitencache
cache, rf, n = caches[settings.API_ANTWORT_CACHE], RequestFactory(), 0
for pfad, sprache in json.loads(open(sys.argv[-1]).read()):
    request = rf.get(pfad, HTTP_HOST="{host}")
    with translation.override(sprache):
        art = ("api-antwort", "json") if pfad.startswith("/api/") else ("seite",)
        n += cache.delete(seitencache.adresse(request, *art))
print(n)
"""


def cache_loeschen(anfragen) -> int:
    """Remove the cache entries (page or answer, one per address: ``core.seitencache.adresse``) of ``anfragen``."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(anfragen, f)
    code = CACHE_LOESCHEN.replace("{host}", HOST.removeprefix("http://")).replace("sys.argv[-1]", repr(f.name))
    return int(shell(code))


TRIVIAL_P95 = [float("nan")]  # the trivial view's p95 from phase 1, for the mix's second ratio


def ohne_cache(koerper_datei) -> None:
    koerper = json.load(open(koerper_datei))  # noqa: SIM115
    gemeinden = [k for k in koerper if len(k[1]) == 12]
    # Not the 40 pages that warm the connections below: every measured page is a miss.
    stichprobe = random.Random(15).sample(gemeinden[:-40], 3 * N_VERSCHIEDENE)
    sprachen = ["de", "en"]
    n = N_VERSCHIEDENE
    seiten_kalt = [(f"/kommunen/{k[0]}/", sprachen[i % 2]) for i, k in enumerate(stichprobe[:n])]
    seiten = [(f"/kommunen/{k[0]}/", sprachen[i % 2]) for i, k in enumerate(stichprobe[n : 2 * n])]
    api = [(f"/api/v1/kommunen/{k[0]}/leistungen/", sprachen[i % 2]) for i, k in enumerate(stichprobe[2 * n :])]
    ids = json.loads(shell(
        "import json; from catalog.models import Gebietskoerperschaft as G; "
        f"print(json.dumps(list(G.objects.filter(ags__in={[k[0] for k in stichprobe[:200]]!r}).values_list('pk', 'land_id'))))"  # noqa: E501
    ))  # fmt: skip
    warm = [(f"/kommunen/{k[0]}/", "de") for k in gemeinden[-20:]] + [
        (f"/kommunen/{k[0]}/", "en") for k in gemeinden[-40:-20]
    ]
    # A worker that has served real traffic for a few minutes holds what the bodies of a Land and of a Kreis
    # share (the Land's part of the list, the cells naming the Kreis, the kept fragments): two other Gemeinden of
    # every Kreis in both languages, so that each of the two workers likely saw each Kreis. The measured pages
    # stay distinct and uncached; the pages before this warm-up ("kalt") are the first a fresh worker serves.
    ausgenommen = {k[0] for k in stichprobe} | {k[0] for k in gemeinden[-40:]}  # measured or warmed already
    je_kreis: dict[str, list[str]] = {}
    for k in gemeinden:
        if k[0] not in ausgenommen and len(je_kreis.setdefault(k[1][:5], [])) < 2:
            je_kreis[k[1][:5]].append(k[0])
    aufwaermen = [(f"/kommunen/{s}/", sprache) for liste in je_kreis.values() for s in liste for sprache in sprachen]
    random.Random(16).shuffle(aufwaermen)
    # Entries of these addresses (from an earlier run or the stock) would be served from the cache: removed, the
    # rest of the stock stays (filling it again after this phase then costs only these).
    entfernt = cache_loeschen(seiten_kalt + seiten + api + warm + aufwaermen)
    print(f"{entfernt} Cache-Einträge der gemessenen und der Aufwärm-Adressen entfernt")
    reihe([("/api/v1/ping/", "de")] * 200)  # warm: connections, the catalogue in each worker
    reihe(warm)
    seite_kalt = reihe(seiten_kalt)
    aufgewaermt = reihe(aufwaermen)
    print(f"Aufgewärmt: {aufgewaermt['n']} Seiten aus {len(je_kreis)} Kreisen, {aufgewaermt['treffer']} aus dem Cache")
    # The series in alternating blocks of about a second each: the shared machine's speed changes by half within
    # a minute, and a series measured after another would carry that into the ratios. Each ratio compares series
    # that saw the same moments.
    teile = {"trivial": [], "seite": [], "api": []}
    for block in range(BLOECKE):
        teile["trivial"].append(reihe([("/api/v1/ping/", "de")] * (5 * N_VERSCHIEDENE // BLOECKE)))
        for art, liste in (("seite", seiten), ("api", api)):
            teile[art].append(reihe(liste[block::BLOECKE]))
    trivial, seite, antwort = (zusammen(teile[art]) for art in ("trivial", "seite", "api"))
    je_block = [s["rps"] / t["rps"] for s, t in zip(teile["seite"], teile["trivial"], strict=True)]
    roh = roh_sql(ids)
    print("\nOhne Cache (verschiedene Gemeinden, jede Anfrage ein Cache-Fehlschlag), 4 Clients, gunicorn 2 Worker:")
    print(f"  {'Anfrage':<48} {'n':>5} {'Fehler':>6} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7} {'Cache':>5}")
    for titel, w in (("Kommune-Seite, verschiedene, kalt (vorab)", seite_kalt),
                     ("trivial /api/v1/ping/", trivial),
                     ("Kommune-Seite, verschiedene Gemeinden", seite),
                     ("/api/v1/kommunen/<AGS>/leistungen/, verschiedene", antwort)):  # fmt: skip
        print(f"  {titel:<48} {w['n']:>5} {w['fehler']:>6} {w['p50']:>7.1f} {w['p95']:>7.1f} {w['rps']:>7.1f}"
              f" {w['treffer']:>5}")  # fmt: skip
    print(
        f"  {'Roh-SQL der Zeilen einer Seite (557 Zeilen)':<48} {roh['n']:>5} {'':>6} {roh['p50']:>7.1f}"
        f" {roh['p95']:>7.1f} {roh['rps']:>7.1f}"
    )  # noqa: E501
    p95_trivial, rps_trivial = trivial["p95"], trivial["rps"]
    TRIVIAL_P95[0] = p95_trivial
    ziele = [
        ("Seite p95 / trivial p95", seite["p95"] / p95_trivial, "≤ 15"),
        ("Seite p95 / Roh-SQL p95", seite["p95"] / roh["p95"], "≤ 3"),
        ("Seite Durchsatz / trivial", seite["rps"] / rps_trivial, "≥ 0.15"),
        ("API p95 / trivial p95", antwort["p95"] / p95_trivial, "≤ 10"),
        ("API Durchsatz / trivial", antwort["rps"] / rps_trivial, "≥ 0.2"),
    ]
    print(f"  In {BLOECKE} abwechselnden Blöcken; Seite/trivial je Block {min(je_block):.2f}–{max(je_block):.2f}.")
    print("  Verhältnisse:")
    for titel, wert, ziel in ziele:
        grenze = float(ziel.split()[1])
        ok = wert <= grenze if ziel.startswith("≤") else wert >= grenze
        print(f"    {titel:<28} {wert:6.2f}  Ziel {ziel:<7} {'erreicht' if ok else 'VERFEHLT'}")


# --- Phase 2: the realistic mix with writes --------------------------------------------------------------
IMPORT = """
import random, datetime, secrets, time
from django.contrib.auth import get_user_model
from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung, Leistung
from catalog.importers.formate import FORMATE
from catalog.importers.verwaltung import fuehre_import_aus, plane_import
U = get_user_model()
admin = U.objects.filter(username="lasttest-import-synthetisch").first() or U.objects.create_superuser(
    "lasttest-import-synthetisch", "lasttest@example.invalid", secrets.token_urlsafe(24))
gemeinden = random.sample(list(Gebietskoerperschaft.objects.filter(ebene="gemeinde").values_list("ags", flat=True)), 9)
leistungen = list(Leistung.objects.values_list("ozg_id", flat=True))
heute = datetime.date.today().isoformat()
status = ["angeschlossen", "nicht_geplant"]
zeilen = [f"{a};{o};{random.choice(status)};;;{heute}" for a in gemeinden for o in leistungen]
datei = ("kommune;ozg_id;status;geplant_bis;online_url;stand\\n" + "\\n".join(zeilen[:5000])).encode()
start = time.monotonic()
fmt = FORMATE[KommunaleUmsetzung]
plan, fehler = plane_import(fmt, admin, "lasttest-synthetisch.csv", datei)
assert not fehler, fehler[:3]
ergebnis = fuehre_import_aus(fmt, plan, admin, "lasttest-synthetisch.csv")
print(f"{len(plan)} Zeilen, {ergebnis}, {time.monotonic() - start:.1f} s")
"""


def redis_mb() -> float:
    code = (
        "from django.conf import settings; from django.core.cache import caches; "
        "print(caches[settings.API_ANTWORT_CACHE].client.get_client().info('memory')['used_memory'])"
    )
    return int(shell(code)) / 2**20


def vorrat_fuellen() -> None:
    """Fill the stock as an operator would after a deployment (``manage.py seitenvorrat``), timed."""
    vorher, start = redis_mb(), time.monotonic()
    ausgabe = manage("seitenvorrat", "--prozesse", "2", capture_output=True, text=True).stdout.strip()
    print(f"\n{ausgabe.splitlines()[-1]} (gemessen {time.monotonic() - start:.0f} s, 2 Prozesse); "
          f"Redis {vorher:.0f} MB vorher, {redis_mb():.0f} MB nachher")  # fmt: skip


def importe(stop: threading.Event, protokoll: list):
    while not stop.is_set():
        start = time.monotonic()
        try:
            protokoll.append(shell(IMPORT))
        except subprocess.CalledProcessError as e:
            protokoll.append(f"FEHLER {e.stderr[-300:] if e.stderr else e}")
        stop.wait(max(0, 60 - (time.monotonic() - start)))


def locust(sekunden: int, prefix: str, extra_env: dict) -> dict:
    subprocess.run(
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(NUTZER),
         "-r", str(NUTZER), "-t", f"{sekunden}s", "--host", HOST, "--csv", prefix, "--only-summary",
         "--loglevel", "ERROR"],
        cwd=ROOT, env={**ENV, **extra_env}, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv") as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def rss_mb(server) -> list[float]:
    return [round(p.memory_info().rss / 2**20, 1) for p in psutil.Process(server.pid).children()]


def mischung(server, vorbereitung, tmp) -> None:
    extra = {
        "OZG_BENCH_KOERPER": vorbereitung["koerper"],
        "OZG_BENCH_API_KEY": vorbereitung["key"],
        "OZG_BENCH_LEISTUNGEN": json.dumps(vorbereitung["leistungen"]),
    }
    stop, protokoll = threading.Event(), []
    importeur = threading.Thread(target=importe, args=(stop, protokoll))
    importeur.start()
    try:
        locust(WARM_SEKUNDEN, f"{tmp}/warm", extra)
        vorher = rss_mb(server)
        proben, ergebnis, start = [], {}, time.monotonic()
        zaehler = f"{tmp}/zaehler.json"
        t = threading.Thread(
            target=lambda: ergebnis.update(
                locust(LANG_SEKUNDEN, f"{tmp}/lang", {**extra, "OZG_BENCH_ZAEHLER": zaehler})
            )
        )
        t.start()
        while t.is_alive():
            t.join(15)
            proben.append((round(time.monotonic() - start), sum(rss_mb(server))))
    finally:
        stop.set()
        importeur.join()
    treffer = json.load(open(zaehler))  # noqa: SIM115
    zeiten = {art: sorted(z) for art, z in treffer.pop("zeiten").items()}
    print(f"\nMischung mit Schreiblast: {NUTZER} Nutzer (1 davon Redaktion), {WARM_SEKUNDEN} s Aufwärmen, "
          f"{LANG_SEKUNDEN} s gemessen, gunicorn 2 Worker, PostgreSQL + Redis + Celery-Worker:")  # fmt: skip
    print(f"  {'Endpunkt':<52} {'Anfragen':>8} {'Fehler':>6} {'p50':>5} {'p95':>5} {'req/s':>6}")
    for name, row in ergebnis.items():
        print(f"  {name[:52]:<52} {row['Request Count']:>8} {row['Failure Count']:>6} {row['50%']:>5} "
              f"{row['95%']:>5} {float(row['Requests/s']):>6.1f}")  # fmt: skip
    p95 = {art: z[int(len(z) * 0.95) - 1] for art, z in zeiten.items() if z}
    print(f"  p95 über alle Anfragen außer der trivialen View: {p95['mischung']:.0f} ms; die triviale View in der "
          f"Mischung (dieselbe Last, dieselbe Zeit): p95 {p95['trivial']:.1f} ms → Verhältnis "
          f"{p95['mischung'] / p95['trivial']:.1f} (Ziel ≤ 10); gegenüber der trivialen View aus Teil 1: "
          f"{p95['mischung'] / TRIVIAL_P95[0]:.1f}")  # fmt: skip
    gesamt = treffer["treffer"] + treffer["neu"]
    print(f"  Cache-Trefferquote (Seiten und API-Antworten): {treffer['treffer']}/{gesamt} = "
          f"{treffer['treffer'] / max(gesamt, 1):.1%}")  # fmt: skip
    wiederholt = treffer["wiederholt_treffer"] + treffer["wiederholt_neu"]
    print(f"  davon bei schon einmal gestellten Anfragen: {treffer['wiederholt_treffer']}/{wiederholt} = "
          f"{treffer['wiederholt_treffer'] / max(wiederholt, 1):.1%}")  # fmt: skip
    print(f"  RSS der Worker vorher {vorher} MB, nachher {rss_mb(server)} MB; Summe im Verlauf (s, MB): {proben}")
    print(f"  Importe (je 5.000 Zeilen): {protokoll}")


def main():
    datenbank_bereit()
    with tempfile.TemporaryDirectory() as tmp:
        vorbereitung = vorbereiten(tmp)
        server, worker = starte_server(), None
        try:
            last = os.getloadavg()
            print(f"Maschine: {os.cpu_count()} Kerne, Last (1/5/15 min) vor dem Lauf {last}")
            # Phase 1 measures the web server alone: no worker (a report build over 6.1 M statuses took a core).
            ohne_cache(vorbereitung["koerper"])
            if LANG_SEKUNDEN > 0:
                vorrat_fuellen()
                worker = starte([str(BIN / "celery"), "-A", "ozgportal", "worker", "-Q", "default,berichte",
                                 "--concurrency", "1", "--loglevel", "WARNING"], stdout=subprocess.DEVNULL)  # fmt: skip
                mischung(server, vorbereitung, tmp)
            print(f"Last (1/5/15 min) nach dem Lauf {os.getloadavg()}")
        finally:
            beenden(server)
            if worker is not None:
                beenden(worker)


if __name__ == "__main__":
    main()
