"""Public pages answer conditional GETs from the data state, without touching the database."""

import pytest

from catalog.choices import VollzugsEbene
from catalog.models import Zustaendigkeit

pytestmark = pytest.mark.django_db

SEITEN = ["/", "/kommunen/01061034/", "/leistungen/10000/", "/themenfelder/familie-kind/", "/labore/"]


@pytest.mark.parametrize("pfad", SEITEN)
def test_revalidation_is_a_304_without_queries(client, django_assert_num_queries, pfad):
    erste = client.get(pfad)
    assert erste.status_code == 200
    assert erste["ETag"].startswith('W/"') and erste["Last-Modified"]
    # One query: the data version, read from the change log (core.datenstand), never from a cache.
    with django_assert_num_queries(1):
        zweite = client.get(pfad, headers={"If-None-Match": erste["ETag"]})
    assert zweite.status_code == 304
    assert zweite.content == b""


def test_a_change_gives_a_new_etag_and_the_new_content(client, land_sh, elterngeld):
    pfad = "/leistungen/10000/"
    vorher = client.get(pfad)
    Zustaendigkeit.objects.create(land=land_sh, leistung=elterngeld, ebene=VollzugsEbene.KREIS)
    nachher = client.get(pfad, headers={"If-None-Match": vorher["ETag"]})
    assert nachher.status_code == 200
    assert nachher["ETag"] != vorher["ETag"]


def test_language_and_query_are_part_of_the_key(client):
    ohne = client.get("/kommunen/01061034/")["ETag"]
    gefiltert = client.get("/kommunen/01061034/?themenfeld=familie-kind")["ETag"]
    assert ohne != gefiltert


def test_visitors_with_a_session_get_fresh_pages(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("redaktion", password="x" * 16))
    antwort = client.get("/kommunen/01061034/")
    assert antwort.status_code == 200
    assert "ETag" not in antwort


def test_error_pages_carry_no_validators(client):
    assert "ETag" not in client.get("/kommunen/01061034/?ebene=quatsch")
    assert "ETag" not in client.get("/leistungen/99999/")
