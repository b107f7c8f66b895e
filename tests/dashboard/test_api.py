"""The compatible API ``/api/dashboard/v1/``: federal names, paging envelope, scopes, files, ETag, round trip."""

import csv
import io

from django.utils import timezone

import pytest
from openpyxl import load_workbook

from catalog.choices import Anschlussstatus, UmsetzungsStatus
from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung, LeikaLeistung, Leistung, Umsetzungsstand
from core.importers import Fehlerliste
from dashboard.choices import SPALTEN
from dashboard.importers import importiere
from dashboard.importers.quellen import datei_zeilen
from dashboard.models import Onlinedienst

from .conftest import schreibe_csv, zeile

pytestmark = pytest.mark.django_db

HEIDE = "010510044044"
BASIS = "/api/dashboard/v1"


@pytest.fixture
def bestand(tmp_path, leika):
    """Synthetic TEST DATA: imported rows on Bund, Land, Kreis and Heide, plus portal statuses of Heide and SH."""
    zeilen = [
        zeile(HEIDE, leika[0][0], art="bundesweit flächendeckend"),
        zeile(HEIDE, leika[1][0], art="landesweit flächendeckend"),
        zeile(HEIDE, leika[2][0], art="kreisweit flächendeckend", aktiv="nein", status="nicht ok"),
        zeile(HEIDE, leika[3][0], art="in mind. einer Kommune verfügbar"),
        zeile("010510011011", leika[4][0], art="in mind. einer Kommune verfügbar"),  # Brunsbüttel
        zeile("020000000000", leika[5][0], art="landesweit flächendeckend"),  # Hamburg
    ]
    importiere([("testdaten-api.csv", schreibe_csv(tmp_path / "testdaten-api.csv", zeilen))])
    heide = Gebietskoerperschaft.objects.get(ars=HEIDE)
    frei = list(Leistung.objects.exclude(ozg_id__in={o for _, o in leika[:6]}).order_by("ozg_id")[:3])
    heute = timezone.localdate()
    KommunaleUmsetzung.objects.create(
        kommune=heide,
        leistung=frei[0],
        status=Anschlussstatus.GEPLANT,
        geplant_bis=heute,
        stand=heute,
    )
    KommunaleUmsetzung.objects.create(
        kommune=heide,
        leistung=frei[1],
        status=Anschlussstatus.NICHT_GEPLANT,
        stand=heute,
    )
    Umsetzungsstand.objects.create(
        land=Gebietskoerperschaft.objects.get(ars="01"),
        leistung=frei[2],
        status=UmsetzungsStatus.ONLINE,
        online_url="https://testdaten.invalid/sh-10002",
        stand=heute,
    )
    return frei


def _alle(client, url):
    antwort = client.get(url)
    assert antwort.status_code == 200, antwort.content
    return antwort.json()


def test_envelope_and_fields(client, bestand):
    daten = _alle(client, f"{BASIS}/data?size=3")
    assert daten["totalElements"] == 8  # 6 imported + Heide geplant + SH Land status; "nicht geplant" is no row
    assert daten["totalPages"] == 3 and daten["size"] == 3 and daten["number"] == 0
    assert daten["first"] is True and daten["last"] is False and daten["numberOfElements"] == 3
    assert daten["pageable"] == {
        "paged": True,
        "unpaged": False,
        "pageNumber": 0,
        "pageSize": 3,
        "offset": 0,
        "sort": {"unsorted": False, "sorted": True, "empty": False},
    }
    assert set(daten["content"][0]) == set(SPALTEN)
    assert daten["content"][0]["ars"] == "000000000000"  # the bundesweit row sorts first
    letzte = _alle(client, f"{BASIS}/data?size=3&page=2")
    assert letzte["last"] is True and letzte["numberOfElements"] == 2
    absteigend = _alle(client, f"{BASIS}/data?size=100&order=desc")["content"]
    assert [z["ars"] for z in absteigend] == sorted((z["ars"] for z in absteigend), reverse=True)


