"""CSV and XLSX of every list: the whole filtered list, nested summaries as dotted columns."""

import csv
import io

import openpyxl
import pytest

from catalog.models import Gebietskoerperschaft, Leistung

pytestmark = pytest.mark.django_db


def _csv(antwort):
    # Whole-list exports are streamed (core.api.exports).
    inhalt = b"".join(antwort.streaming_content) if antwort.streaming else antwort.content
    return list(csv.DictReader(io.StringIO(inhalt.decode("utf-8"))))


def test_csv_of_a_filtered_list_holds_every_row(api):
    antwort = api.get("/api/v1/leistungen/?themenfeld=familie-kind&format=csv")
    assert antwort.status_code == 200 and antwort["Content-Type"].startswith("text/csv")
    assert 'filename="leistung.csv"' in antwort["Content-Disposition"]
    zeilen = _csv(antwort)
    assert len(zeilen) == Leistung.objects.filter(lage__themenfeld__slug="familie-kind").count() > 20
    elterngeld = next(z for z in zeilen if z["ozg_id"] == "10000")
    assert elterngeld["lage.slug"] == "geburt" and elterngeld["themenfeld.name"] == "Familie & Kind"
    assert "99041006000000" in elterngeld["leika_schluessel"].split("; ")


def test_csv_of_a_cursor_list_is_not_cut_to_a_page(api):
    zeilen = _csv(api.get("/api/v1/kommunen/?ebene=kreis&format=csv"))
    assert len(zeilen) == Gebietskoerperschaft.objects.filter(ebene="kreis").count() == 401


def test_csv_of_a_kommune_s_leistungen(api):
    zeilen = _csv(api.get("/api/v1/kommunen/01061/leistungen/?format=csv"))
    assert len(zeilen) == 557 and {z["ars"] for z in zeilen} == {"01061"}
    assert {"ozg_id", "ebene", "land_status", "kommune_status", "leika_schluessel"} <= set(zeilen[0])


def test_csv_of_an_empty_list_has_a_header(api):
    antwort = api.get("/api/v1/umsetzungsstand/?format=csv")
    kopf = b"".join(antwort.streaming_content).decode().splitlines()[0].split(",")
    assert "leistung" in kopf and "status" in kopf


def test_xlsx(api):
    antwort = api.get("/api/v1/labore/?format=xlsx")
    assert antwort["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    blatt = openpyxl.load_workbook(io.BytesIO(antwort.content)).active
    zeilen = list(blatt.values)
    assert zeilen[0][:3] == ("slug", "titel", "themenfeld.slug")
    assert len(zeilen) == 1 + 22
