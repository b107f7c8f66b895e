"""Bulk downloads: files written atomically, served at stable URLs with Last-Modified/ETag, rebuilt after changes."""

import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from catalog.models import Gebietskoerperschaft, Leistung, Themenfeld
from core.models import Neubauauftrag
from opendata.bauen import bauen, datei
from opendata.datensaetze import alle
from opendata.signals import auftrag
from themenfelder.models import PhasenStatus

pytestmark = pytest.mark.django_db


def _csv(inhalt: bytes):
    return list(csv.reader(io.StringIO(inhalt.decode("utf-8-sig")), delimiter=";"))


def _inhalt(antwort) -> bytes:
    return b"".join(antwort.streaming_content)


def test_bauen_schreibt_drei_formate_ohne_reste(opendata_dir):
    bauen("leistungen")
    assert sorted(p.name for p in opendata_dir.iterdir()) == ["leistungen.csv", "leistungen.json", "leistungen.xlsx"]
    zeilen = _csv((opendata_dir / "leistungen.csv").read_bytes())
    assert zeilen[0][:2] == ["OZG-ID", "Name"]
    assert len(zeilen) - 1 == Leistung.objects.count() == 557
    daten = json.loads((opendata_dir / "leistungen.json").read_text())
    assert daten["lizenz_uri"] == "http://publications.europa.eu/resource/authority/licence/MIT"
    assert len(daten["daten"]) == 557
    elterngeld = next(z for z in daten["daten"] if z["ozg_id"] == 10000)
    assert elterngeld["leika_anzahl"] == Leistung.objects.get(ozg_id=10000).leika_leistungen.count()
    blatt = load_workbook(opendata_dir / "leistungen.xlsx", read_only=True).active
    assert sum(1 for _ in blatt.iter_rows()) == 558


def test_gebietskoerperschaften_vollstaendig(client, opendata_dir):
    antwort = client.get("/opendaten/gebietskoerperschaften.json")
    assert antwort.status_code == 200
    daten = json.loads(_inhalt(antwort))
    assert len(daten["daten"]) == Gebietskoerperschaft.objects.count()
    kiel = next(z for z in daten["daten"] if z["ags"] == "01002000")
    assert kiel["name"] == "Kiel, Landeshauptstadt" or "Kiel" in kiel["name"]
    assert kiel["land_ars"] == "01"
    assert "Destatis" in daten["namensnennung"]


@pytest.mark.parametrize("name", list(alle()))
def test_jeder_datensatz_in_jedem_format(client, opendata_dir, name):
    for format_, typ in [("csv", "text/csv"), ("json", "application/json"), ("xlsx", "application/vnd.openxml")]:
        antwort = client.get(f"/opendaten/{name}.{format_}")
        assert antwort.status_code == 200, (name, format_)
        assert antwort["Content-Type"].startswith(typ)
        assert antwort["Last-Modified"] and antwort["ETag"]
        assert 'rel="license"' in antwort["Link"]
        _inhalt(antwort)


def test_bedingte_abrufe(client, opendata_dir):
    bauen("tandems")
    erste = client.get("/opendaten/tandems.csv")
    assert erste.status_code == 200
    _inhalt(erste)
    assert client.get("/opendaten/tandems.csv", HTTP_IF_NONE_MATCH=erste["ETag"]).status_code == 304
    assert client.get("/opendaten/tandems.csv", HTTP_IF_MODIFIED_SINCE=erste["Last-Modified"]).status_code == 304
    assert client.head("/opendaten/tandems.csv").status_code == 200


def test_fehlende_datei_wird_beim_abruf_gebaut(client, opendata_dir):
    assert datei("labore", "csv") is None
    antwort = client.get("/opendaten/labore.csv")
    assert antwort.status_code == 200
    assert len(_csv(_inhalt(antwort))) == 23  # header + 22 Labore
    assert datei("labore", "xlsx") is not None


@pytest.mark.parametrize(
    ("pfad", "text"),
    [
        ("/opendaten/gibtsnicht.csv", "keinen Datensatz „gibtsnicht“"),
        ("/opendaten/leistungen.pdf", "Format „pdf“ gibt es nicht"),
        ("/opendaten/leistungen", "Diese Seite gibt es nicht"),
    ],
)
def test_unbekannt_ist_404_mit_deutscher_meldung(client, opendata_dir, pfad, text):
    antwort = client.get(pfad)
    assert antwort.status_code == 404
    assert text in antwort.content.decode()


def test_post_ist_nicht_erlaubt(client, opendata_dir):
    assert client.post("/opendaten/leistungen.csv").status_code == 405


def test_uebersicht_ohne_datenbankabfrage(client, opendata_dir, django_assert_num_queries):
    bauen("labore")
    with django_assert_num_queries(0):
        antwort = client.get("/opendaten/")
    html = antwort.content.decode()
    assert antwort.status_code == 200
    assert "<h1" in html and "Offene Daten" in html
    for name in alle():
        assert f'href="/opendaten/{name}.csv"' in html
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in html
    assert "MIT-Lizenz" in html
    assert "wird beim ersten Abruf erzeugt" in html  # not built yet: leistungen
    assert "<caption>" in html


def test_aenderung_baut_datei_nach_commit_neu(settings, opendata_dir, inline, django_capture_on_commit_callbacks):
    settings.OPENDATA_AUTOMATISCH = True
    settings.OPENDATA_ENTPRELLEN_SEKUNDEN = 0
    bauen("phasenstatus")
    vorher = (opendata_dir / "phasenstatus.csv").read_bytes()
    themenfeld = Themenfeld.objects.get(slug="familie-kind")
    with django_capture_on_commit_callbacks(execute=True):
        PhasenStatus.objects.create(
            themenfeld=themenfeld, phase="analyse", status="abgeschlossen", stand=date(2030, 1, 2)
        )
        PhasenStatus.objects.create(themenfeld=themenfeld, phase="konzeption", status="laufend", stand=date(2030, 1, 2))
    nachher = (opendata_dir / "phasenstatus.csv").read_bytes()
    assert nachher != vorher
    assert "2030-01-02" in nachher.decode("utf-8-sig")
    assert datei("leistungen", "csv") is None  # only affected datasets are rebuilt
    # The demand is recorded and settled: done up to the last entry, nothing waiting.
    demand = Neubauauftrag.objects.get(schluessel=auftrag("phasenstatus"))
    assert demand.erledigt_bis == demand.gewuenscht_bis > 0 and demand.eingereiht_am is None


def test_automatik_abschaltbar(settings, opendata_dir, inline, django_capture_on_commit_callbacks):
    settings.OPENDATA_AUTOMATISCH = False
    with django_capture_on_commit_callbacks(execute=True):
        PhasenStatus.objects.create(
            themenfeld=Themenfeld.objects.first(), phase="analyse", status="laufend", stand=date(2030, 1, 3)
        )
    assert datei("phasenstatus", "csv") is None


def test_bericht_datensatz_folgt_dem_aktuellen_lauf(opendata_dir, inline, settings):
    from berichte.services.bauen import bauen as bericht_bauen

    bericht_bauen("beteiligung", ausloeser="manuell", erzwingen=True)
    bauen("bericht-beteiligung")
    zeilen = _csv((opendata_dir / "bericht-beteiligung.csv").read_bytes())
    assert len(zeilen) == 2
    assert "54" in ";".join(zeilen[1])
