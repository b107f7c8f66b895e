"""The synthetisch flag marks load-test rows; nobody can set or clear it through the admin or the API, and every
place outside the Kommune pages that shows such rows flags them: API list, detail and export, the admin list and
its export, the reports and their open-data files (CSV, JSON, XLSX)."""

import csv
import datetime
import io
import json

from django.contrib.auth.models import User
from django.core.management import call_command

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from berichte.choices import Ausloeser, Berichtsart
from berichte.services.bauen import bauen as bericht_bauen
from catalog.importers.formate import FORMATE
from catalog.importers.verwaltung import plane_import
from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung
from core.importers import lese_tabelle
from redaktion.models import ApiSchluessel

pytestmark = pytest.mark.django_db


@pytest.fixture
def zeile(elterngeld):
    kiel = Gebietskoerperschaft.objects.get(ags="01002000")
    return KommunaleUmsetzung.objects.create(
        kommune=kiel, leistung=elterngeld, status="geplant", stand=datetime.date(2024, 5, 1), synthetisch=True
    )


def test_api_shows_the_flag_but_ignores_writes_to_it(zeile, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}
    _, geheimnis = ApiSchluessel.objects.create_key(name="Test", recht="schreiben")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {geheimnis}")
    url = f"/api/v1/kommunale-umsetzung/{zeile.kommune.ars}.10000/"
    assert client.get(url).json()["synthetisch"] is True
    assert client.patch(url, {"synthetisch": False, "status": "angeschlossen"}, format="json").status_code == 200
    zeile.refresh_from_db()
    assert zeile.synthetisch is True and zeile.status == "angeschlossen"


def test_admin_shows_the_flag_read_only(client, zeile):
    chef = User.objects.create_superuser("chef-synth", "c@example.org", "Lange-Sichere-Passphrase-2024")
    client.force_login(chef)
    seite = client.get(f"/admin/catalog/kommunaleumsetzung/{zeile.pk}/change/").content.decode()
    assert 'name="synthetisch"' not in seite and "synthetisch" in seite


# --- Flagged wherever they appear outside the Kommune pages (issue 13) ------------------------------------------
def test_api_list_detail_and_export_carry_the_flag(zeile, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}
    api = APIClient()
    liste = api.get("/api/v1/kommunale-umsetzung/", {"synthetisch": "true"}).json()
    assert [(z["schluessel"], z["synthetisch"]) for z in liste["results"]] == [(f"{zeile.kommune.ars}.10000", True)]
    assert api.get("/api/v1/kommunale-umsetzung/", {"synthetisch": "false"}).json()["count"] == 0
    antwort = api.get("/api/v1/kommunale-umsetzung/", {"format": "csv"})
    zeilen = list(csv.DictReader(io.StringIO(b"".join(antwort.streaming_content).decode())))
    assert [z["synthetisch"] for z in zeilen] == ["True"]


def test_admin_export_flags_the_row_and_the_import_ignores_the_flag(client, zeile):
    chef = User.objects.create_superuser("chef-synth-export", "c@example.org", "Lange-Sichere-Passphrase-2024")
    client.force_login(chef)
    for art in ("csv", "xlsx"):
        inhalt = client.post(
            "/admin/catalog/kommunaleumsetzung/",
            {"action": f"als_{art}_exportieren", "_selected_action": [zeile.pk]},
        ).content
        zeilen = lese_tabelle(f"k.{art}", inhalt, ["synthetisch"], fehler := [])
        assert not fehler and [z["synthetisch"] for _, z in zeilen] == ["ja"]
        # Export → import changes nothing: the flag column is not read, the row stays synthetic.
        plan, fehler = plane_import(FORMATE[KommunaleUmsetzung], chef, f"k.{art}", inhalt)
        assert not fehler and [z.art for z in plan] == ["unverändert"]
    zeile.refresh_from_db()
    assert zeile.synthetisch is True


def test_open_data_report_tables_count_synthetic_rows_in_every_format(settings, tmp_path):
    from opendata import bauen

    settings.OPENDATA_DIR = tmp_path
    call_command("generate_synthetic", gemeinden=3, leistungen=2, stdout=io.StringIO())
    bericht_bauen(Berichtsart.UMSETZUNGSSTAND, ausloeser=Ausloeser.BEFEHL, erzwingen=True)
    for tabelle in ("umsetzung-kommunen", "umsetzung-kreise", "umsetzung-laender"):
        name = f"bericht-{tabelle}"
        bauen.bauen(name)
        gelesen = list(csv.DictReader(io.StringIO(bauen.lesen(name, "csv").decode("utf-8-sig")), delimiter=";"))
        assert sum(int(z["davon synthetisch"]) for z in gelesen) == 6, tabelle
        daten = json.loads(bauen.lesen(name, "json"))["daten"]
        assert sum(z["kommunal_synthetisch"] for z in daten) == 6, tabelle
        blatt = load_workbook(io.BytesIO(bauen.lesen(name, "xlsx"))).worksheets[0]
        kopf = [zelle.value for zelle in blatt[1]]
        spalte = kopf.index("davon synthetisch")
        assert sum(zeile[spalte] or 0 for zeile in blatt.iter_rows(min_row=2, values_only=True)) == 6, tabelle