def test_scopes_of_a_gemeinde(client, bestand, leika):
    oben = _alle(client, f"{BASIS}/data/{HEIDE}?includeBelow=false")["content"]
    assert {(z["ars"], z["art_flaechendeckung"]) for z in oben} == {
        ("000000000000", "bundesweit flächendeckend"),
        ("010000000000", "landesweit flächendeckend"),
        ("010510000000", "kreisweit flächendeckend"),
        (HEIDE, "in mind. einer Kommune verfügbar"),
    }
    assert len(oben) == 6  # Land: the imported row and the portal's own Umsetzungsstand; Heide: imported + geplant
    geplant = next(z for z in oben if z["ozgid"] == bestand[0].ozg_id)
    assert geplant["leika_key"] == "" and geplant["aktiv"] == "nein" and geplant["online_status"] == "nicht ok"
    land = next(z for z in oben if z["leika_key"] == leika[1][0])
    assert land["bundesland"] == "Schleswig-Holstein" and land["ars_federal_state"] == "01"
    nur = _alle(client, f"{BASIS}/data/{HEIDE}?includeAbove=false&includeBelow=false")["content"]
    assert {z["ars"] for z in nur} == {HEIDE}


def test_a_land_with_everything_below(client, bestand):
    land = _alle(client, f"{BASIS}/data/010000000000?includeAbove=false")["content"]
    assert {z["ars"] for z in land} == {"010000000000", "010510000000", HEIDE, "010510011011"}
    kreis = _alle(client, f"{BASIS}/data/010510000000?includeAbove=false")["content"]
    assert {z["ars"] for z in kreis} == {"010510000000", HEIDE, "010510011011"}


def test_bad_parameters_are_400_json(client, bestand):
    for url in (
        f"{BASIS}/data/0105?",
        f"{BASIS}/data/{HEIDE}?includeAbove=ja",
        f"{BASIS}/data/{HEIDE}?filetype=pdf",
        f"{BASIS}/data?order=up",
    ):
        antwort = client.get(url)
        assert antwort.status_code == 400, url
        assert antwort["Content-Type"] == "application/json"
        assert antwort.json()["status"] == 400
    # Paging values are read as Spring reads them: anything odd is the default.
    assert _alle(client, f"{BASIS}/data?page=x&size=-3")["size"] == 100
    assert _alle(client, f"{BASIS}/data/999999999999")["totalElements"] == 0


def test_etag_and_304(client, bestand):
    erste = client.get(f"{BASIS}/data/{HEIDE}")
    assert erste.status_code == 200 and erste["ETag"]
    assert client.get(f"{BASIS}/data/{HEIDE}", HTTP_IF_NONE_MATCH=erste["ETag"]).status_code == 304


def test_ars_list(client):
    daten = _alle(client, f"{BASIS}/ars?size=2")
    assert daten["content"] == [{"ars": "010000000000", "arsName": "Schleswig-Holstein"}, daten["content"][1]]
    assert daten["totalElements"] == Gebietskoerperschaft.objects.count()


def _zustand():
    return (
        sorted(
            map(
                str,
                Onlinedienst.objects.values_list(
                    "gebiet_id", "leika_id", "url", "online_status", "aktiv", "art_flaechendeckung"
                ),
            )
        ),
        sorted(
            KommunaleUmsetzung.objects.values_list(
                "kommune_id", "leistung_id", "status", "geplant_bis", "online_url", "stand"
            )
        ),
        sorted(Umsetzungsstand.objects.values_list("land_id", "leistung_id", "status", "online_url", "stand")),
        Onlinedienst.history.count() + KommunaleUmsetzung.history.count() + Umsetzungsstand.history.count(),
    )


