"""What a dashboard builder relies on: every resource by its public key, nested summaries, the Kommune view."""

from django.db.models import Count

import pytest

from catalog.choices import EffektiveEbene, VollzugsEbene
from catalog.models import Gebietskoerperschaft, Leistung, Umsetzungsstand, Zustaendigkeit

pytestmark = pytest.mark.django_db

LISTEN = [
    "themenfelder",
    "lagen",
    "leistungen",
    "leika",
    "labore",
    "kommunen",
    "organisationen",
    "zustaendigkeiten",
    "tandemrollen",
    "phasenstatus",
    "teilnahmen",
    "umsetzungsstand",
    "kommunale-umsetzung",
]


def test_root_lists_every_resource(api):
    antwort = api.get("/api/v1/").json()
    assert set(LISTEN) <= set(antwort)


@pytest.mark.parametrize("liste", LISTEN)
def test_every_list_answers_json_with_results(api, liste):
    antwort = api.get(f"/api/v1/{liste}/")
    assert antwort.status_code == 200, antwort.content
    assert antwort["Content-Type"] == "application/json"
    assert "results" in antwort.json()


@pytest.mark.parametrize(
    ("url", "schluessel", "wert"),
    [
        ("/api/v1/themenfelder/familie-kind/", "name", "Familie & Kind"),
        ("/api/v1/leistungen/10000/", "name", "Elterngeld"),
        ("/api/v1/leika/2/", "leika_schluessel", "99041006000000"),
        ("/api/v1/kommunen/01/", "name", "Schleswig-Holstein"),
        ("/api/v1/kommunen/01061/", "name", "Steinburg"),
        ("/api/v1/kommunen/09162000/", "ars", "091620000000"),  # München by AGS
        ("/api/v1/kommunen/091620000000/", "ags", "09162000"),  # … and by ARS
        ("/api/v1/organisationen/bmfsfj/", "kurzname", "BMFSFJ"),
    ],
)
def test_detail_by_public_key(api, url, schluessel, wert):
    antwort = api.get(url)
    assert antwort.status_code == 200, antwort.content
    assert antwort.json()[schluessel] == wert


def test_nested_summaries_save_a_second_request(api):
    leistung = api.get("/api/v1/leistungen/10000/").json()
    assert leistung["lage"] == {"slug": "geburt", "name": "Geburt"}
    assert leistung["themenfeld"] == {"slug": "familie-kind", "name": "Familie & Kind"}
    assert "99041006000000" in leistung["leika_schluessel"]
    assert leistung["labore"] and {"slug", "titel", "pilot"} == set(leistung["labore"][0])

    themenfeld = api.get("/api/v1/themenfelder/familie-kind/").json()
    assert themenfeld["leistungen_anzahl"] == Leistung.objects.filter(lage__themenfeld__slug="familie-kind").count()
    assert {"partner": "BMFSFJ", "rolle": "FF", "umfang": "themenfeld"} in themenfeld["tandem"]
    assert len(themenfeld["phasen"]) == 6


def test_composite_keys_round_trip(api):
    for liste in ["tandemrollen", "phasenstatus", "teilnahmen"]:
        erster = api.get(f"/api/v1/{liste}/?page_size=1").json()["results"][0]
        detail = api.get(f"/api/v1/{liste}/{erster['schluessel']}/")
        assert detail.status_code == 200, (liste, detail.content)
        assert detail.json() == erster


def test_kommune_leistungen_match_the_kommune_page(api):
    steinburg = Gebietskoerperschaft.objects.get(ars="01061")
    antwort = api.get("/api/v1/kommunen/01061/leistungen/?page_size=1000").json()
    assert antwort["count"] == Leistung.objects.fuer_kommune(steinburg).count() == 557
    je_ebene_api = {}
    for zeile in antwort["results"]:
        je_ebene_api[zeile["ebene"]] = je_ebene_api.get(zeile["ebene"], 0) + 1
    je_ebene_db = dict(
        Leistung.objects.fuer_kommune(steinburg).values("ebene").annotate(n=Count("pk")).values_list("ebene", "n")
    )
    assert je_ebene_api == je_ebene_db
    elterngeld = next(z for z in antwort["results"] if z["ozg_id"] == 10000)
    assert elterngeld["ars"] == "01061"
    assert elterngeld["ebene"] == EffektiveEbene.OFFEN and elterngeld["abgeleitet"] is True
    assert elterngeld["ebene_text"] == "Land oder Kommune – noch nicht erfasst"
    assert "99041006000000" in elterngeld["leika_schluessel"]


