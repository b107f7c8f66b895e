"""Large exports: streamed, cheap to revalidate (ETag → 304 without a query), bounded in rate per client."""

import csv
import io

from django.core.cache import cache

import pytest

from catalog.models import Gebietskoerperschaft

pytestmark = pytest.mark.django_db


@pytest.fixture
def raten(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "export": "2/min"},
    }
    cache.clear()
    yield
    cache.clear()


def test_every_gebietskoerperschaft_streams_and_revalidates_with_one_query(client, raten, django_assert_num_queries):
    antwort = client.get("/api/v1/kommunen/?format=csv")
    assert antwort.status_code == 200 and antwort.streaming
    zeilen = list(csv.DictReader(io.StringIO(b"".join(antwort.streaming_content).decode())))
    assert len(zeilen) == Gebietskoerperschaft.objects.count() > 16000
    assert len({z["ars"] for z in zeilen}) == len(zeilen)
    # Revalidation reads only the Datenstand of the change log (one indexed query), never the 16,068 rows.
    with django_assert_num_queries(1):
        erneut = client.get("/api/v1/kommunen/?format=csv", HTTP_IF_NONE_MATCH=antwort["ETag"])
    assert erneut.status_code == 304


def test_fresh_exports_are_limited_per_client_revalidation_is_not(client, raten):
    url = "/api/v1/kommunen/?ebene=land&format=xlsx"
    erste = client.get(url)
    assert erste.status_code == 200
    assert client.get("/api/v1/kommunen/?ebene=land&format=csv").status_code == 200
    gesperrt = client.get(url)
    assert gesperrt.status_code == 429 and int(gesperrt["Retry-After"]) > 0
    # Revalidating the copy the client holds stays possible, and so do ordinary JSON pages ...
    assert client.get(url, HTTP_IF_NONE_MATCH=erste["ETag"]).status_code == 304
    assert client.get("/api/v1/kommunen/?ebene=land").status_code == 200
    # ... and another client has its own budget.
    assert client.get(url, REMOTE_ADDR="192.0.2.44").status_code == 200
