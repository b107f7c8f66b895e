"""The Gemeindeverzeichnis import: counts, spot values, hierarchy, idempotence, atomicity, clear errors."""

from decimal import Decimal

from django.core.management import CommandError, call_command

import pytest

from catalog.choices import Ebene, Textkennzeichen
from catalog.importers.quellen import import_gemeindeverzeichnis
from catalog.models import Gebietskoerperschaft as G
from core.importers import ImportFehler, Zaehler

pytestmark = pytest.mark.django_db


def test_counts_per_level_match_destatis():
    counts = {e: G.objects.filter(ebene=e).count() for e in Ebene}
    assert counts == {
        Ebene.LAND: 16,
        Ebene.REGIERUNGSBEZIRK: 29,
        Ebene.REGION: 12,
        Ebene.KREIS: 401,
        Ebene.GEMEINDEVERBAND: 4606,
        Ebene.GEMEINDE: 11004,
    }
    assert G.objects.filter(textkennzeichen=Textkennzeichen.AMT).count() == 210
    assert G.objects.filter(textkennzeichen=Textkennzeichen.VERBANDSFREIE_GEMEINDE).count() == 3396


def test_amt_itzehoe_land_with_its_gemeinden_in_kreis_steinburg():
    amt = G.objects.get(name="Itzehoe-Land")
    assert amt.ebene == Ebene.GEMEINDEVERBAND
    assert amt.textkennzeichen == Textkennzeichen.AMT
    assert amt.ars == "010615138"
    assert amt.parent.name == "Steinburg"
    assert amt.kreis.name == "Steinburg" and amt.kreis.textkennzeichen == Textkennzeichen.KREIS
    assert amt.land.name == "Schleswig-Holstein" and amt.land_kuerzel == "SH"
    gemeinden = G.objects.filter(parent=amt)
    assert gemeinden.count() > 10
    assert all(g.ebene == Ebene.GEMEINDE and g.kreis_id == amt.kreis_id for g in gemeinden)
    assert all(g.ars.startswith("010615138") and g.ags == "01061" + g.ars[9:] for g in gemeinden)


def test_messy_numbers_are_parsed():
    flensburg = G.objects.get(ags="01001000")
    assert flensburg.einwohner == 90164
    assert flensburg.flaeche == Decimal("53.02")
    assert flensburg.laengengrad == Decimal("9.437510")
    assert flensburg.breitengrad == Decimal("54.782520")
    assert flensburg.plz == "24937"
    assert flensburg.parent.ebene == Ebene.GEMEINDEVERBAND


def test_stadtstaaten_and_areas_outside_kreise():
    berlin = G.objects.get(ags="11000000")
    assert berlin.einwohner == 3669491
    assert berlin.land.ars == "11"
    kuestengewaesser = G.objects.get(ars="130009999", ebene=Ebene.GEMEINDEVERBAND)
    assert kuestengewaesser.parent.ars == "13"
    assert kuestengewaesser.kreis is None
    # Uninhabited gemeindefreie Gebiete have no population in the source, and "0,0" is no coordinate.
    luxemburg = G.objects.get(ars="070009999999")
    assert luxemburg.laengengrad is None


def test_kreis_parent_is_regierungsbezirk_where_one_exists():
    assert G.objects.get(ars="05111").parent.ars == "051"  # Düsseldorf, Reg.-Bez. Düsseldorf
    assert G.objects.get(ars="01061").parent.ars == "01"  # Steinburg: SH has no Regierungsbezirke


def test_second_import_changes_nothing(settings):
    zaehler = Zaehler()
    import_gemeindeverzeichnis(settings.FIXTURES_DIR / "gemeindeverzeichnis" / "gv-auszug-q4.csv", zaehler)
    assert not zaehler.geaendert
    assert zaehler[("Gebietskörperschaften", "unverändert")] == 16068


def test_changed_row_is_updated_and_reported(fixtures_copy):
    datei = fixtures_copy / "gemeindeverzeichnis" / "gv-auszug-q4.csv"
    text = datei.read_text(encoding="utf-8-sig").replace(
        '"Flensburg, Stadt", 53.02, 90 164', '"Flensburg, Stadt", 53.02, 90 165'
    )
    datei.write_text(text, encoding="utf-8")
    zaehler = Zaehler()
    import_gemeindeverzeichnis(datei, zaehler)
    assert zaehler[("Gebietskörperschaften", "geändert")] == 1
    assert G.objects.get(ags="01001000").einwohner == 90165


def test_broken_file_changes_nothing_and_names_line_column_value(fixtures_copy):
    datei = fixtures_copy / "gemeindeverzeichnis" / "gv-auszug-q4.csv"
    zeilen = datei.read_text(encoding="utf-8-sig").splitlines()
    # Line 5 (Gemeinde Flensburg) gets a broken population, line 3 (Kreis Flensburg) a three-digit Kreis key;
    # a valid change on line 1136 must not be written either.
    zeilen[4] = zeilen[4].replace("90 164", "9O 164")
    zeilen[2] = zeilen[2].replace("40,41,01,0,01,", "40,41,01,0,011,", 1)
    zeilen[1135] = zeilen[1135].replace("Itzehoe-Land", "Itzehoe-Land (geändert)")
    datei.write_text("\n".join(zeilen), encoding="utf-8")
    vorher = list(G.objects.order_by("pk").values_list("pk", "name", "einwohner"))

    with pytest.raises(CommandError) as info:
        call_command("import_gemeindeverzeichnis", datei=datei, stdout=open("/dev/null", "w"))  # noqa: SIM115

    meldung = str(info.value)
    assert "gv-auszug-q4.csv, Zeile 5, Spalte „bevoelkerung“, Wert „ 9O 164“: keine gültige Zahl" in meldung
    assert "Zeile 3, Spalte „kreis“, Wert „011“: erwartet 2 Ziffer(n)" in meldung
    assert "nichts wurde geändert" in meldung
    assert list(G.objects.order_by("pk").values_list("pk", "name", "einwohner")) == vorher


@pytest.mark.parametrize(
    ("inhalt", "erwartet"),
    [
        ("", "Datei ist leer"),
        ("satzart,land\n10,01\n", "Spalten fehlen in der Kopfzeile"),
    ],
)
def test_unusable_files_are_rejected(tmp_path, inhalt, erwartet):
    datei = tmp_path / "gv.csv"
    datei.write_text(inhalt, encoding="utf-8")
    with pytest.raises(ImportFehler, match=erwartet):
        import_gemeindeverzeichnis(datei, Zaehler())


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ImportFehler, match="Datei nicht lesbar"):
        import_gemeindeverzeichnis(tmp_path / "fehlt.csv", Zaehler())


def test_not_utf8_is_reported(tmp_path):
    datei = tmp_path / "gv.csv"
    datei.write_bytes("satzart\n10\nSchleswig-Holstein \xfc\n".encode("latin-1"))
    with pytest.raises(ImportFehler, match="keine gültige UTF-8-Datei"):
        import_gemeindeverzeichnis(datei, Zaehler())
