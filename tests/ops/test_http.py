"""HTTP hardening that every response carries, request ids, the health endpoint."""

import json
import logging

import pytest

from ozgportal.observability import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_security_headers_on_a_public_page(client):
    antwort = client.get("/")
    assert antwort["X-Content-Type-Options"] == "nosniff"
    assert antwort["Referrer-Policy"] == "same-origin"
    assert antwort["X-Frame-Options"] == "DENY"
    assert antwort["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in antwort["Permissions-Policy"] and "geolocation=()" in antwort["Permissions-Policy"]


@pytest.mark.parametrize("methode", ["TRACE", "CONNECT", "PROPFIND"])
def test_unused_http_methods_are_rejected(client, methode):
    antwort = client.generic(methode, "/")
    assert antwort.status_code == 405
    assert "GET" in antwort["Allow"]


def test_every_response_has_a_request_id_and_honours_a_sane_one(client):
    erste = client.get("/")["X-Request-ID"]
    zweite = client.get("/")["X-Request-ID"]
    assert len(erste) == 32 and erste != zweite
    assert client.get("/", headers={"X-Request-ID": "lb-1234abcd"})["X-Request-ID"] == "lb-1234abcd"
    # Header injection attempts are replaced, not echoed.
    assert client.get("/", headers={"X-Request-ID": "x\r\nSet-Cookie: a=b"})["X-Request-ID"] != "x"


def test_json_log_lines_carry_the_request_id(client):
    records = []

    class Sammler(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Sammler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/kommunen/00000000/", headers={"X-Request-ID": "trace-0000001"})
    finally:
        logger.removeHandler(handler)
    zeilen = [json.loads(r) for r in records]
    assert zeilen, "ein 404 wird von django.request geloggt"
    assert zeilen[0]["request_id"] == "trace-0000001"
    assert zeilen[0]["level"] == "WARNING"


def test_health_reports_each_dependency(client):
    antwort = client.get("/health/")
    assert antwort.status_code == 200
    daten = antwort.json()
    assert set(daten["pruefungen"]) == {"datenbank", "migrationen", "cache", "broker"}
    assert daten["pruefungen"]["datenbank"]["status"] == "ok"
    assert daten["pruefungen"]["migrationen"]["status"] == "ok"
    assert daten["status"] == "ok"
    assert "no-cache" in antwort["Cache-Control"]
