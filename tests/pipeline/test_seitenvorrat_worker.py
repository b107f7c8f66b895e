"""The stock of pages with a real Celery worker, PostgreSQL and Redis: a Kommune-Redaktion's status through the
API, committed; the relay in the worker hands it to the stock's consumer, the worker rebuilds that Kommune's page
and list answer into Redis, and the next visitor gets them from the cache, showing the new status. The other
bodies' entries stay as they were.

Writes in autocommit (the worker must see the data) and removes its rows afterwards, like tests/pipeline/test_worker.
"""

from django.core.cache import caches
from django.db import connection

import pytest
from rest_framework.test import APIClient

from catalog import vorrat
from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung
from core import relay
from core.models import Neubauauftrag
from core.tasks import weiterreichen
from ozgportal.celery import app as celery_app
from redaktion.models import ApiSchluessel
from tests.berichte.test_worker import Worker
from tests.hilfen import warten

pytestmark = pytest.mark.celery_worker  # needs PostgreSQL and Redis; see tests/conftest.py

HEILIGENSTEDTEN = "01061034"
ITZEHOE = "01061046"
UMGEBUNG = {
    "SEITEN_VORRAT": "alle",
    "OPENDATA_BASIS_URL": "http://testserver",  # the address the test client asks …
    "ALLOWED_HOSTS": "testserver",  # … which Django allows only in the test process itself
    "SEITEN_VORRAT_ENTPRELLEN_SEKUNDEN": "0",
}


def _aufraeumen():
    # The real data has no status of this Kommune for this Leistung: the test's own row.
    KommunaleUmsetzung.objects.filter(kommune__ags=HEILIGENSTEDTEN, leistung__ozg_id=10000).delete()
    KommunaleUmsetzung.history.filter(kommune__ags=HEILIGENSTEDTEN, leistung__ozg_id=10000).delete()
    ApiSchluessel.objects.filter(name="Vorrat-Test").delete()


@pytest.fixture
def festgeschrieben(django_db_setup, django_db_blocker, settings):
    settings.SEITEN_VORRAT = "alle"
    settings.OPENDATA_BASIS_URL = "http://testserver"
    with django_db_blocker.unblock():
        _aufraeumen()
        weiterreichen.apply()  # start from a drained log
        with celery_app.connection_for_write() as verbindung:
            verbindung.default_channel.queue_purge("default")
        vorrat.markieren(relay.letzte_id())  # the stock is current: the worker renews only what changes now
        caches[settings.API_ANTWORT_CACHE].delete_pattern("seite:*")
        caches[settings.API_ANTWORT_CACHE].delete_pattern("api-antwort:*")
        yield
        _aufraeumen()
        caches[settings.API_ANTWORT_CACHE].delete_pattern("seite:*")
        caches[settings.API_ANTWORT_CACHE].delete_pattern("api-antwort:*")
        connection.close()


def test_a_status_through_the_api_is_in_the_stock_before_anyone_asks(festgeschrieben, tmp_path):
    vorrat.auffuellen([HEILIGENSTEDTEN, ITZEHOE])
    besucher = APIClient()
    nachbar = besucher.get(f"/kommunen/{ITZEHOE}/")
    assert nachbar["X-Ozg-Cache"] == "treffer"
    _, key = ApiSchluessel.objects.create_key(name="Vorrat-Test", recht="schreiben")
    worker = Worker(tmp_path, env=UMGEBUNG)
    try:
        antwort = besucher.post(
            "/api/v1/kommunale-umsetzung/",
            {
                "kommune": Gebietskoerperschaft.objects.get(ags=HEILIGENSTEDTEN).ars,
                "leistung": 10000,
                "status": "angeschlossen",
                "stand": "2026-01-05",
            },
            format="json",
            HTTP_AUTHORIZATION=f"Api-Key {key}",
        )
        assert antwort.status_code == 201, antwort.content
        geschrieben = relay.letzte_id()

        def erneuert():
            # Asking the page would build it here: wait for the worker's run to be recorded as done instead.
            auftrag = Neubauauftrag.objects.filter(schluessel=vorrat.AUFTRAG).first()
            return auftrag is not None and auftrag.erledigt_bis >= geschrieben

        assert warten(erneuert, 60), worker.log.read_text()[-3000:]
        seite = besucher.get(f"/kommunen/{HEILIGENSTEDTEN}/")
        assert seite["X-Ozg-Cache"] == "treffer"
        html = seite.content.decode()
        assert "Kommune: angeschlossen" in html.split("<td>10000</td>", 1)[1].split("</tr>", 1)[0]
        liste = besucher.get(f"/api/v1/kommunen/{HEILIGENSTEDTEN}/leistungen/", HTTP_ACCEPT_LANGUAGE="en")
        assert liste["X-Ozg-Cache"] == "treffer"
        assert liste.json()["results"][0]["kommune_status"] == "angeschlossen"
        # The neighbour's entry was not touched: the same one is served.
        assert besucher.get(f"/kommunen/{ITZEHOE}/").content == nachbar.content
    finally:
        worker.beenden()
