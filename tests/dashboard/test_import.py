"""Import of the federal dashboard format: mapping, scope, errors, idempotence, formats."""

import tracemalloc

from django.core.management import CommandError, call_command

import pytest
from openpyxl import Workbook

from catalog.choices import Anschlussstatus, UmsetzungsStatus
from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung, Umsetzungsstand
from core.importers import ImportFehler
from core.models import Aenderung
from dashboard.choices import SPALTEN
from dashboard.importers import importiere
from dashboard.models import Onlinedienst

from .conftest import KOPFZEILE, schreibe_csv, schreibe_json, zeile

HEIDE = "010510044044"  # Gemeinde Heide in Kreis Dithmarschen (01051), Land Schleswig-Holstein (01)

pytestmark = pytest.mark.django_db


def _import(pfad, **kw):
    return importiere([(pfad.name, pfad)], **kw)


def test_landesweit_is_stored_once_on_the_land(tmp_path, leika):
    schluessel, ozg = leika[0]
    url = "https://testdaten.invalid/landesdienst"
    pfad = schreibe_csv(
        tmp_path / "testdaten-land.csv", [zeile(HEIDE, schluessel, url=url), zeile("010510011011", schluessel, url=url)]
    )
    plan, ergebnis = _import(pfad)
    assert plan.zusammengefasst == 1  # the same Land row reported for two Gemeinden
    dienst = Onlinedienst.objects.get()
    assert dienst.gebiet.ars == "01" and dienst.leika.schluessel == schluessel
    stand = Umsetzungsstand.objects.get(land__ars="01", leistung__ozg_id=ozg)
    assert stand.status == UmsetzungsStatus.ONLINE and stand.online_url == dienst.url
    assert stand.history.count() == 1


def test_bundesweit_has_no_gebiet_and_sets_every_land(tmp_path, leika):
    schluessel, ozg = leika[1]
    pfad = schreibe_csv(tmp_path / "testdaten-bund.csv", [zeile(HEIDE, schluessel, art="bundesweit flächendeckend")])
    _import(pfad)
    assert Onlinedienst.objects.get().gebiet is None
    assert Umsetzungsstand.objects.filter(leistung__ozg_id=ozg, status=UmsetzungsStatus.ONLINE).count() == 16


def test_kreisweit_is_stored_on_the_kreis(tmp_path, leika):
    schluessel, ozg = leika[2]
    pfad = schreibe_csv(tmp_path / "testdaten-kreis.csv", [zeile(HEIDE, schluessel, art="kreisweit flächendeckend")])
    _import(pfad)
    assert Onlinedienst.objects.get().gebiet.ars == "01051"
    assert KommunaleUmsetzung.objects.get(leistung__ozg_id=ozg).kommune.ars == "01051"


def test_one_kommune_and_inactive_means_geplant(tmp_path, leika):
    schluessel, ozg = leika[3]
    pfad = schreibe_csv(
        tmp_path / "testdaten-kommune.csv",
        [zeile(HEIDE, schluessel, art="in mind. einer Kommune verfügbar", aktiv="nein", status="nicht ok")],
    )
    _import(pfad)
    assert Onlinedienst.objects.get().gebiet.ars == HEIDE
    umsetzung = KommunaleUmsetzung.objects.get(leistung__ozg_id=ozg)
    assert umsetzung.kommune.ars == HEIDE and umsetzung.status == Anschlussstatus.GEPLANT


def test_nicht_beruecksichtigt_keeps_the_row_but_sets_no_status(tmp_path, leika):
    schluessel, _ = leika[4]
    pfad = schreibe_csv(
        tmp_path / "testdaten-nicht.csv", [zeile(HEIDE, schluessel, art="nicht in Auswertung berücksichtigt")]
    )
    _import(pfad)
    assert Onlinedienst.objects.get().gebiet.ars == HEIDE
    assert not KommunaleUmsetzung.objects.exists() and not Umsetzungsstand.objects.exists()


