"""Every public page type: German, titled, fixed query count, helpful 404s, strict CSP."""

import re

import pytest

pytestmark = pytest.mark.django_db

#: Page → queries it may run. Pinned so an N+1 shows up as a failing test. Pages with ETag and page cache
#: (core.seitencache) include one query for the Datenstand of the change log (core.datenstand).
SEITEN = {
    "/": 4,
    "/themenfelder/": 3,
    "/themenfelder/familie-kind/": 9,
    "/labore/": 2,
    "/labore/wohngeld/": 4,
    "/leistungen/10000/": 5,
    "/kommunen/": 0,
    "/kommunen/?q=Itzehoe": 1,
    # Kommune pages: + the catalogue (one query; none once in memory, see test_kommune.py).
    "/kommunen/01061046/": 5,
    "/kommunen/010615138/": 6,
    "/kommunen/01061/": 6,
    "/kommunen/01/": 8,
    "/suche/?q=Elterngeld": 4,
    "/impressum/": 0,
    "/datenschutz/": 0,
    "/barrierefreiheit/": 0,
    "/datenquellen/": 0,
}


@pytest.mark.parametrize(("url", "abfragen"), SEITEN.items())
def test_page_is_german_titled_and_runs_a_fixed_number_of_queries(client, django_assert_num_queries, url, abfragen):
    with django_assert_num_queries(abfragen):
        antwort = client.get(url)
    assert antwort.status_code == 200
    html = antwort.content.decode()
    assert '<html lang="de">' in html
    titel = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert titel.endswith("– OZG-Portal") and len(titel) > len("– OZG-Portal") + 3
    assert html.count("<h1") == 1
    assert 'href="#inhalt"' in html


def test_pages_load_nothing_from_other_hosts_and_send_a_strict_csp(client):
    antwort = client.get("/kommunen/01061046/")
    csp = antwort["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    html = antwort.content.decode()
    # Resources (stylesheets, scripts, images) only from our own host; links to law texts are fine.
    for tag in re.findall(r"<(?:link|script|img|iframe|source)\b[^>]*>", html):
        assert "http://" not in tag and "https://" not in tag and "//" not in tag.replace("://", ""), tag
    assert "<script" not in html
    assert " style=" not in html


def test_labore_links_resolve(client):
    html = client.get("/labore/").content.decode()
    slugs = set(re.findall(r'href="/labore/([a-z0-9-]+)/"', html))
    assert len(slugs) == 22
    for slug in sorted(slugs)[:3]:
        assert client.get(f"/labore/{slug}/").status_code == 200


@pytest.mark.parametrize(
    ("url", "meldung"),
    [
        ("/kommunen/99999999/", "keine Gebietskörperschaft mit dem Schlüssel „99999999“"),
        ("/kommunen/0106104/", "kein Gemeindeschlüssel"),
        ("/kommunen/abc/", "„abc“ ist kein Gemeindeschlüssel"),
        ("/leistungen/99999/", "keine OZG-Leistung mit der OZG-ID 99999"),
        ("/themenfelder/gibt-es-nicht/", "kein Themenfeld mit dem Kürzel „gibt-es-nicht“"),
        ("/labore/gibt-es-nicht/", "kein Digitalisierungslabor mit dem Kürzel „gibt-es-nicht“"),
        ("/gibt-es-nicht/", "Unter dieser Adresse gibt es keine Seite."),
    ],
)
def test_unknown_keys_get_a_helpful_german_404(client, url, meldung):
    antwort = client.get(url)
    assert antwort.status_code == 404
    html = antwort.content.decode()
    assert meldung in html
    assert '<html lang="de">' in html
    assert 'action="/kommunen/"' in html  # a way on: the Kommune search


def test_legal_pages_name_the_sources_and_a_feedback_contact(client, settings):
    settings.PORTAL_KONTAKT_EMAIL = "barrierefreiheit@example.org"
    quellen = client.get("/datenquellen/").content.decode()
    assert "© Statistisches Bundesamt (Destatis)" in quellen
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in quellen
    erklaerung = client.get("/barrierefreiheit/").content.decode()
    assert "mailto:barrierefreiheit@example.org" in erklaerung
    assert "Schlichtungsverfahren" in erklaerung


def test_leistung_page_links_the_legal_basis_and_lists_all_laender(client):
    html = client.get("/leistungen/10000/").content.decode()
    assert '<a class="kern-link" href="http://www.gesetze-im-internet.de/beeg/__7.html">§ 7 Bundeselterngeld' in html
    assert html.count('href="/kommunen/') >= 16
    assert "abgeleitet aus der Typisierung" in html


def test_themenfeld_page_shows_tandem_phases_with_stand_and_history(client):
    html = client.get("/themenfelder/familie-kind/").content.decode()
    assert "BMFSFJ" in html
    assert "11.04.2019" in html
    assert "Verlauf" in html
    assert 'role="img"' in html  # the chart, with its numbers in the table next to it


def test_home_shows_status_of_the_14_themenfelder_and_the_search(client):
    html = client.get("/").content.decode()
    assert html.count('<th class="kern-table__header" scope="row"><a class="kern-link" href="/themenfelder/') == 14
    assert 'action="/kommunen/"' in html
    assert html.count("<svg") == 2
