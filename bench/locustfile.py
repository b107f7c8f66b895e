"""Locust users for the load test (bench/bench_load.py): Kommune pages and API answers across all 16,068 bodies
in German and English, dashboard-style filtered API lists, and a Kommune-Redaktion writing statuses at 1/s.

Targets only the server given with --host, which bench_load.py starts on 127.0.0.1. The bodies come from the file
named in OZG_BENCH_KOERPER (written by bench_load.py from the database): ``[schlüssel, ars, land_kuerzel]``, the
most populous first. Popularity follows a Zipf law over that order (a city's page is asked for more often than a
village's), plus a share of uniformly random bodies: mostly distinct, mostly cache misses. Cache hits are counted
from the ``X-Ozg-Cache`` header and written to OZG_BENCH_ZAEHLER when locust ends.
"""

import datetime
import itertools
import json
import os
import random

from locust import HttpUser, between, constant_pacing, events, task

KOERPER = json.load(open(os.environ["OZG_BENCH_KOERPER"]))  # noqa: SIM115 - read once at start
GEMEINDEN = [k for k in KOERPER if len(k[1]) == 12]
LEISTUNGEN = json.loads(os.environ.get("OZG_BENCH_LEISTUNGEN", "[10000, 10001]"))
THEMENFELDER = ["familie-kind", "bauen-wohnen", "mobilitaet-reisen", "querschnitt", "gesundheit", "bildung"]
SPRACHEN = ["de", "en"]
ZIPF_S = float(os.environ.get("OZG_BENCH_ZIPF", "1.1"))
_GEWICHTE = list(itertools.accumulate(1 / (r + 1) ** ZIPF_S for r in range(len(KOERPER))))
#: All answers, and those whose (path, language) was asked before in this run: a miss there means a write
#: invalidated the entry (or it was evicted), which is what scoped invalidation keeps rare.
ZAEHLER = {"treffer": 0, "neu": 0, "wiederholt_treffer": 0, "wiederholt_neu": 0}
GESEHEN: set[tuple[str, str]] = set()


def besucher_adresse() -> str:
    """A random visitor's address (benchmark range 198.18.0.0/15): many visitors, not one client (see bench_load)."""
    n = random.getrandbits(17)
    return f"198.{18 + (n >> 16)}.{(n >> 8) & 255}.{n & 255}"


def beliebt():
    return random.choices(KOERPER, cum_weights=_GEWICHTE)[0]


def zaehlen(antwort, schluessel):
    art = antwort.headers.get("X-Ozg-Cache")
    if art in ("treffer", "neu"):
        ZAEHLER[art] += 1
        if schluessel in GESEHEN:
            ZAEHLER[f"wiederholt_{art}"] += 1
        GESEHEN.add(schluessel)


#: Latencies (ms) of every request but the trivial view's, and of the trivial view asked alongside: the overall p95
#: is compared with the trivial view's under the same load at the same time (bench_load prints both ratios).
ZEITEN: dict[str, list[float]] = {"mischung": [], "trivial": []}
TRIVIAL = "trivial /api/v1/ping/ (in der Mischung)"


@events.request.add_listener
def _zeit(name, response_time, exception, **kwargs):
    if exception is None:
        ZEITEN["trivial" if name == TRIVIAL else "mischung"].append(response_time)


@events.quitting.add_listener
def _schreiben(environment, **kwargs):
    if os.environ.get("OZG_BENCH_ZAEHLER"):
        with open(os.environ["OZG_BENCH_ZAEHLER"], "w") as f:
            json.dump({**ZAEHLER, "zeiten": ZEITEN}, f)


class Besucher(HttpUser):
    """Visitors of Kommune pages and dashboards reading the API, with short think times."""

    wait_time = between(0.05, 0.2)

    def _get(self, pfad, name):
        sprache = random.choice(SPRACHEN)
        kopf = {"Accept-Language": sprache, "X-Forwarded-For": besucher_adresse()}
        zaehlen(self.client.get(pfad, name=name, headers=kopf), (pfad, sprache))

    @task(1)
    def trivial(self):
        self.client.get("/api/v1/ping/", name=TRIVIAL, headers={"X-Forwarded-For": besucher_adresse()})

    @task(6)
    def kommune(self):
        self._get(f"/kommunen/{beliebt()[0]}/", "/kommunen/[schluessel]/")

    @task(4)
    def api_kommune_leistungen(self):
        self._get(f"/api/v1/kommunen/{beliebt()[0]}/leistungen/", "/api/v1/kommunen/[schluessel]/leistungen/")

    @task(1)
    def kommune_zufaellig(self):
        self._get(f"/kommunen/{random.choice(KOERPER)[0]}/", "/kommunen/[zufällig]/")

    @task(1)
    def api_kommune_zufaellig(self):
        pfad = f"/api/v1/kommunen/{random.choice(KOERPER)[0]}/leistungen/"
        self._get(pfad, "/api/v1/kommunen/[zufällig]/leistungen/")

    @task(2)
    def dashboard_listen(self):
        schluessel, ars, land = beliebt()
        pfad, name = random.choice(
            [
                (f"/api/v1/kommunale-umsetzung/?kommune={ars}&status=angeschlossen", "/api/v1/kommunale-umsetzung/?…"),
                (f"/api/v1/umsetzungsstand/?land={land}", "/api/v1/umsetzungsstand/?land="),
                (f"/api/v1/leistungen/?themenfeld={random.choice(THEMENFELDER)}", "/api/v1/leistungen/?themenfeld="),
                (f"/api/v1/kommunen/?land={land}&ebene=kreis", "/api/v1/kommunen/?land=&ebene=kreis"),
                (
                    f"/api/v1/kommunen/{schluessel}/leistungen/?ebene=kreis,land",
                    "/api/v1/kommunen/[s]/leistungen/?ebene=",
                ),
            ]
        )
        self._get(pfad, name)


class Redaktion(HttpUser):
    """A Kommune-Redaktion's system writing one status per second through the API (key in OZG_BENCH_API_KEY)."""

    fixed_count = 1
    wait_time = constant_pacing(1)

    @task
    def status_schreiben(self):
        _schluessel, ars, _land = random.choice(GEMEINDEN)
        status = random.choice(["angeschlossen", "nicht_geplant"])
        self.client.patch(
            f"/api/v1/kommunale-umsetzung/{ars}.{random.choice(LEISTUNGEN)}/",
            json={"status": status, "geplant_bis": None, "stand": datetime.date.today().isoformat()},
            headers={"Authorization": f"Api-Key {os.environ['OZG_BENCH_API_KEY']}"},
            name="PATCH /api/v1/kommunale-umsetzung/[schluessel]/",
        )