@pytest.mark.parametrize("ars", ["01051", "010510000000", "01", "010000000000", "010510044", "01051044"])
def test_short_and_padded_keys(tmp_path, leika, ars):
    schluessel, _ = leika[5]
    pfad = schreibe_csv(tmp_path / "testdaten-ars.csv", [zeile(ars, schluessel, art="landesweit flächendeckend")])
    _import(pfad)
    assert Onlinedienst.objects.get().gebiet.ars == "01"


def test_ozgid_without_leika_key_sets_the_status_only(tmp_path):
    pfad = schreibe_csv(
        tmp_path / "testdaten-ozg.csv", [zeile(HEIDE, ozgid="10000", art="in mind. einer Kommune verfügbar")]
    )
    _import(pfad)
    assert not Onlinedienst.objects.exists()
    assert KommunaleUmsetzung.objects.get().status == Anschlussstatus.ANGESCHLOSSEN


def test_bad_rows_are_named_and_nothing_is_written(tmp_path, leika):
    schluessel, _ = leika[6]
    pfad = schreibe_csv(
        tmp_path / "testdaten-fehler.csv",
        [
            zeile(HEIDE, schluessel),
            zeile("019999999999", schluessel),
            zeile(HEIDE, "99999999999999"),
            zeile(HEIDE, schluessel, art="irgendwo"),
            zeile(HEIDE, leika[7][0], status="kaputt", url="ftp://x"),
            # Longer than the portal's status address (200): a named error, not a database error on PostgreSQL.
            zeile(HEIDE, leika[9][0], url="https://testdaten.invalid/" + "x" * 200),
        ],
    )
    with pytest.raises(ImportFehler) as exc:
        _import(pfad)
    bericht = str(exc.value)
    # Line numbers count the comment line and the header: the first data row is line 3.
    assert "testdaten-fehler.csv, Zeile 4, Spalte „ars“, Wert „019999999999“" in bericht
    assert "Zeile 5, Spalte „leika_key“, Wert „99999999999999“" in bericht
    assert "Zeile 6, Spalte „art_flaechendeckung“, Wert „irgendwo“" in bericht
    assert "Zeile 7, Spalte „url“" in bericht and "Zeile 7, Spalte „online_status“" in bericht
    assert "Zeile 8, Spalte „url“" in bericht and "länger als 200 Zeichen" in bericht
    assert not Onlinedienst.objects.exists() and not Umsetzungsstand.objects.exists()


def test_conflicting_duplicates_are_errors(tmp_path, leika):
    schluessel, _ = leika[8]
    pfad = schreibe_csv(
        tmp_path / "testdaten-doppelt.csv", [zeile(HEIDE, schluessel), zeile(HEIDE, schluessel, aktiv="nein")]
    )
    with pytest.raises(ImportFehler, match="Zeile 4: widerspricht Zeile 3"):
        _import(pfad)


def test_second_run_changes_nothing_and_dry_run_writes_nothing(tmp_path, leika):
    zeilen = [zeile(HEIDE, k, art="in mind. einer Kommune verfügbar") for k, _ in leika[:20]]
    pfad = schreibe_csv(tmp_path / "testdaten-zweimal.csv", zeilen, trenner=",")
    _, probe = _import(pfad, dry_run=True)
    assert probe.geaendert and not Onlinedienst.objects.exists()
    _, erster = _import(pfad)
    assert erster.geaendert and Onlinedienst.objects.count() == 20
    historie = Onlinedienst.history.count()
    _, zweiter = _import(pfad)
    assert not zweiter.geaendert
    assert Onlinedienst.history.count() == historie


def test_xlsx_and_json_pages(tmp_path, leika):
    buch = Workbook()
    blatt = buch.active
    blatt.append(SPALTEN)
    z = zeile(HEIDE, leika[9][0], art="kreisweit flächendeckend")
    blatt.append([z.get(s, "") for s in SPALTEN])
    buch.save(tmp_path / "testdaten.xlsx")
    json_pfad = schreibe_json(tmp_path / "testdaten.json", [zeile(HEIDE, leika[10][0], ozgid=leika[10][1])])
    importiere([("testdaten.xlsx", tmp_path / "testdaten.xlsx"), ("testdaten.json", json_pfad)])
    assert {d.gebiet.ars for d in Onlinedienst.objects.all()} == {"01051", "01"}