@pytest.mark.parametrize("dateityp", ["csv", "xlsx"])
def test_round_trip_changes_nothing(client, bestand, tmp_path, dateityp):
    antwort = client.get(f"{BASIS}/data/{HEIDE}?filetype={dateityp}")
    assert antwort.status_code == 200 and antwort["Content-Type"] == "application/octet-stream"
    inhalt = b"".join(antwort.streaming_content) if antwort.streaming else antwort.content
    pfad = tmp_path / f"testdaten-export.{dateityp}"
    pfad.write_bytes(inhalt)
    if dateityp == "csv":
        zeilen = list(csv.DictReader(io.StringIO(inhalt.decode("utf-8-sig")), delimiter=";"))
    else:
        blatt = load_workbook(pfad, read_only=True).worksheets[0]
        zeilen = list(blatt.iter_rows(values_only=True))[1:]
    assert len(zeilen) == 6  # includeAbove and includeBelow default to true
    vorher = _zustand()
    _, ergebnis = importiere([(pfad.name, pfad)])
    assert not ergebnis.geaendert, ergebnis.zeilen()
    assert _zustand() == vorher


@pytest.fixture
def flensburg(bestand, tmp_path, leika):
    """Synthetic TEST DATA on Flensburg: Kreis 01001, Amt 010010000 and Stadt 010010000000 share one 12-digit ARS."""
    zeilen = [
        zeile("01001", leika[10][0], art="kreisweit flächendeckend"),
        zeile("010010000000", leika[11][0], art="in mind. einer Kommune verfügbar"),
        zeile("010010000000", leika[12][0], art="in mind. einer Kommune verfügbar", aktiv="nein"),
    ]
    importiere([("testdaten-flensburg.csv", schreibe_csv(tmp_path / "testdaten-flensburg.csv", zeilen))])


def _schluessel(z):
    return (z["ars"], z["ars_name"], z["leika_key"], z["ozgid"], z["art_flaechendeckung"])


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_pages_concatenate_to_the_file_order(client, flensburg, order):
    """Pages are read per Gebietskörperschaft: at every page size they join up to exactly the file's rows and order,
    also across Gebietskörperschaften that share a 12-digit ARS (Kreis before Stadt, both asc and desc)."""
    url = f"{BASIS}/data/010000000000?includeAbove=false&order={order}"
    antwort = client.get(url + "&filetype=csv")
    datei = list(csv.DictReader(io.StringIO(b"".join(antwort.streaming_content).decode("utf-8-sig")), delimiter=";"))
    erwartet = [_schluessel({**z, "ozgid": int(z["ozgid"]) if z["ozgid"] else None}) for z in datei]
    assert len(erwartet) == 9 and len(set(erwartet)) == 9  # Land 2, Dithmarschen 1, Heide 2, Brunsbüttel 1, Flensburg 3
    assert [z[0] for z in erwartet] == sorted((z[0] for z in erwartet), reverse=order == "desc")
    arten = [z[4] for z in erwartet if z[0] == "010010000000"]
    kreis_zuerst = ["kreisweit flächendeckend"] + ["in mind. einer Kommune verfügbar"] * 2
    assert arten == (kreis_zuerst if order == "asc" else kreis_zuerst[::-1])  # Kreis and Stadt, each in one run
    for groesse in (1, 2, 3, 5, 100):
        gesehen = []
        for nummer in range(0, 10):
            daten = _alle(client, f"{url}&size={groesse}&page={nummer}")
            assert daten["totalElements"] == 9
            gesehen += [_schluessel(z) for z in daten["content"]]
        assert gesehen == erwartet, groesse


def test_a_write_is_counted_on_the_next_request(client, flensburg):
    """The counts are kept per Datenstand: a committed write brings a new one, so totalElements follows at once."""
    url = f"{BASIS}/data/010000000000?includeAbove=false&size=1"
    assert _alle(client, url)["totalElements"] == 9
    geplant = KommunaleUmsetzung.objects.get(kommune__ars=HEIDE, status=Anschlussstatus.GEPLANT)
    # A queryset update bypasses the change log: same Datenstand, so the kept count (like the ETag) stays.
    KommunaleUmsetzung.objects.filter(pk=geplant.pk).update(status=Anschlussstatus.NICHT_GEPLANT, geplant_bis=None)
    assert _alle(client, url)["totalElements"] == 9
    geplant.status = Anschlussstatus.NICHT_GEPLANT
    geplant.geplant_bis = None
    geplant.save()  # through the change log: a new Datenstand, counted anew
    assert _alle(client, url)["totalElements"] == 8


