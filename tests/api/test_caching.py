"""ETag and Last-Modified on every GET, from the change log's Datenstand: a 304 costs one query, no rendering."""

import time

from django.db import transaction
from django.utils.http import parse_http_date

import pytest

from catalog.models import Gebietskoerperschaft, Leistung, Umsetzungsstand
from core.aenderungen import bulk_schreiben
from core.api import caching
from core.api.renderers import CSVRenderer
from labore.models import Labor

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/",
    "/api/v1/leistungen/?themenfeld=familie-kind",
    "/api/v1/leistungen/10000/",
    "/api/v1/kommunen/?ebene=kreis",
    "/api/v1/kommunen/01061/leistungen/",
    "/api/v1/leika/2/",
    "/api/v1/themenfelder/",
]


def uhr_holt_das_protokoll_ein(hoechstens: float = 15.0) -> None:
    """Wait until the clock has reached the change log's newest second. Transactions that commit within one second
    take the following seconds (core.aenderungen: strictly increasing), so right after the test database was set
    up the log runs a few seconds ahead; Last-Modified is then capped at "now" and If-Modified-Since rightly
    confirms nothing until the clock has caught up."""
    from core.datenstand import aktueller_datenstand  # noqa: PLC0415

    ende = time.monotonic() + hoechstens
    while aktueller_datenstand().zeitstempel > time.time():
        assert time.monotonic() < ende, "the change log stays ahead of the clock"
        time.sleep(0.2)


@pytest.mark.parametrize("url", URLS)
def test_revalidation_answers_304_with_one_query_and_no_rendering(api, url, django_assert_num_queries, monkeypatch):
    uhr_holt_das_protokoll_ein()
    erste = api.get(url)
    assert erste.status_code == 200
    assert erste["ETag"].startswith('W/"') and erste["Last-Modified"] and erste["Cache-Control"] == "no-cache"

    def nicht_rendern(*args, **kwargs):
        raise AssertionError("a 304 must not render")

    monkeypatch.setattr("rest_framework.renderers.JSONRenderer.render", nicht_rendern)
    # The one query reads the Datenstand from the change log (core.datenstand).
    with django_assert_num_queries(1):
        zweite = api.get(url, HTTP_IF_NONE_MATCH=erste["ETag"])
    assert zweite.status_code == 304 and zweite.content == b""
    assert zweite["ETag"] == erste["ETag"]
    with django_assert_num_queries(1):
        dritte = api.get(url, HTTP_IF_MODIFIED_SINCE=erste["Last-Modified"])
    assert dritte.status_code == 304


def test_etag_differs_by_url_and_format(api):
    a = api.get("/api/v1/leistungen/?themenfeld=bildung")["ETag"]
    b = api.get("/api/v1/leistungen/?themenfeld=familie-kind")["ETag"]
    c = api.get("/api/v1/leistungen/?themenfeld=bildung&format=csv")["ETag"]
    d = api.get("/api/v1/leistungen/?themenfeld=bildung", HTTP_ACCEPT=CSVRenderer.media_type)["ETag"]
    assert len({a, b, c, d}) == 4


def test_if_none_match_wins_over_if_modified_since(api):
    erste = api.get("/api/v1/leistungen/10000/")
    antwort = api.get(
        "/api/v1/leistungen/10000/", HTTP_IF_NONE_MATCH='W/"anders"', HTTP_IF_MODIFIED_SINCE=erste["Last-Modified"]
    )
    assert antwort.status_code == 200


@pytest.mark.parametrize(
    "aendern",
    [
        lambda: Leistung.objects.get(ozg_id=10000).save(),  # a single ORM write
        lambda: bulk_schreiben(  # the importers' way: bulk, recorded by the shared helper
            Leistung,
            geaendert=[Leistung(pk=Leistung.objects.get(ozg_id=10000).pk, name="Elterngeld Plus")],
            felder=["name"],
        ),
        lambda: Labor.objects.first().leistungen.add(Leistung.objects.get(ozg_id=10000)),  # m2m
        lambda: Umsetzungsstand.objects.create(  # a table the response joins, not the Leistung itself
            land=Gebietskoerperschaft.objects.get(ars="01"),
            leistung=Leistung.objects.get(ozg_id=10000),
            status="in_planung",
            stand="2024-01-01",
        ),
    ],
    ids=["save", "bulk", "m2m", "related-row"],
)
def test_any_write_changes_the_etag(api, aendern):
    erste = api.get("/api/v1/kommunen/01061/leistungen/?ozg_id=10000")
    aendern()
    zweite = api.get("/api/v1/kommunen/01061/leistungen/?ozg_id=10000", HTTP_IF_NONE_MATCH=erste["ETag"])
    assert zweite.status_code == 200
    assert zweite["ETag"] != erste["ETag"]


def test_a_commit_advances_last_modified_by_at_least_a_second(api, django_capture_on_commit_callbacks):
    erste = api.get("/api/v1/leistungen/10000/")
    with django_capture_on_commit_callbacks(execute=True):
        leistung = Leistung.objects.get(ozg_id=10000)
        leistung.name = "Elterngeld Plus"
        leistung.save()
    # A client that knows only Last-Modified (whole seconds) must not get a 304 for the changed data.
    zweite = api.get("/api/v1/leistungen/10000/", HTTP_IF_MODIFIED_SINCE=erste["Last-Modified"])
    assert zweite.status_code == 200
    assert zweite.json()["name"] == "Elterngeld Plus"
    assert caching.aktueller_datenstand().zeitstempel > parse_http_date(erste["Last-Modified"])


def test_last_modified_is_never_in_the_future(api):
    for _ in range(3):
        with transaction.atomic():
            Leistung.objects.get(ozg_id=10000).save()
    antwort = api.get("/api/v1/leistungen/10000/")
    assert parse_http_date(antwort["Last-Modified"]) <= time.time()


def test_errors_carry_no_validators(api):
    antwort = api.get("/api/v1/leistungen/?ozg_id=x")
    assert antwort.status_code == 400 and "ETag" not in antwort


def test_a_repeated_get_is_served_from_the_response_cache_without_queries(api, monkeypatch, django_assert_num_queries):
    # Inside the test's transaction nothing is stored (a GET there may see writes that are rolled back);
    # pretend to be outside one, as every real request is.
    monkeypatch.setattr("core.api.antwort_cache.darf_speichern", lambda: True)
    url = "/api/v1/kommunen/01061/leistungen/?ebene=offen&format=csv"
    erste = api.get(url)
    with django_assert_num_queries(1):  # the Datenstand
        zweite = api.get(url)
    assert zweite.status_code == 200 and zweite.content == erste.content
    assert zweite["ETag"] == erste["ETag"] and zweite["Content-Type"] == erste["Content-Type"]
    assert zweite["Content-Disposition"] == erste["Content-Disposition"]
    # A write starts a new Datenstand: the stored body is not served for it.
    bulk_schreiben(
        Leistung,
        geaendert=[Leistung(pk=Leistung.objects.get(ozg_id=10000).pk, name="Elterngeld Plus")],
        felder=["name"],
    )
    assert "Elterngeld Plus" in api.get(url).content.decode()


def test_nothing_is_stored_inside_a_transaction(api, django_assert_num_queries):
    api.get("/api/v1/lagen/")
    with django_assert_num_queries(3):  # Datenstand, count, rows
        api.get("/api/v1/lagen/")
