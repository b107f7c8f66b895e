"""English as a second UI language: by Accept-Language or the language cookie; German stays the default."""

from django.conf import settings

import pytest

pytestmark = pytest.mark.django_db


def test_deutsch_ist_standard(client):
    html = client.get("/").content.decode()
    assert '<html lang="de">' in html
    assert "Zum Inhalt springen" in html and "Die 14 Themenfelder" in html
    assert 'lang="en" hreflang="en">English</a>' in html


def test_englisch_per_accept_language(client):
    antwort = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    html = antwort.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "The 14 Themenfelder (topic areas)" in html
    assert "Find a Kommune (municipality)" in html
    assert 'lang="de" hreflang="de">Deutsch</a>' in html


@pytest.mark.parametrize("pfad", ["/suche/?q=Elterngeld", "/labore/ummeldung/", "/opendaten/"])
def test_englisch_per_cookie(client, pfad, opendata_dir):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    antwort = client.get(pfad)
    assert antwort.status_code in (200, 404)
    html = antwort.content.decode()
    assert '<html lang="en">' in html
    assert "Main navigation" in html


def test_sprachwechsel_setzt_cookie_und_kehrt_zurueck(client):
    antwort = client.get("/sprache/en/?weiter=/suche/")
    assert antwort.status_code == 302 and antwort["Location"] == "/suche/"
    assert antwort.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Search the portal" in client.get("/suche/").content.decode()
    client.get("/sprache/de/?weiter=/suche/")
    assert "Portal durchsuchen" in client.get("/suche/").content.decode()


def test_sprachwechsel_nur_auf_eigene_seiten(client):
    assert client.get("/sprache/en/?weiter=https://example.org/")["Location"] == "/"
    antwort = client.get("/sprache/fr/")
    assert antwort.status_code == 404
    assert "wird nicht angeboten" in antwort.content.decode()
