"""Locust user for the load test (bench/bench_load.py): public pages and API, like Kommunen and dashboards.

Targets only the server given with --host, which bench_load.py starts on 127.0.0.1.
"""

import random

from locust import HttpUser, between, task

# Real keys from the loaded data: a Gemeinde in Amt Itzehoe-Land, kreisfreie Städte, Landkreise, Länder.
KOMMUNEN = ["01061046", "05111", "09162", "03241", "06438", "01061", "13074", "11", "08317", "010615138"]
THEMENFELDER = ["familie-kind", "bauen-wohnen", "mobilitaet-reisen", "querschnitt", "gesundheit"]
LEISTUNGEN = [10000, 10519, 10124, 10005, 10035, 10151]


class Besucher(HttpUser):
    """A mix of page views (Kommunen) and API reads (dashboards), with short think times."""

    wait_time = between(0.05, 0.2)

    @task(4)
    def kommune(self):
        self.client.get(f"/kommunen/{random.choice(KOMMUNEN)}/", name="/kommunen/[schluessel]/")

    @task(2)
    def startseite(self):
        self.client.get("/", name="/")

    @task(2)
    def themenfeld(self):
        self.client.get(f"/themenfelder/{random.choice(THEMENFELDER)}/", name="/themenfelder/[slug]/")

    @task(2)
    def leistung(self):
        self.client.get(f"/leistungen/{random.choice(LEISTUNGEN)}/", name="/leistungen/[ozg_id]/")

    @task(4)
    def api_leistungen(self):
        tf = random.choice(THEMENFELDER)
        self.client.get(f"/api/v1/leistungen/?themenfeld={tf}", name="/api/v1/leistungen/?themenfeld=")

    @task(4)
    def api_kommune_leistungen(self):
        self.client.get(
            f"/api/v1/kommunen/{random.choice(KOMMUNEN)}/leistungen/", name="/api/v1/kommunen/[ags]/leistungen/"
        )
