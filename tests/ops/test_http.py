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


def test_liveness_is_bare_and_touches_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        antwort = client.get("/health/live/")
    assert antwort.status_code == 200 and antwort.json() == {"status": "ok"}


def test_readiness_names_no_internals_to_strangers(client, django_user_model, monkeypatch):
    from ozgportal import health

    def kaputt():
        raise RuntimeError("Verbindung zu geheim-db.intern:5432 abgelehnt")

    monkeypatch.setitem(health.CHECKS, "cache", (kaputt, False))
    anonym = client.get("/health/ready/")
    assert anonym.status_code == 200 and anonym.json()["pruefungen"]["cache"]["status"] == "fehler"
    assert "geheim" not in anonym.content.decode() and "RuntimeError" not in anonym.content.decode()
    client.force_login(django_user_model.objects.create_user("betrieb", password="x" * 16, is_staff=True))
    assert "geheim-db.intern" in client.get("/health/").json()["pruefungen"]["cache"]["status"]


def test_readiness_checks_migrations_once_per_process(client, django_assert_max_num_queries):
    client.get("/health/")
    # SELECT 1 for the database; no migration-table read once migrations were found complete.
    with django_assert_max_num_queries(1):
        assert client.get("/health/").json()["pruefungen"]["migrationen"]["status"] == "ok"
