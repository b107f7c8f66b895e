"""The OZG-Umsetzungskatalog import: counts, spot values, Typisierung kept as written, errors, idempotence."""

from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

import pytest

from catalog.choices import Vollzug
from catalog.importers.quellen import import_katalog
from catalog.models import Lage, LeikaLeistung, Leistung, Themenfeld
from core.importers import Zaehler

pytestmark = pytest.mark.django_db

OFFIZIELLE_THEMENFELDER = {
    "Arbeit & Ruhestand",
    "Bauen & Wohnen",
    "Bildung",
    "Ein- & Auswanderung",
    "Engagement & Hobby",
    "Familie & Kind",
    "Forschung & Förderung",
    "Gesundheit",
    "Mobilität & Reisen",
    "Querschnitt",
    "Recht & Ordnung",
    "Steuern & Zoll",
    "Umwelt",
    "Unternehmensführung & -entwicklung",
}


def test_counts():
    assert set(Themenfeld.objects.values_list("name", flat=True)) == OFFIZIELLE_THEMENFELDER
    assert Lage.objects.count() == 55
    assert Leistung.objects.count() == 557
    assert LeikaLeistung.objects.count() == 5249
    assert LeikaLeistung.objects.filter(leistung__isnull=True).count() == 26
    assert LeikaLeistung.objects.filter(schluessel="").count() == 436


def test_elterngeld_in_lage_geburt_of_familie_und_kind(elterngeld):
    assert elterngeld.name == "Elterngeld"
    assert elterngeld.lage.name == "Geburt"
    assert elterngeld.lage.themenfeld.name == "Familie & Kind"
    assert elterngeld.lage.themenfeld.slug == "familie-kind"
    leika = elterngeld.leika_leistungen.get(schluessel="99041006000000")
    assert leika.bezeichnung == "Elterngeld"
    assert leika.typisierung == "2/3"
    assert leika.vollzug == Vollzug.LAND_ODER_KOMMUNE
    assert leika.sdg1 is True and leika.sdg2 is False
    assert "gesetze-im-internet.de/beeg" in leika.rechtsgrundlage
    assert elterngeld.vollzug == Vollzug.LAND_ODER_KOMMUNE


def test_slugs_transliterate_umlauts():
    assert Themenfeld.objects.get(name="Forschung & Förderung").slug == "forschung-foerderung"
    assert Themenfeld.objects.get(name="Unternehmensführung & -entwicklung").slug == "unternehmensfuehrung-entwicklung"


def test_mixed_typisierung_is_kept_as_written():
    gemischt = LeikaLeistung.objects.filter(typisierung="1, 2/3")
    assert gemischt.count() == 20
    assert set(gemischt.values_list("vollzug", flat=True)) == {Vollzug.GEMISCHT}
    assert LeikaLeistung.objects.filter(typisierung="").count() == 8
    assert LeikaLeistung.objects.filter(typisierung="6", vollzug=Vollzug.KEINE_LEISTUNG).count() == 5


def test_leistung_vollzug_aggregates_its_leika_rows():
    # Every OZG-Leistung whose LeiKa rows all say Typ 1 is executed by the Bund.
    for leistung in Leistung.objects.filter(vollzug=Vollzug.BUND)[:20]:
        assert set(leistung.leika_leistungen.values_list("typisierung", flat=True)) <= {"1", "6"}
    assert Leistung.objects.filter(vollzug=Vollzug.GEMISCHT).exists()
    assert Leistung.objects.filter(vollzug=Vollzug.KOMMUNE).exists()


def test_same_leika_key_may_stand_under_another_leistung(elterngeld):
    # Unique per OZG-Leistung only: the programme bundles some LeiKa-Leistungen under several OZG-Leistungen.
    andere = Leistung.objects.get(ozg_id=10001)
    LeikaLeistung.objects.create(zeile=99999, schluessel="99041006000000", bezeichnung="Elterngeld", leistung=andere)
    with pytest.raises(IntegrityError), transaction.atomic():
        LeikaLeistung.objects.create(
            zeile=99998, schluessel="99041006000000", bezeichnung="Elterngeld", leistung=elterngeld
        )


def test_second_import_changes_nothing(settings):
    zaehler = Zaehler()
    import_katalog(settings.FIXTURES_DIR / "ozg-katalog-2019", zaehler)
    assert not zaehler.geaendert
    assert zaehler[("LeiKa-Leistungen", "unverändert")] == 5249


def test_dry_run_reports_but_writes_nothing(fixtures_copy, capsys):
    ordner = fixtures_copy / "ozg-katalog-2019"
    datei = ordner / "leistungen.csv"
    datei.write_text(datei.read_text(encoding="utf-8").replace("10000,Elterngeld,", "10000,Elterngeld neu,"))
    call_command("import_katalog", ordner=ordner, dry_run=True)
    ausgabe = capsys.readouterr().out
    assert "OZG-Leistungen: 0 neu, 1 geändert, 556 unverändert" in ausgabe
    assert "Probelauf" in ausgabe
    assert Leistung.objects.get(ozg_id=10000).name == "Elterngeld"


def test_bad_rows_are_named_and_nothing_is_written(fixtures_copy):
    ordner = fixtures_copy / "ozg-katalog-2019"
    leika = ordner / "leika.csv"
    zeilen = leika.read_text(encoding="utf-8").splitlines()
    zeilen[1] = zeilen[1].replace("99041006000000,Elterngeld,10000,2/3", "9904100600000X,Elterngeld,10000,2/7")
    zeilen[2] = zeilen[2].replace(",10000,", ",99999,")
    leika.write_text("\n".join(zeilen), encoding="utf-8")
    leistungen = ordner / "leistungen.csv"
    leistungen.write_text(leistungen.read_text(encoding="utf-8").replace("10001,", "1001,").replace("Elterngeld", "E"))
    vorher = LeikaLeistung.objects.get(zeile=2).schluessel

    with pytest.raises(CommandError) as info:
        call_command("import_katalog", ordner=ordner)

    meldung = str(info.value)
    assert (
        "leika.csv, Zeile 2, Spalte „leika_schluessel“, Wert „9904100600000X“: LeiKa-Schlüssel hat 14 Ziffern"
        in meldung
    )
    assert "leika.csv, Zeile 2, Spalte „typ“, Wert „2/7“: unbekannter Typ '2/7'" in meldung
    assert "leika.csv, Zeile 3, Spalte „ozg_id“, Wert „99999“: unbekannte OZG-ID" in meldung
    assert "leistungen.csv, Zeile 3, Spalte „ozg_id“, Wert „1001“: OZG-ID muss fünfstellig sein" in meldung
    assert LeikaLeistung.objects.get(zeile=2).schluessel == vorher
    assert Leistung.objects.get(ozg_id=10000).name == "Elterngeld"
