"""Invalidation that follows the data: a body's page and API answers carry the Datenstand of their Bereich
(core.datenstand), a dashboard list narrowed to bodies or Länder that of its filter (catalog.listenbereiche), so an
edit renews the ETag and cache entry of the pages and lists it can change and no other.

Runs on SQLite and on PostgreSQL (the CI variant with DATABASE_URL): the Bereich query is plain SQL for both.
"""

import datetime

from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

import pytest

from catalog.choices import UmsetzungsStatus, VollzugsEbene
from catalog.models import (
    Gebietskoerperschaft,
    KommunaleUmsetzung,
    Leistung,
    Themenfeld,
    Umsetzungsstand,
    Zustaendigkeit,
)
from core.models import Aenderung
from themenfelder.models import Teilnahme

pytestmark = pytest.mark.django_db

ITZEHOE = "01061046"  # Gemeinde A, Kreis Steinburg
HEILIGENSTEDTEN = "01061034"  # Gemeinde B, same Kreis, in the Amt Itzehoe-Land
AMT = "010615138"
KREIS = "01061"
LAND = "01"
MUENCHEN = "09162000"  # another Land

SEITEN = {
    "A": f"/kommunen/{ITZEHOE}/",
    "B": f"/kommunen/{HEILIGENSTEDTEN}/",
    "B-Druck": f"/kommunen/{HEILIGENSTEDTEN}/druck/",
    "Amt": f"/kommunen/{AMT}/",
    "Kreis": f"/kommunen/{KREIS}/",
    "Land": f"/kommunen/{LAND}/",
    "München": f"/kommunen/{MUENCHEN}/",
    "A-API": f"/api/v1/kommunen/{ITZEHOE}/leistungen/",
    "B-API": f"/api/v1/kommunen/{HEILIGENSTEDTEN}/leistungen/",
    "B-API-Detail": f"/api/v1/kommunen/{HEILIGENSTEDTEN}/",
    "Kreis-API": f"/api/v1/kommunen/{KREIS}/leistungen/",
    "München-API": f"/api/v1/kommunen/{MUENCHEN}/leistungen/",
}


def etags(client):
    return {name: client.get(pfad)["ETag"] for name, pfad in SEITEN.items()}


def geaendert(vorher, nachher):
    return {name for name in SEITEN if vorher[name] != nachher[name]}


def status_setzen(ags, ozg_id=10000, status="angeschlossen"):
    KommunaleUmsetzung.objects.create(
        kommune=Gebietskoerperschaft.objects.get(ags=ags),
        leistung=Leistung.objects.get(ozg_id=ozg_id),
        status=status,
        stand=datetime.date(2026, 1, 5),
    )


@pytest.fixture
def ohne_cache(settings):
    """Every answer built afresh: what a page shows, not what a cache kept."""
    settings.SEITEN_CACHE_SEKUNDEN = 0
    settings.API_ANTWORT_CACHE_SEKUNDEN = 0


def test_a_kommune_status_renews_that_kommune_only(client, ohne_cache):
    oben = ("Amt", "Kreis", "Land", "Kreis-API")
    vorher = etags(client)
    inhalt_vorher = {name: client.get(SEITEN[name]).content for name in oben}
    status_setzen(HEILIGENSTEDTEN)
    nachher = etags(client)
    assert geaendert(vorher, nachher) == {"B", "B-Druck", "B-API", "B-API-Detail"}
    # The bodies above show nothing of a Gemeinde's statuses: built afresh they are byte for byte what they were,
    # so keeping their validators (and cache entries) is right.
    assert {name: client.get(SEITEN[name]).content for name in oben} == inhalt_vorher
    # The neighbour in the same Kreis and the other Land keep their validators: a 304 is still right for them.
    assert client.get(SEITEN["A"], headers={"If-None-Match": vorher["A"]}).status_code == 304
    assert client.get(SEITEN["A-API"], headers={"If-None-Match": vorher["A-API"]}).status_code == 304
    assert client.get(SEITEN["Land"], headers={"If-None-Match": vorher["Land"]}).status_code == 304
    # The edited body never gets a 304 for the old state, and its new body shows the status.
    neu = client.get(SEITEN["B"], headers={"If-None-Match": vorher["B"]})
    assert neu.status_code == 200
    assert "Kommune: angeschlossen" in neu.content.decode().split("<td>10000</td>", 1)[1].split("</tr>", 1)[0]
    api = client.get(SEITEN["B-API"] + "?ozg_id=10000", headers={"If-None-Match": vorher["B-API"]})
    assert api.status_code == 200 and api.json()["results"][0]["kommune_status"] == "angeschlossen"


