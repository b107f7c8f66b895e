"""The one tabular writer (core.exports): two named CSV dialects, each caller on the one its readers need.

Every CSV of the portal is checked at its first bytes: German Excel (``;`` + BOM) where people download, RFC 4180
(``,``, no BOM) where machines read the API. The streamed writer leaves in pieces and holds no list.
"""

import csv
import io

from django.contrib.auth.models import User
from django.urls import reverse

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from berichte.choices import Ausloeser, Berichtsart
from berichte.services.bauen import bauen as bericht_bauen
from catalog.models import Zustaendigkeit
from core.exports import (
    DEUTSCHES_EXCEL,
    RFC_4180,
    STUECK_ZEILEN,
    csv_bytes,
    csv_response,
    csv_stuecke,
    xlsx_bytes,
)

BOM = "\ufeff".encode()


def _inhalt(antwort) -> bytes:
    assert antwort.status_code == 200, antwort
    return b"".join(antwort.streaming_content) if antwort.streaming else antwort.content


def _ist_deutsches_excel(inhalt: bytes, erste_spalten: list[str]):
    assert inhalt.startswith(BOM), inhalt[:40]
    kopf = next(csv.reader(io.StringIO(inhalt.decode("utf-8-sig")), delimiter=";"))
    assert kopf[: len(erste_spalten)] == erste_spalten, kopf
    assert b"\r\n" in inhalt


def _ist_rfc_4180(inhalt: bytes, erste_spalten: list[str]):
    assert not inhalt.startswith(BOM), inhalt[:40]
    kopf = next(csv.reader(io.StringIO(inhalt.decode("utf-8"))))
    assert kopf[: len(erste_spalten)] == erste_spalten, kopf
    assert b"\r\n" in inhalt


def test_the_two_dialects_byte_for_byte():
    zeilen = [["Elterngeld", "a;b", 'sagt "ja"', None, 3]]
    assert csv_bytes(["x", "y", "z", "leer", "n"], zeilen, DEUTSCHES_EXCEL) == (
        '\ufeffx;y;z;leer;n\r\nElterngeld;"a;b";"sagt ""ja""";;3\r\n'.encode()
    )
    assert csv_bytes(["x", "y", "z", "leer", "n"], zeilen, RFC_4180) == (
        b'x,y,z,leer,n\r\nElterngeld,a;b,"sagt ""ja""",,3\r\n'
    )
    assert DEUTSCHES_EXCEL.name.startswith("deutsches Excel") and RFC_4180.name.startswith("RFC 4180")


def test_streamed_csv_leaves_in_pieces_from_an_iterator():
    gelesen = []

    def zeilen():
        for nummer in range(2 * STUECK_ZEILEN + 1):
            gelesen.append(nummer)
            yield [f"synthetisch-{nummer}"]

    stuecke = csv_stuecke(["name"], zeilen(), RFC_4180)
    erstes = next(stuecke)
    # The first piece left before the iterator was read to its end: nothing held as a whole list.
    assert len(gelesen) == STUECK_ZEILEN and erstes.count(b"\r\n") == 1 + STUECK_ZEILEN
    rest = list(stuecke)
    assert len(rest) == 2 and b"".join([erstes, *rest]).count(b"\r\n") == 1 + 2 * STUECK_ZEILEN + 1
    antwort = csv_response("synthetisch.csv", ["name"], iter([["a"]]), DEUTSCHES_EXCEL, stream=True)
    assert antwort.streaming and antwort["Content-Disposition"] == 'attachment; filename="synthetisch.csv"'


def test_xlsx_further_sheets_and_local_time():
    from datetime import UTC, datetime

    inhalt = xlsx_bytes(["wann"], [[datetime(2026, 1, 1, 12, tzinfo=UTC)]], "Daten", {"Herkunft": [["a", "=1"]]})
    mappe = load_workbook(io.BytesIO(inhalt))
    assert mappe.sheetnames == ["Daten", "Herkunft"]
    assert mappe["Daten"]["A1"].font.bold and mappe["Daten"]["A2"].value == datetime(2026, 1, 1, 13)  # Berlin
    assert mappe["Herkunft"]["B1"].value == "'=1" and mappe["Herkunft"]["B1"].data_type != "f"


@pytest.mark.django_db
def test_page_downloads_are_german_excel(client):
    _ist_deutsches_excel(_inhalt(client.get(reverse("kommune_csv", args=["01061046"]))), ["OZG-ID"])
    vorlage = client.get(reverse("zustaendigkeit_vorlage", args=["01"]))
    _ist_deutsches_excel(_inhalt(vorlage), ["land"])


@pytest.mark.django_db
def test_api_lists_and_details_are_rfc_4180():
    api = APIClient()
    _ist_rfc_4180(_inhalt(api.get("/api/v1/leistungen/?themenfeld=familie-kind&format=csv")), ["ozg_id"])
    _ist_rfc_4180(_inhalt(api.get("/api/v1/leistungen/10000/?format=csv")), ["ozg_id"])


@pytest.mark.django_db
def test_reports_german_excel_on_the_page_rfc_4180_in_the_api(client):
    bericht_bauen(Berichtsart.BETEILIGUNG, ausloeser=Ausloeser.BEFEHL, erzwingen=True)
    seite = client.get(reverse("berichte:download-csv", args=["beteiligung"]))
    assert seite["X-Berichtslauf"]
    _ist_deutsches_excel(_inhalt(seite), ["Kommunen"])
    api = client.get("/api/v1/berichte/beteiligung/?format=csv")
    _ist_rfc_4180(_inhalt(api), ["Kommunen"])
    assert api["X-Berichtslauf"] == seite["X-Berichtslauf"]


@pytest.mark.django_db
def test_open_data_csv_is_german_excel(settings, tmp_path):
    from opendata import bauen

    settings.OPENDATA_DIR = tmp_path
    bauen.bauen("zustaendigkeiten")
    assert bauen.lesen("zustaendigkeiten", "csv").startswith(BOM)
    _ist_deutsches_excel(bauen.lesen("zustaendigkeiten", "csv"), [])


@pytest.mark.django_db
def test_admin_export_in_import_format_is_german_excel(client, elterngeld, land_sh):
    zeile = Zustaendigkeit.objects.create(land=land_sh, leistung=elterngeld, ebene="kreis", bemerkung="synthetisch")
    client.force_login(User.objects.create_superuser("chef-export", "c@example.org", "Lange-Sichere-Passphrase-2024"))
    antwort = client.post(
        "/admin/catalog/zustaendigkeit/", {"action": "als_csv_exportieren", "_selected_action": [zeile.pk]}
    )
    _ist_deutsches_excel(_inhalt(antwort), ["land", "ozg_id", "leika_schluessel", "ebene"])
    assert "synthetisch" in _inhalt(antwort).decode("utf-8-sig")


@pytest.mark.django_db
def test_federal_dashboard_file_is_german_excel(client):
    antwort = client.get("/api/dashboard/v1/data/010510044044?filetype=csv")
    assert antwort["Content-Type"] == "application/octet-stream"
    _ist_deutsches_excel(_inhalt(antwort), ["leika_key", "leika_name", "ars"])
