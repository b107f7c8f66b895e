"""Finding a Kommune by name (typos allowed), AGS, ARS or PLZ; site-wide search."""

import re

import pytest

pytestmark = pytest.mark.django_db


def erste_treffer(html):
    return re.findall(r'<th class="kern-table__header" scope="row"><a class="kern-link" href="(/kommunen/\d+/)">', html)


@pytest.mark.parametrize(
    ("eingabe", "erwartet"),
    [
        ("Itzehoe", "/kommunen/01061046/"),
        ("Itzehoh", "/kommunen/01061046/"),  # typo
        ("itzehoe", "/kommunen/01061046/"),
        ("Flensbrug", "/kommunen/01001000/"),  # swapped letters
        ("Muenchen", "/kommunen/09162000/"),  # umlaut written out
        ("01061046", "/kommunen/01061046/"),  # AGS
        ("010615138", "/kommunen/010615138/"),  # ARS of the Amt
        ("25524", "/kommunen/01061046/"),  # PLZ of the Verwaltungssitz
    ],
)
def test_kommune_search_finds_the_intended_kommune_first(client, eingabe, erwartet):
    antwort = client.get("/kommunen/", {"q": eingabe})
    assert antwort.status_code == 200
    treffer = erste_treffer(antwort.content.decode())
    assert treffer and treffer[0] == erwartet, treffer[:5]


def test_kommune_search_says_so_when_nothing_matches(client):
    html = client.get("/kommunen/", {"q": "Xqzwv"}).content.decode()
    assert "Keine Kommune zu „Xqzwv“ gefunden" in html


def test_site_search_covers_leistungen_leika_kommunen_and_labore(client):
    html = client.get("/suche/", {"q": "Wohngeld"}).content.decode()
    assert 'href="/leistungen/' in html
    assert 'href="/labore/wohngeld/"' in html
    assert "LeiKa-Leistungen (" in html
    leika = client.get("/suche/", {"q": "99041006000000"}).content.decode()
    assert "99041006000000 Elterngeld" in leika
    ozg_id = client.get("/suche/", {"q": "10000"}).content.decode()
    assert 'href="/leistungen/10000/">10000 Elterngeld</a>' in ozg_id
    kommune = client.get("/suche/", {"q": "Itzehoe"}).content.decode()
    assert 'href="/kommunen/01061046/"' in kommune


def test_site_search_stems_german_words(client):
    # "Baugenehmigungen" (plural) must find "Baugenehmigung" – by stemming on PostgreSQL, by pieces on SQLite.
    html = client.get("/suche/", {"q": "Baugenehmigungen"}).content.decode()
    assert "Bauvorbescheid und Baugenehmigung" in html