def test_kommune_leistungen_show_recorded_level_and_status(api, land_sh, elterngeld):
    Zustaendigkeit.objects.create(land=land_sh, leistung=elterngeld, ebene=VollzugsEbene.KREIS)
    Umsetzungsstand.objects.create(land=land_sh, leistung=elterngeld, status="online_verfuegbar", stand="2024-01-01")
    gemeinde = Gebietskoerperschaft.objects.filter(land=land_sh, ebene="gemeinde").first()
    zeile = api.get(f"/api/v1/kommunen/{gemeinde.ags}/leistungen/?ozg_id=10000").json()["results"][0]
    assert zeile["ebene"] == "kreis" and zeile["abgeleitet"] is False and zeile["land_status"] == "online_verfuegbar"
    # Only in its Land:
    in_by = api.get("/api/v1/kommunen/09162000/leistungen/?ozg_id=10000").json()["results"][0]
    assert in_by["ebene"] == "offen" and in_by["land_status"] is None
    # Filter by level: the recorded one counts.
    erfasst = api.get(f"/api/v1/kommunen/{gemeinde.ags}/leistungen/?ebene=kreis&abgeleitet=false").json()
    assert [z["ozg_id"] for z in erfasst["results"]] == [10000]


@pytest.mark.parametrize(
    ("url", "erwartet"),
    [
        ("/api/v1/kommunen/?ebene=land&page_size=100", 16),
        ("/api/v1/kommunen/?ebene=kreis&land=SH&page_size=100", 15),
        ("/api/v1/kommunen/?ebene=kreis&land=01&page_size=100", 15),
        ("/api/v1/kommunen/?ebene=kreis,land&land=HB&page_size=100", 2),
        ("/api/v1/leistungen/?themenfeld=familie-kind&page_size=100", None),
        ("/api/v1/leika/?im_leika=false&page_size=1000", 436),
    ],
)
def test_filters(api, url, erwartet):
    antwort = api.get(url).json()
    if erwartet is not None:
        assert len(antwort["results"]) == erwartet
    else:
        assert all(z["themenfeld"]["slug"] == "familie-kind" for z in antwort["results"])


def test_kommunen_of_a_kreis_by_kreis_filter(api):
    antwort = api.get("/api/v1/kommunen/?kreis=01061&ebene=gemeinde&page_size=1000").json()
    assert len(antwort["results"]) == Gebietskoerperschaft.objects.filter(kreis__ars="01061", ebene="gemeinde").count()
    assert all(z["kreis"]["ars"] == "01061" for z in antwort["results"])


def test_full_text_search(api):
    assert [z["ozg_id"] for z in api.get("/api/v1/leistungen/?q=10000").json()["results"]] == [10000]
    namen = [z["name"] for z in api.get("/api/v1/leistungen/?q=eltern geld").json()["results"]]
    assert "Elterngeld" in namen
    by_leika = api.get("/api/v1/leistungen/?q=99041006013000").json()["results"]
    assert [z["ozg_id"] for z in by_leika] == [10000]
    assert api.get("/api/v1/kommunen/?q=Steinburg&ebene=kreis").json()["results"][0]["ars"] == "01061"


def test_ordering_and_cursor_pagination(api):
    seite1 = api.get("/api/v1/kommunen/?ebene=kreis&ordering=-name&page_size=3").json()
    namen = [z["name"] for z in seite1["results"]]
    assert namen == sorted(namen, reverse=True)
    assert "count" not in seite1 and "cursor=" in seite1["next"]
    seite2 = api.get(seite1["next"]).json()
    assert seite2["results"][0]["name"] < namen[-1]


def test_phasenstatus_stand_am_reproduces_the_table(api):
    antwort = api.get("/api/v1/phasenstatus/?stand_am=2019-04-11&page_size=1000").json()
    assert len(antwort["results"]) == 14 * 6