def test_a_page_costs_few_queries(client, flensburg, django_assert_max_num_queries):
    url = f"{BASIS}/data/010000000000?includeAbove=false&size=2&page=1"
    _alle(client, url)  # counts kept for this Datenstand
    with django_assert_max_num_queries(4):  # Datenstand, Gebietskörperschaft of the ARS, its rows; no count
        _alle(client, url)


def test_synthetic_rows_are_not_federal_rows(client, bestand):
    """The federal format has no field to flag a synthetic (load-test) row: such rows must not pass for real ones."""
    heide = Gebietskoerperschaft.objects.get(ars=HEIDE)
    belegt = set(KommunaleUmsetzung.objects.values_list("leistung_id", flat=True))
    belegt |= set(Onlinedienst.objects.values_list("leistung_id", flat=True))
    leistung = Leistung.objects.exclude(pk__in=belegt).order_by("ozg_id")[0]
    umsetzung = KommunaleUmsetzung.objects.create(
        kommune=heide,
        leistung=leistung,
        status=Anschlussstatus.ANGESCHLOSSEN,
        online_url="https://synthetisch.invalid/lasttest",
        stand=timezone.localdate(),
        synthetisch=True,
    )
    url = f"{BASIS}/data/{HEIDE}?includeAbove=false&includeBelow=false"
    zeilen = _alle(client, url)["content"]
    assert len(zeilen) == 2  # imported + geplant, as without the synthetic row
    assert leistung.ozg_id not in {z["ozgid"] for z in zeilen}
    datei = b"".join(client.get(url + "&filetype=csv").streaming_content).decode("utf-8-sig")
    assert "synthetisch.invalid" not in datei
    # The same row unflagged is a federal row: what leaves it out is the flag, not its status or URL.
    umsetzung.synthetisch = False
    umsetzung.save()
    zeilen = _alle(client, url)["content"]
    assert len(zeilen) == 3
    assert next(z for z in zeilen if z["ozgid"] == leistung.ozg_id)["url"] == "https://synthetisch.invalid/lasttest"


@pytest.mark.parametrize("dateityp", ["csv", "xlsx"])
def test_formula_like_text_round_trips(client, bestand, leika, tmp_path, dateityp):
    """The export prefixes text a spreadsheet would run as a formula with "'" (core.exports); the importer's reader
    strips it again, so every cell reads back as the portal wrote it and a re-import changes nothing."""
    heide = Gebietskoerperschaft.objects.get(ars=HEIDE)
    heide.name = "=Testdaten Heide"
    heide.save()
    namen = {leika[0][0]: "+Testdaten 1", leika[1][0]: "-Testdaten 2", leika[3][0]: "@Testdaten 3"}
    for schluessel, bezeichnung in namen.items():
        LeikaLeistung.objects.filter(schluessel=schluessel).update(bezeichnung=bezeichnung)
    antwort = client.get(f"{BASIS}/data/{HEIDE}?filetype={dateityp}")
    pfad = tmp_path / f"testdaten-formeln.{dateityp}"
    pfad.write_bytes(b"".join(antwort.streaming_content) if antwort.streaming else antwort.content)
    roh = pfad.read_bytes() if dateityp == "csv" else b""
    assert dateityp == "xlsx" or b"'=Testdaten Heide" in roh  # the file itself is defused
    liste = Fehlerliste(pfad.name, [])
    zeilen = [z for _, z in datei_zeilen(pfad, liste)]
    assert not liste.fehler
    assert "=Testdaten Heide" in {z["ars_name"] for z in zeilen}
    assert set(namen.values()) <= {z["leika_name"] for z in zeilen}
    assert not any(str(z[s]).startswith("'") for z in zeilen for s in SPALTEN)
    vorher = _zustand()
    _, ergebnis = importiere([(pfad.name, pfad)])
    assert not ergebnis.geaendert, ergebnis.zeilen()
    assert _zustand() == vorher
