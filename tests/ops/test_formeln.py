"""Attack test: editor text that a spreadsheet would run as a formula comes out inert in every CSV/XLSX we write.

A Bemerkung ``=cmd|' /C calc'!A0`` is written through the API renderers, the admin's export in the import format,
the open-data files and the page writer; each file is read back with csv/openpyxl as a spreadsheet would see it.
"""

import csv
import io

from django.contrib.auth.models import User

import pytest
from openpyxl import load_workbook

from catalog.models import Gebietskoerperschaft, Zustaendigkeit
from core.exports import DEUTSCHES_EXCEL, RFC_4180, csv_bytes, entschaerfen, xlsx_bytes, zurueck_entschaerfen

BOESE = "=cmd|' /C calc'!A0"
ENTSCHAERFT = "'" + BOESE


@pytest.fixture
def boese(db, elterngeld):
    sh = Gebietskoerperschaft.objects.get(ars="01")
    return Zustaendigkeit.objects.create(land=sh, leistung=elterngeld, ebene="kreis", bemerkung=BOESE)


def _csv_zellen(inhalt: bytes) -> list[str]:
    text = inhalt.decode("utf-8-sig")
    trenner = ";" if text.split("\n", 1)[0].count(";") else ","
    return [zelle for zeile in csv.reader(io.StringIO(text), delimiter=trenner) for zelle in zeile]


def _xlsx_zellen(inhalt: bytes):
    mappe = load_workbook(io.BytesIO(inhalt))
    return [zelle for blatt in mappe.worksheets for zeile in blatt.iter_rows() for zelle in zeile]


def _pruefen(csv_inhalt: bytes, xlsx_inhalt: bytes):
    zellen = _csv_zellen(csv_inhalt)
    assert ENTSCHAERFT in zellen and BOESE not in zellen
    assert not [z for z in zellen if z.startswith(("=", "+", "@"))]
    xlsx = _xlsx_zellen(xlsx_inhalt)
    assert not [z.coordinate for z in xlsx if z.data_type == "f"], "keine Formelzelle"
    assert ENTSCHAERFT in [z.value for z in xlsx]


def test_api_csv_and_xlsx(client, boese, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/min"}}
    url = "/api/v1/zustaendigkeiten/?land=01&format="
    _pruefen(b"".join(client.get(url + "csv").streaming_content), client.get(url + "xlsx").content)


def test_admin_export_in_import_format_and_back(client, boese):
    chef = User.objects.create_superuser("chef-formel", "c@example.org", "Lange-Sichere-Passphrase-2024")
    client.force_login(chef)
    inhalte = [
        client.post(
            "/admin/catalog/zustaendigkeit/", {"action": f"als_{art}_exportieren", "_selected_action": [boese.pk]}
        ).content
        for art in ("csv", "xlsx")
    ]
    _pruefen(*inhalte)
    # The portal's own export re-imports unchanged: the prefix is taken off again.
    from core.importers import lese_tabelle

    for name, inhalt in zip(("z.csv", "z.xlsx"), inhalte, strict=True):
        zeilen = lese_tabelle(name, inhalt, ["bemerkung"], [])
        assert zeilen[0][1]["bemerkung"] == BOESE


def test_open_data_files(boese, settings, tmp_path):
    from opendata import bauen

    settings.OPENDATA_DIR = tmp_path
    bauen.bauen("zustaendigkeiten")
    _pruefen(bauen.lesen("zustaendigkeiten", "csv"), bauen.lesen("zustaendigkeiten", "xlsx"))


@pytest.mark.parametrize("dialect", [DEUTSCHES_EXCEL, RFC_4180], ids=lambda d: d.delimiter)
def test_writer_defuses_every_formula_start_in_both_dialects(dialect):
    werte = ["=1+1", "+49 30 1234", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "ok", 5, -3, None]
    _pruefen(csv_bytes(["Spalte"], [[BOESE]], dialect), xlsx_bytes(["Spalte"], [[BOESE]]))
    zellen = _csv_zellen(csv_bytes(["a"] * len(werte), [werte], dialect))[len(werte) :]
    assert zellen == ["'=1+1", "'+49 30 1234", "'-2+3", "'@SUM(A1)", "'\t=1", "'\r=1", "ok", "5", "-3", ""]
    assert all(zurueck_entschaerfen(entschaerfen(w)) == w for w in werte if isinstance(w, str))