def test_a_teilnahme_below_renews_the_land_page_that_lists_it(client):
    vorher = etags(client)
    teilnahme = Teilnahme.objects.create(
        themenfeld=Themenfeld.objects.order_by("pk").first(),
        gebiet=Gebietskoerperschaft.objects.get(ags=HEILIGENSTEDTEN),
        name_im_dokument="Heiligenstedten (synthetische Teilnahme)",
        stand=datetime.date(2026, 1, 5),
    )
    nachher = etags(client)
    # The Land's page lists the Teilnahmen of its bodies; the Gemeinde's page its own.
    assert {"B", "Land"} <= geaendert(vorher, nachher)
    assert "München" not in geaendert(vorher, nachher) and "A" not in geaendert(vorher, nachher)
    assert (
        f'href="{teilnahme.gebiet.get_absolute_url()}">Heiligenstedten</a>'
        in client.get(SEITEN["Land"]).content.decode()
    )


def test_a_lands_zustaendigkeit_renews_that_land_only(client, land_sh, elterngeld):
    vorher = etags(client)
    Zustaendigkeit.objects.create(land=land_sh, leistung=elterngeld, ebene=VollzugsEbene.KREIS)
    nachher = etags(client)
    assert geaendert(vorher, nachher) == set(SEITEN) - {"München", "München-API"}


def test_a_catalogue_change_renews_everything(client):
    vorher = etags(client)
    leistung = Leistung.objects.get(ozg_id=10001)
    leistung.name += " (synthetische Änderung)"
    leistung.save()
    assert geaendert(vorher, etags(client)) == set(SEITEN)


def test_a_change_to_a_body_renews_the_pages_that_name_it(client):
    vorher = etags(client)
    amt = Gebietskoerperschaft.objects.get(ars=AMT)
    amt.name = "Itzehoe-Land (synthetischer Testname)"
    amt.save()
    # Heiligenstedten's page names its Amt; the Kreis and Land pages list it; Itzehoe (amtsfrei) does not.
    assert geaendert(vorher, etags(client)) == {
        "B", "B-Druck", "Amt", "Kreis", "Land", "B-API", "B-API-Detail", "Kreis-API",
    }  # fmt: skip


def test_another_kommunes_edit_leaves_the_cache_entry_in_use(
    client, caches_wie_ausserhalb_einer_transaktion, django_assert_num_queries
):
    for pfad in (SEITEN["A"], SEITEN["A-API"], SEITEN["B"]):
        assert client.get(pfad).status_code == 200
    status_setzen(HEILIGENSTEDTEN, ozg_id=10002, status="geplant")
    # A's page and answer come from the cache: one query, the Datenstand of A's Bereich.
    with django_assert_num_queries(1):
        assert client.get(SEITEN["A"]).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(SEITEN["A-API"]).status_code == 200
    # B's entry is not used any more: built again, with the new status.
    with CaptureQueriesContext(connection) as abfragen:
        html = client.get(SEITEN["B"]).content.decode()
    assert len(abfragen) > 1
    assert "Kommune: geplant" in html.split("<td>10002</td>", 1)[1].split("</tr>", 1)[0]


