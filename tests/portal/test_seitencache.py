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


@pytest.mark.parametrize("pfad", ["/kommunen/01061034/", "/api/v1/kommunen/01061034/leistungen/"])
def test_a_built_answer_goes_out_as_stored_to_a_client_that_accepts_gzip(
    client, caches_wie_ausserhalb_einer_transaktion, pfad
):
    """A page or answer built on a miss is compressed for the cache anyway: a client that accepts gzip (every
    browser, dashboards' HTTP libraries) gets those bytes at once, as a later hit would send them."""
    import gzip  # noqa: PLC0415

    klar = client.get(pfad, headers={"Accept-Language": "de"})
    assert "Content-Encoding" not in klar and klar["X-Ozg-Cache"] in ("neu", "treffer")
    client.get(pfad, headers={"Accept-Language": "en"})  # another address: the German entry stays
    from django.conf import settings  # noqa: PLC0415
    from django.core.cache import caches  # noqa: PLC0415

    caches[settings.API_ANTWORT_CACHE].clear()  # the next one is a miss again
    gebaut = client.get(pfad, headers={"Accept-Language": "de", "Accept-Encoding": "gzip, deflate, br"})
    assert gebaut["X-Ozg-Cache"] == "neu"
    assert gebaut["Content-Encoding"] == "gzip" and "Accept-Encoding" in gebaut["Vary"]
    assert gzip.decompress(gebaut.content) == klar.content
    assert int(gebaut["Content-Length"]) == len(gebaut.content) < len(klar.content) / 4
    treffer = client.get(pfad, headers={"Accept-Language": "de", "Accept-Encoding": "gzip"})
    assert treffer["X-Ozg-Cache"] == "treffer" and treffer.content == gebaut.content
