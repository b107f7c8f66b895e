"""Anonymous clients are throttled (API keys are not); CORS only for the configured origins."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def enger(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/min"}}


def test_anonymous_clients_are_throttled_with_retry_after(api, enger):
    assert api.get("/api/v1/lagen/").status_code == 200
    assert api.get("/api/v1/lagen/").status_code == 200
    antwort = api.get("/api/v1/lagen/")
    assert antwort.status_code == 429
    assert antwort["Content-Type"] == "application/problem+json" and int(antwort["Retry-After"]) > 0


def test_api_keys_are_not_throttled(api, enger, api_key):
    for _ in range(4):
        assert api.get("/api/v1/lagen/", HTTP_AUTHORIZATION=f"Api-Key {api_key}").status_code == 200


def test_cors_allows_only_configured_origins(api, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://dashboard.example.org"]
    erlaubt = api.get("/api/v1/lagen/", HTTP_ORIGIN="https://dashboard.example.org")
    assert erlaubt["Access-Control-Allow-Origin"] == "https://dashboard.example.org"
    assert "ETag" in erlaubt["Access-Control-Expose-Headers"]
    fremd = api.get("/api/v1/lagen/", HTTP_ORIGIN="https://boese.example.com")
    assert "Access-Control-Allow-Origin" not in fremd
    preflight = api.options(
        "/api/v1/lagen/",
        HTTP_ORIGIN="https://dashboard.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 200 and "if-none-match" in preflight["Access-Control-Allow-Headers"]


def test_no_cors_outside_the_api(api, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://dashboard.example.org"]
    assert "Access-Control-Allow-Origin" not in api.get("/", HTTP_ORIGIN="https://dashboard.example.org")
