"""Atom feeds of changes per Themenfeld, OZG-Leistung and Kommune: valid Atom, newest first, pinned query counts."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung, Leistung, Themenfeld, Umsetzungsstand
from themenfelder.models import PhasenStatus

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def atom(client, pfad):
    antwort = client.get(pfad)
    assert antwort.status_code == 200, antwort.content[:300]
    assert antwort["Content-Type"].startswith("application/atom+xml")
    wurzel = ET.fromstring(antwort.content)
    assert wurzel.tag == f"{ATOM}feed"
    for pflicht in ("id", "title", "updated"):
        assert wurzel.find(f"{ATOM}{pflicht}") is not None and wurzel.find(f"{ATOM}{pflicht}").text, pflicht
    eintraege = wurzel.findall(f"{ATOM}entry")
    ids = []
    for eintrag in eintraege:
        for pflicht in ("id", "title", "updated"):
            assert eintrag.find(f"{ATOM}{pflicht}").text, pflicht
        assert eintrag.find(f"{ATOM}link").get("href").startswith("http://testserver/")
        ids.append(eintrag.find(f"{ATOM}id").text)
    assert len(ids) == len(set(ids))
    # Atom needs an author on the feed or on every entry.
    assert wurzel.find(f"{ATOM}author/{ATOM}name").text
    return wurzel, eintraege


def titel(eintrag):
    return eintrag.find(f"{ATOM}title").text


@pytest.fixture
def familie(db):
    return Themenfeld.objects.get(slug="familie-kind")


def test_themenfeld_feed_zeigt_neuen_phasenstand_zuerst(client, familie):
    PhasenStatus.objects.create(themenfeld=familie, phase="analyse", status="abgeschlossen", stand=date(2031, 5, 6))
    wurzel, eintraege = atom(client, "/themenfelder/familie-kind/feed/")
    assert "Familie" in wurzel.find(f"{ATOM}title").text
    assert "06.05.2031" in titel(eintraege[0])
    assert titel(eintraege[0]).startswith("angelegt:")
    assert eintraege[0].find(f"{ATOM}id").text.startswith("tag:ozg-portal,2019:themenfelder.PhasenStatus/")
    assert len(eintraege) <= 50


def test_leistung_feed(client, elterngeld, land_sh):
    stand = Umsetzungsstand.objects.create(
        land=land_sh, leistung=elterngeld, status="in_umsetzung", stand=date(2031, 1, 1)
    )
    stand.status = "online_verfuegbar"
    stand.save()
    _, eintraege = atom(client, "/leistungen/10000/feed/")
    assert len(eintraege) == 2
    assert titel(eintraege[0]).startswith("geändert:")
    assert "Schleswig-Holstein" in titel(eintraege[0])
    assert eintraege[0].find(f"{ATOM}link").get("href") == "http://testserver/kommunen/01/"


def test_kommune_feed_und_land_feed(client, elterngeld):
    kiel = Gebietskoerperschaft.objects.get(ags="01002000")
    KommunaleUmsetzung.objects.create(kommune=kiel, leistung=elterngeld, status="angeschlossen", stand=date(2031, 2, 2))
    _, eintraege = atom(client, "/kommunen/01002000/feed/")
    assert any("Kiel" in titel(e) and "Elterngeld" in titel(e) for e in eintraege)
    # The Land's feed includes its Kommunen; another Land's does not.
    _, im_land = atom(client, "/kommunen/01/feed/")
    assert any("Kiel" in titel(e) for e in im_land)
    _, anderes = atom(client, "/kommunen/06/feed/")
    assert not any("Kiel" in titel(e) for e in anderes)


@pytest.mark.parametrize(
    ("pfad", "abfragen"),
    [
        ("/themenfelder/familie-kind/feed/", 1 + 8),
        ("/leistungen/10000/feed/", 1 + 3),
        ("/kommunen/01/feed/", 1 + 6),
        ("/kommunen/01002000/feed/", 1 + 3),
    ],
)
def test_abfragen_unabhaengig_von_der_zahl_der_eintraege(client, familie, django_assert_num_queries, pfad, abfragen):
    with django_assert_num_queries(abfragen):
        client.get(pfad)
    leistung = Leistung.objects.get(ozg_id=10000)
    kiel = Gebietskoerperschaft.objects.get(ags="01002000")
    for i in range(5):
        PhasenStatus.objects.create(themenfeld=familie, phase="analyse", status="laufend", stand=date(2032, 1, i + 1))
    KommunaleUmsetzung.objects.create(kommune=kiel, leistung=leistung, status="angeschlossen", stand=date(2031, 2, 2))
    with django_assert_num_queries(abfragen):
        antwort = client.get(pfad)
    assert antwort.status_code == 200


@pytest.mark.parametrize(
    ("pfad", "text"),
    [
        ("/themenfelder/gibtsnicht/feed/", "kein Themenfeld"),
        ("/leistungen/99999/feed/", "keine OZG-Leistung"),
        ("/kommunen/abc/feed/", "kein Gemeindeschlüssel"),
    ],
)
def test_unbekannt_404(client, pfad, text):
    antwort = client.get(pfad)
    assert antwort.status_code == 404
    assert text in antwort.content.decode()
