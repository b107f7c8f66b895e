"""Attack tests on the caches: junk or repeated query parameters add no entries; languages never share one.

The real configured cache (Redis under REDIS_URL, else the process's memory cache); entries counted as written.
"""

from types import SimpleNamespace

from django.conf import settings
from django.core.cache import caches

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def geschrieben(monkeypatch):
    """Keys the page and API response caches write into the real configured cache during the test.

    Counted at the write rather than by listing the store: under xdist other tests flush the shared Redis database
    at any moment, which would make a listing meaningless.
    """
    cache = caches[settings.API_ANTWORT_CACHE]
    keys = []
    echtes_set = cache.set

    def set_und_merken(key, *args, **kwargs):
        if key.startswith(("seite:", "api-antwort:")):
            keys.append(key)
        return echtes_set(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", set_und_merken)
    return keys


@pytest.fixture(autouse=True)
def _leer(settings, monkeypatch):
    # Tests run inside a transaction, where nothing is stored (a rollback could take the data back); here the
    # data is not written, so storing is safe and is what is under test.
    monkeypatch.setattr("core.api.antwort_cache.darf_speichern", lambda: True)
    monkeypatch.setattr("core.seitencache.connection", SimpleNamespace(in_atomic_block=False))
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}
    caches[settings.API_ANTWORT_CACHE].clear()
    yield
    caches[settings.API_ANTWORT_CACHE].clear()


def test_10000_distinct_junk_parameters_add_no_page_cache_entries(client, geschrieben):
    assert client.get("/labore/").status_code == 200
    vorher = len(set(geschrieben))
    assert vorher == 1
    # 2,000 requests with five distinct junk parameters each: 10,000 distinct parameters in all.
    for i in range(2000):
        query = "&".join(f"x{5 * i + j}=1" for j in range(5))
        assert client.get(f"/labore/?{query}").status_code == 200
    assert len(set(geschrieben)) == vorher


def test_repeated_parameters_are_served_but_not_stored(client, geschrieben):
    seite = "/kommunen/01061034/?themenfeld=familie-kind"
    for anzahl in range(2, 30):
        antwort = client.get(seite + "&themenfeld=familie-kind" * (anzahl - 1))
        assert antwort.status_code == 200
    assert len(set(geschrieben)) == 0
    # A parameter the page does read, once, is cached as before.
    assert client.get(seite).status_code == 200
    assert len(set(geschrieben)) == 1


def test_api_refuses_junk_and_does_not_store_repetitions(client, geschrieben):
    for i in range(500):
        assert client.get(f"/api/v1/lagen/?junk{i}=1").status_code == 400
    for anzahl in range(2, 30):
        assert client.get("/api/v1/lagen/" + "?themenfeld=bildung" + "&themenfeld=bildung" * anzahl).status_code == 200
    assert len(set(geschrieben)) == 0
    assert client.get("/api/v1/lagen/?themenfeld=bildung").status_code == 200
    assert len(set(geschrieben)) == 1


@pytest.mark.parametrize("pfad", ["/api/v1/leistungen/10000/", "/api/v1/lagen/?themenfeld=bildung", "/labore/"])
def test_german_and_english_never_share_a_validator_or_an_entry(client, geschrieben, pfad):
    deutsch = client.get(pfad, HTTP_ACCEPT_LANGUAGE="de")
    englisch = client.get(pfad, HTTP_ACCEPT_LANGUAGE="en")
    assert (deutsch["Content-Language"], englisch["Content-Language"]) == ("de", "en")
    assert deutsch["ETag"] != englisch["ETag"]
    assert "Accept-Language" in englisch["Vary"]
    # Each language has its own entry, so a cached German body can never answer an English request ...
    assert len(set(geschrieben)) == 2
    # ... and a German validator never makes an English client keep its German copy.
    assert client.get(pfad, HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=deutsch["ETag"]).status_code == 200
    assert client.get(pfad, HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=englisch["ETag"]).status_code == 304