LISTEN = {
    "Kommune-B": f"/api/v1/kommunale-umsetzung/?kommune={HEILIGENSTEDTEN}&status=angeschlossen",
    "Kommune-A": f"/api/v1/kommunale-umsetzung/?kommune={ITZEHOE}",
    "Land-SH": "/api/v1/umsetzungsstand/?land=SH",
    "Land-BY": "/api/v1/umsetzungsstand/?land=09",
    "Kreise-SH": "/api/v1/kommunen/?land=01&ebene=kreis",
    "Leistungen": "/api/v1/leistungen/?themenfeld=familie-kind",
}


def listen_etags(client):
    return {name: client.get(pfad)["ETag"] for name, pfad in LISTEN.items()}


def test_a_kommune_status_renews_only_the_lists_narrowed_to_that_kommune(client, ohne_cache):
    vorher = listen_etags(client)
    status_setzen(HEILIGENSTEDTEN)
    nachher = listen_etags(client)
    assert {n for n in LISTEN if vorher[n] != nachher[n]} == {"Kommune-B"}
    antwort = client.get(LISTEN["Kommune-B"], headers={"If-None-Match": vorher["Kommune-B"]})
    assert antwort.status_code == 200 and len(antwort.json()["results"]) == 1
    assert client.get(LISTEN["Land-SH"], headers={"If-None-Match": vorher["Land-SH"]}).status_code == 304


def test_a_lands_status_renews_that_lands_lists(client, land_sh):
    vorher = listen_etags(client)
    Umsetzungsstand.objects.create(
        land=land_sh,
        leistung=Leistung.objects.get(ozg_id=10001),
        status=UmsetzungsStatus.ONLINE,
        stand=datetime.date(2026, 1, 5),
    )
    nachher = listen_etags(client)
    assert {n for n in LISTEN if vorher[n] != nachher[n]} == {"Land-SH"}
    assert [z["schluessel"] for z in client.get(LISTEN["Land-SH"]).json()["results"]] == ["01.10001"]


def test_a_body_renamed_renews_the_lists_of_its_land_and_a_catalogue_change_every_list(client):
    vorher = listen_etags(client)
    amt = Gebietskoerperschaft.objects.get(ars=AMT)
    amt.name = "Itzehoe-Land (synthetischer Testname)"
    amt.save()
    zwischen = listen_etags(client)
    assert {n for n in LISTEN if vorher[n] != zwischen[n]} == {"Kreise-SH"}
    leistung = Leistung.objects.get(ozg_id=10001)
    leistung.name += " (synthetische Änderung)"
    leistung.save()
    nachher = listen_etags(client)
    assert {n for n in LISTEN if zwischen[n] != nachher[n]} == set(LISTEN)


def test_a_land_renamed_renews_every_lands_status_list(client, land_sh):
    vorher = listen_etags(client)
    land_sh.name = "Schleswig-Holstein (synthetischer Testname)"
    land_sh.save()
    nachher = listen_etags(client)
    # A row names its EfA-Land, which can be any Land: every Land's list shows Land names.
    assert {n for n in LISTEN if vorher[n] != nachher[n]} == {"Land-SH", "Land-BY", "Kreise-SH"}


@pytest.mark.postgres  # the plan is PostgreSQL's; SQLite's tiny planner is not what runs at scale
def test_the_datenstand_of_a_bereich_reads_index_ends_only(client):
    """On PostgreSQL each part of the Bereich query reads one end of one index (core migrations 0007–0009): no
    scan of the log, whose size is millions of entries in operation."""
    from catalog import kommunenliste, listenbereiche  # noqa: PLC0415
    from core.datenstand import _bereich_sql, _listen_sql  # noqa: PLC0415

    class Anfrage:
        query_params = QueryDict("land=SH")

    for sql, params in (
        _bereich_sql(kommunenliste.gebiet_bereich(KREIS)),
        _bereich_sql(kommunenliste.gebiet_bereich(LAND)),
        _listen_sql(listenbereiche.der_laender(Anfrage())),
        _listen_sql(listenbereiche.in_den_laendern(Anfrage())),
    ):
        with connection.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")  # the test log is tiny: ask what the plan can use
            cur.execute("EXPLAIN " + sql, params)
            plan = "\n".join(z[0] for z in cur.fetchall())
        assert "Seq Scan on core_aenderung" not in plan, plan
        assert "Sort" not in plan, plan