def test_broken_row_at_the_end_of_a_20_mb_file(tmp_path, leika):
    """A large file is streamed: memory stays far below its size; one bad last row writes nothing."""
    gemeinden = list(Gebietskoerperschaft.objects.filter(ebene="gemeinde").values_list("ars", flat=True)[:400])
    pfad = tmp_path / "testdaten-gross.csv"
    with pfad.open("w", encoding="utf-8") as f:
        f.write(KOPFZEILE + "\n" + ";".join(SPALTEN) + "\n")
        n = 0
        while f.tell() < 20 * 1024 * 1024:
            ars = gemeinden[n % len(gemeinden)]
            schluessel, ozg = leika[(n // len(gemeinden)) % len(leika)]
            f.write(
                f"{schluessel};Testdaten Leistungsname mit etwas Länge;{ars};Testgemeinde;01;Testland;"
                f"Testbezeichnung;{ozg};Testleistung;https://testdaten.invalid/{n};ok;ja;"
                "in mind. einer Kommune verfügbar\n"
            )
            n += 1
        f.write(
            f"{leika[0][0]};x;{gemeinden[0]};;;;;;;https://testdaten.invalid/x;kaputt;ja;bundesweit flächendeckend\n"
        )
    tracemalloc.start()
    try:
        with pytest.raises(ImportFehler) as exc:
            _import(pfad)
        _, spitze = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert f"Zeile {n + 3}, Spalte „online_status“, Wert „kaputt“" in str(exc.value)
    assert not Onlinedienst.objects.exists() and not KommunaleUmsetzung.objects.exists()
    assert n > 80_000
    assert spitze < 90 * 1024 * 1024, f"{spitze / 2**20:.0f} MiB for a 20 MiB file"


def test_command_reports_and_fails_clearly(tmp_path, leika, capsys):
    pfad = schreibe_csv(tmp_path / "testdaten-befehl.csv", [zeile(HEIDE, leika[11][0])])
    call_command("import_dashboard", str(pfad))
    assert "1 neu" in capsys.readouterr().out
    with pytest.raises(CommandError, match="nicht gefunden"):
        call_command("import_dashboard", str(tmp_path / "testdaten-fehlt.csv"))


def test_history_and_change_log_for_changed_rows_only(tmp_path, leika):
    """Each new or changed row gets one history row and one change-log entry naming it; unchanged rows none."""
    zeilen = [zeile(HEIDE, k, art="in mind. einer Kommune verfügbar") for k, _ in leika[:5]]
    pfad = schreibe_csv(tmp_path / "testdaten-protokoll.csv", zeilen)
    vorher = Aenderung.objects.count()
    _import(pfad)
    eintraege = Aenderung.objects.filter(id__gt=vorher, modell="dashboard.Onlinedienst")
    assert eintraege.count() == 5 and {e.aktion for e in eintraege} == {Aenderung.Aktion.ANGELEGT}
    for e in eintraege:
        dienst = Onlinedienst.objects.get(pk=e.objekt_id)
        assert e.historie_id == dienst.history.get().history_id and e.gebiet_ars == HEIDE
        assert e.nachher["url"] == dienst.url
    assert Aenderung.objects.filter(id__gt=vorher, modell="catalog.KommunaleUmsetzung").count() == len(
        {o for _, o in leika[:5]}
    )
    zeilen[2]["url"] = "https://testdaten.invalid/geaendert"
    schreibe_csv(pfad, zeilen)
    mitte = Aenderung.objects.order_by("-id").values_list("id", flat=True).first()
    _, ergebnis = _import(pfad)
    geaendert = Aenderung.objects.filter(id__gt=mitte, modell="dashboard.Onlinedienst").get()
    assert geaendert.aktion == Aenderung.Aktion.GEAENDERT and geaendert.nachher["url"].endswith("/geaendert")
    dienst = Onlinedienst.objects.get(pk=geaendert.objekt_id)
    assert dienst.history.count() == 2 and dienst.history.first().history_type == "~"
    assert ergebnis.zahlen[str(Onlinedienst._meta.verbose_name_plural)] == {"neu": 0, "geändert": 1, "unverändert": 4}
