"""Public pages: every route without parameters, real and unknown keys, no writes, no open redirect."""

from django.test import Client

import pytest

from .routen import oeffentliche_routen_ohne_parameter, oeffentliche_urls

pytestmark = pytest.mark.django_db


def test_oeffentliche_seiten_ohne_parameter():
    """Every public route without parameters (found in the resolver) answers an anonymous GET, never 500."""
    client = Client()
    urls = oeffentliche_routen_ohne_parameter()
    assert "/" in urls and "/health/" in urls
    for url in urls:
        antwort = client.get(url)
        assert antwort.status_code == 200, (url, antwort.status_code)


def test_oeffentliche_seiten_mit_parametern():
    client = Client()
    for url, soll in oeffentliche_urls():
        antwort = client.get(url)
        assert antwort.status_code in soll, (url, antwort.status_code)


def test_sprachwahl_leitet_nie_nach_aussen():
    """The language switch (opendata, English UI) goes back within the portal only: no open redirect."""
    client = Client()
    assert client.get("/sprache/en/", {"weiter": "/labore/"})["Location"] == "/labore/"
    for fremd in ["https://boese.example/", "//boese.example/", "/\\boese.example/"]:
        antwort = client.get("/sprache/en/", {"weiter": fremd})
        assert antwort.status_code == 302 and antwort["Location"] == "/", (fremd, antwort["Location"])


def test_health_ist_oeffentlich():
    antwort = Client().get("/health/")
    assert antwort.status_code == 200
    assert antwort.json()["status"] == "ok"
    assert "no-cache" in antwort["Cache-Control"]


def test_oeffentliche_seiten_nehmen_keine_schreibanfragen_an():
    """POST to a public page is refused (CSRF or method), never processed; the portal's pages only read."""
    client = Client(enforce_csrf_checks=True)
    for url in [*oeffentliche_routen_ohne_parameter(), *(u for u, _ in oeffentliche_urls())]:
        antwort = client.post(url, {})
        assert antwort.status_code in (403, 405), (url, antwort.status_code)