def test_a_report_build_renews_no_bodys_page_and_no_narrowed_list(client):
    """The report pointer is logged without a Gebiet (for the open-data files and webhooks), but no body's page
    and no narrowed list shows it: a build under write load every few seconds must not renew them all."""
    from berichte.choices import Ausloeser, Berichtsart  # noqa: PLC0415 - berichte sits above catalog
    from berichte.services.bauen import bauen  # noqa: PLC0415

    vorher, listen_vorher = etags(client), listen_etags(client)
    start = Aenderung.objects.latest("id").id
    bauen(Berichtsart.UMSETZUNGSSTAND, ausloeser=Ausloeser.BEFEHL, erzwingen=True)
    assert Aenderung.objects.filter(id__gt=start, modell="berichte.AktuellerBericht").exists()
    assert geaendert(vorher, etags(client)) == set()
    assert listen_etags(client) == listen_vorher


def test_a_filter_it_cannot_read_keeps_the_global_datenstand(client):
    pfade = ["/api/v1/umsetzungsstand/?land=SH&land=BY", "/api/v1/kommunale-umsetzung/?kommune=" + ",".join(["1"] * 51)]
    vorher = {p: client.get(p)["ETag"] for p in pfade}
    status_setzen(MUENCHEN)
    assert all(client.get(p)["ETag"] != vorher[p] for p in pfade)


def test_lists_over_everything_keep_the_global_datenstand(client):
    pfad = "/api/v1/kommunale-umsetzung/"
    vorher = client.get(pfad)["ETag"]
    status_setzen(MUENCHEN)
    assert client.get(pfad)["ETag"] != vorher


def test_a_row_is_not_moved_to_another_bereich_but_deleted_and_added_there(client, ohne_cache):
    """The change log names a row's Bereich after the write: a row moved from one Kommune to another would renew
    only the new one's pages and leave the old one's showing it. The API refuses the move (as the admin makes
    the field read-only); deleted and added again, both Kommunen's pages and answers are renewed."""
    from rest_framework.test import APIClient  # noqa: PLC0415

    from redaktion.models import ApiSchluessel  # noqa: PLC0415

    _obj, key = ApiSchluessel.objects.create_key(name="Test (schreiben)", recht="schreiben")
    api = APIClient(HTTP_AUTHORIZATION=f"Api-Key {key}")
    status_setzen(ITZEHOE)
    itzehoe, heiligenstedten = (Gebietskoerperschaft.objects.get(ags=a).ars for a in (ITZEHOE, HEILIGENSTEDTEN))
    pfad = f"/api/v1/kommunale-umsetzung/{itzehoe}.10000/"
    vorher = etags(client)
    antwort = api.patch(pfad, {"kommune": heiligenstedten}, format="json")
    assert antwort.status_code == 400, antwort.content
    assert [fehler["field"] for fehler in antwort.json()["errors"]] == ["kommune"]
    assert "löschen und neu anlegen" in antwort.content.decode()
    assert KommunaleUmsetzung.objects.get(leistung__ozg_id=10000).kommune.ags == ITZEHOE
    assert geaendert(vorher, etags(client)) == set()
    # The same Kommune again is no move: accepted.
    assert api.patch(pfad, {"kommune": itzehoe, "status": "geplant"}, format="json").status_code == 200
    vorher = etags(client)
    assert api.delete(pfad).status_code == 204
    neu = {"kommune": heiligenstedten, "leistung": 10000, "status": "geplant", "stand": "2026-01-05"}
    assert api.post("/api/v1/kommunale-umsetzung/", neu, format="json").status_code == 201
    assert {"A", "A-API", "B", "B-Druck", "B-API"} <= geaendert(vorher, etags(client))
    assert b"Kommune: geplant" in client.get(SEITEN["B"]).content
    assert b"Kommune: geplant" not in client.get(SEITEN["A"]).content
