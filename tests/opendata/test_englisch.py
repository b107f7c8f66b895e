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


# Every public page type: English with Accept-Language: en (lang="en" and a known English string), German without.
SEITEN = [
    ("/", "The 14 Themenfelder (topic areas)", "Die 14 Themenfelder"),
    ("/kommunen/01061046/", "At a glance", "Auf einen Blick"),
    ("/kommunen/01/", "in the OZG programme", "im OZG-Programm"),
    ("/kommunen/?q=Kiel", "Find a Kommune (municipality)", "Kommune finden"),
    ("/themenfelder/", "Themenfelder (topic areas)", "Stand der Themenfeldbearbeitung"),
    ("/themenfelder/familie-kind/", "Themenfeld (topic area) ", "Federführung"),
    (
        "/leistungen/10000/",
        "Zuständigkeit (responsibility) and Umsetzungsstand",
        "Zuständigkeit und Umsetzungsstand je Land",
    ),
    ("/labore/", "All Digitalisierungslabore by Themenfeld", "Alle Digitalisierungslabore nach Themenfeld"),
    ("/labore/ummeldung/", "Main navigation", "Hauptnavigation"),
    ("/suche/?q=Elterngeld", "Search the portal", "Portal durchsuchen"),
    ("/impressum/", "Content and data", "Inhalte und Daten"),
    ("/datenschutz/", "Privacy policy", "Datenschutzerklärung"),
    ("/barrierefreiheit/", "Accessibility statement", "Erklärung zur Barrierefreiheit"),
    ("/datenquellen/", "Seed tables", "Seed-Tabellen"),
    ("/gibt-es-nicht/", "This page does not exist", "Diese Seite gibt es nicht"),
]


@pytest.mark.parametrize(("pfad", "englisch", "deutsch"), SEITEN)
def test_jede_seitenart_englisch_und_deutsch(client, pfad, englisch, deutsch):
    antwort = client.get(pfad, HTTP_ACCEPT_LANGUAGE="en")
    assert antwort.status_code in (200, 404)
    html = antwort.content.decode()
    assert '<html lang="en">' in html
    assert englisch in html
    html = client.get(pfad).content.decode()
    assert '<html lang="de">' in html
    assert deutsch in html
    assert englisch not in html


def test_fachbegriffe_mit_erklaerung(client):
    html = client.get("/leistungen/10000/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for begriff in ("Themenfeld (topic area)", "Lage (life situation)", "Typisierung (type classification)"):
        assert begriff in html
    html = client.get("/leistungen/10000/").content.decode()
    assert "topic area" not in html and "(life situation)" not in html


def test_fehlerseite_500_englisch_und_deutsch(rf):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("en"):
        html = server_error(rf.get("/")).content.decode()
    assert '<html lang="en">' in html and "An error has occurred" in html
    with translation.override("de"):
        html = server_error(rf.get("/")).content.decode()
    assert '<html lang="de">' in html and "Ein Fehler ist aufgetreten" in html


def test_berichte_englisch(client):
    html = client.get("/berichte/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html and "Reports on the OZG implementation" in html
    assert "Berichte zur OZG-Umsetzung" in client.get("/berichte/").content.decode()
