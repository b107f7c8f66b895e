"""Invalidation that follows the data: a body's page and API answers carry the Datenstand of their Bereich
(core.datenstand), so an edit renews the ETag and cache entry of the bodies it can change and no other.

Runs on SQLite and on PostgreSQL (the CI variant with DATABASE_URL): the Bereich query is plain SQL for both.
"""

import datetime
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from catalog.choices import VollzugsEbene
from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung, Leistung, Zustaendigkeit

pytestmark = pytest.mark.django_db

ITZEHOE = "01061046"  # Gemeinde A, Kreis Steinburg
HEILIGENSTEDTEN = "01061034"  # Gemeinde B, same Kreis, in the Amt Itzehoe-Land
AMT = "010615138"
KREIS = "01061"
LAND = "01"
MUENCHEN = "09162000"  # another Land

SEITEN = {
    "A": f"/kommunen/{ITZEHOE}/",
    "B": f"/kommunen/{HEILIGENSTEDTEN}/",
    "B-Druck": f"/kommunen/{HEILIGENSTEDTEN}/druck/",
    "Amt": f"/kommunen/{AMT}/",
    "Kreis": f"/kommunen/{KREIS}/",
    "Land": f"/kommunen/{LAND}/",
    "München": f"/kommunen/{MUENCHEN}/",
    "A-API": f"/api/v1/kommunen/{ITZEHOE}/leistungen/",
    "B-API": f"/api/v1/kommunen/{HEILIGENSTEDTEN}/leistungen/",
    "B-API-Detail": f"/api/v1/kommunen/{HEILIGENSTEDTEN}/",
    "Kreis-API": f"/api/v1/kommunen/{KREIS}/leistungen/",
    "München-API": f"/api/v1/kommunen/{MUENCHEN}/leistungen/",
}


def etags(client):
    return {name: client.get(pfad)["ETag"] for name, pfad in SEITEN.items()}


def geaendert(vorher, nachher):
    return {name for name in SEITEN if vorher[name] != nachher[name]}


def status_setzen(ags, ozg_id=10000, status="angeschlossen"):
    KommunaleUmsetzung.objects.create(
        kommune=Gebietskoerperschaft.objects.get(ags=ags),
        leistung=Leistung.objects.get(ozg_id=ozg_id),
        status=status,
        stand=datetime.date(2026, 1, 5),
    )


def test_a_kommune_status_renews_that_kommune_and_the_bodies_above_it_only(client):
    vorher = etags(client)
    status_setzen(HEILIGENSTEDTEN)
    nachher = etags(client)
    assert geaendert(vorher, nachher) == {"B", "B-Druck", "Amt", "Kreis", "Land", "B-API", "B-API-Detail", "Kreis-API"}
    # The neighbour in the same Kreis and the other Land keep their validators: a 304 is still right for them.
    assert client.get(SEITEN["A"], headers={"If-None-Match": vorher["A"]}).status_code == 304
    assert client.get(SEITEN["A-API"], headers={"If-None-Match": vorher["A-API"]}).status_code == 304
    # The edited body never gets a 304 for the old state, and its new body shows the status.
    neu = client.get(SEITEN["B"], headers={"If-None-Match": vorher["B"]})
    assert neu.status_code == 200
    assert "Kommune: angeschlossen" in neu.content.decode().split("<td>10000</td>", 1)[1].split("</tr>", 1)[0]
    api = client.get(SEITEN["B-API"] + "?ozg_id=10000", headers={"If-None-Match": vorher["B-API"]})
    assert api.status_code == 200 and api.json()["results"][0]["kommune_status"] == "angeschlossen"


def test_a_lands_zustaendigkeit_renews_that_land_only(client, land_sh, elterngeld):
    vorher = etags(client)
    Zustaendigkeit.objects.create(land=land_sh, leistung=elterngeld, ebene=VollzugsEbene.KREIS)
    nachher = etags(client)
    assert geaendert(vorher, nachher) == set(SEITEN) - {"München", "München-API"}


def test_a_catalogue_change_renews_everything(client):
    vorher = etags(client)
    leistung = Leistung.objects.get(ozg_id=10001)
    leistung.name += " (synthetische Änderung)"
    leistung.save()
    assert geaendert(vorher, etags(client)) == set(SEITEN)


def test_a_change_to_a_body_renews_the_pages_that_name_it(client):
    vorher = etags(client)
    amt = Gebietskoerperschaft.objects.get(ars=AMT)
    amt.name = "Itzehoe-Land (synthetischer Testname)"
    amt.save()
    # Heiligenstedten's page names its Amt; the Kreis and Land pages list it; Itzehoe (amtsfrei) does not.
    assert geaendert(vorher, etags(client)) == {
        "B", "B-Druck", "Amt", "Kreis", "Land", "B-API", "B-API-Detail", "Kreis-API",
    }  # fmt: skip


@pytest.fixture
def caches_wie_ausserhalb_einer_transaktion(monkeypatch):
    """Page and response cache store nothing inside a transaction; tests run inside one, so only the caches'
    own guards are told they are outside (the data stays the test's)."""
    from core import seitencache
    from core.api import antwort_cache

    draussen = SimpleNamespace(in_atomic_block=False)
    monkeypatch.setattr(seitencache, "connection", draussen)
    monkeypatch.setattr(antwort_cache, "connection", draussen)
    # The entries outlive the test's rollback: remember them and remove them afterwards.
    cache = caches[settings.API_ANTWORT_CACHE]
    geschrieben, setzen = [], cache.set

    def merken(key, *args, **kwargs):
        geschrieben.append(key)
        return setzen(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", merken)
    yield
    monkeypatch.undo()
    cache.delete_many(geschrieben)


def test_another_kommunes_edit_leaves_the_cache_entry_in_use(
    client, caches_wie_ausserhalb_einer_transaktion, django_assert_num_queries
):
    for pfad in (SEITEN["A"], SEITEN["A-API"], SEITEN["B"]):
        assert client.get(pfad).status_code == 200
    status_setzen(HEILIGENSTEDTEN, ozg_id=10002, status="geplant")
    # A's page and answer come from the cache: one query, the Datenstand of A's Bereich.
    with django_assert_num_queries(1):
        assert client.get(SEITEN["A"]).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(SEITEN["A-API"]).status_code == 200
    # B's entry is not used any more: built again, with the new status.
    with CaptureQueriesContext(connection) as abfragen:
        html = client.get(SEITEN["B"]).content.decode()
    assert len(abfragen) > 1
    assert "Kommune: geplant" in html.split("<td>10002</td>", 1)[1].split("</tr>", 1)[0]


def test_lists_over_everything_keep_the_global_datenstand(client):
    pfad = "/api/v1/kommunale-umsetzung/"
    vorher = client.get(pfad)["ETag"]
    status_setzen(MUENCHEN)
    assert client.get(pfad)["ETag"] != vorher
