"""Digitalisierungslabore: the seed import, the pages, the API and the search, on the real data.

Rows the real data lacks (more Labore with Leistungen and Teilnehmenden) come from tests/factories.py, so the query
counts are pinned on tables that are not empty and stay the same as they grow.
"""

from django.core.management import CommandError, call_command

import pytest

from catalog.models import Gebietskoerperschaft
from core.importers import Zaehler
from labore.importers import import_labore
from labore.models import Labor, LaborTeilnahme
from labore.suche import labore as suche_labore
from tests.factories import LaborFactory, TeilnahmeFactory, leistungen
from themenfelder.models import Teilnahme

pytestmark = pytest.mark.django_db


def test_seed_import_legt_22_labore_mit_zwei_piloten_an():
    assert Labor.objects.count() == 22
    assert sorted(Labor.objects.filter(pilot=True).values_list("slug", flat=True)) == ["ummeldung", "wohngeld"]
    wohngeld = Labor.objects.get(slug="wohngeld")
    assert list(wohngeld.leistungen.values_list("ozg_id", flat=True)) == [10092]
    assert wohngeld.teilnahmen.count() == 2


def test_zweiter_seed_import_aendert_kein_labor(settings):
    zaehler = Zaehler()
    import_labore(settings.FIXTURES_DIR / "seed-2019-04-11", zaehler)
    assert not zaehler.geaendert, zaehler.zeilen()
    assert zaehler[(str(Labor._meta.verbose_name_plural), "unverändert")] == 22, zaehler.zeilen()
    assert (
        zaehler[(str(LaborTeilnahme._meta.verbose_name_plural), "unverändert")] == LaborTeilnahme.objects.count() > 0
    ), zaehler.zeilen()


def test_22_labore_with_pilots_and_leistungen():
    assert Labor.objects.count() == 22
    assert set(Labor.objects.filter(pilot=True).values_list("titel", flat=True)) == {"Ummeldung", "Wohngeld"}
    baugenehmigung = Labor.objects.get(slug="baugenehmigung")
    assert 10519 in set(baugenehmigung.leistungen.values_list("ozg_id", flat=True))
    assert baugenehmigung.themenfeld.name == "Bauen & Wohnen"
    geburt = Labor.objects.get(leistungen__ozg_id=10000)
    assert geburt.themenfeld.name == "Familie & Kind"
    # Every Labor's Leistungen belong to its own Themenfeld.
    for labor in Labor.objects.prefetch_related("leistungen__lage"):
        assert {leistung.lage.themenfeld_id for leistung in labor.leistungen.all()} <= {labor.themenfeld_id}


def test_labor_footnotes_link_participants():
    fuehrerschein = Labor.objects.get(titel="Führerschein")
    assert fuehrerschein.teilnahmen.count() == 12  # footnote 6 in the Mobilität row
    assert fuehrerschein.teilnahmen.filter(name_im_dokument="Köln").exists()


def test_unbekanntes_labor_in_teilnahmen_csv_wird_benannt_und_nichts_geschrieben(fixtures_copy):
    ordner = fixtures_copy / "seed-2019-04-11"
    teilnahmen = ordner / "teilnahmen.csv"
    zeilen = teilnahmen.read_text(encoding="utf-8").splitlines(keepends=True)
    nummer = next(i for i, z in enumerate(zeilen) if z.rstrip().endswith(",fuehrerschein"))
    zeilen[nummer] = zeilen[nummer].replace(",fuehrerschein", ",gibt-es-nicht")
    teilnahmen.write_text("".join(zeilen), encoding="utf-8")
    labore = ordner / "labore.csv"
    labore.write_text(
        labore.read_text(encoding="utf-8").replace(",Wohngeld,1,", ",Wohngeld neu,1,", 1), encoding="utf-8"
    )
    vorher = list(LaborTeilnahme.objects.order_by("pk").values_list("teilnahme_id", "labor_id"))

    with pytest.raises(CommandError) as info:
        call_command("import_labore", ordner=ordner)

    assert (
        f"teilnahmen.csv, Zeile {nummer + 1}, Spalte „labor_slug“, Wert „gibt-es-nicht“: kein Labor aus labore.csv"
        in str(info.value)
    )
    assert not Labor.objects.filter(titel="Wohngeld neu").exists()
    assert list(LaborTeilnahme.objects.order_by("pk").values_list("teilnahme_id", "labor_id")) == vorher


def test_geaendertes_labor_einer_teilnahme_wird_umgehaengt(fixtures_copy):
    ordner = fixtures_copy / "seed-2019-04-11"
    teilnahmen = ordner / "teilnahmen.csv"
    text = teilnahmen.read_text(encoding="utf-8")
    zeile = next(z for z in text.splitlines() if z.endswith(",fuehrerschein"))
    name = zeile.split(",")[1]
    teilnahmen.write_text(text.replace(zeile, zeile.removesuffix("fuehrerschein") + "wohngeld"), encoding="utf-8")
    teilnahme = Teilnahme.objects.get(name_im_dokument=name, labore__slug="fuehrerschein")

    call_command("import_labore", ordner=ordner, stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert list(teilnahme.labore.values_list("slug", flat=True)) == ["wohngeld"]


# Every public page reads the Datenstand of the change log first (one query, core.datenstand): counts include it.
def test_uebersicht_zeigt_jedes_labor_und_bleibt_bei_zwei_abfragen(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        vorher = client.get("/labore/")
    assert vorher.status_code == 200
    for labor in Labor.objects.all():
        assert f'href="/labore/{labor.slug}/"' in vorher.content.decode()

    for labor in LaborFactory.create_batch(5, leistungen=leistungen(3)):
        TeilnahmeFactory.create_batch(2, labor=labor, gebiet=Gebietskoerperschaft.objects.get(ars="01"))
    with django_assert_num_queries(2):
        nachher = client.get("/labore/")
    assert nachher.content.decode().count("Synthetisches Labor") == 5


def test_laborseite_nennt_leistungen_und_teilnehmende(client, django_assert_num_queries):
    labor = LaborFactory(leistungen=leistungen(4))
    TeilnahmeFactory.create_batch(3, labor=labor, gebiet=Gebietskoerperschaft.objects.get(ars="01"))
    with django_assert_num_queries(4):
        antwort = client.get(f"/labore/{labor.slug}/")
    html = antwort.content.decode()
    for leistung in labor.leistungen.all():
        assert leistung.name in html
    assert html.count("Schleswig-Holstein") >= 3


def test_unbekanntes_labor_ist_ein_404_mit_deutscher_meldung(client):
    antwort = client.get("/labore/gibt-es-nicht/")
    assert antwort.status_code == 404
    assert "gibt-es-nicht" in antwort.content.decode()


def test_api_liste_filter_und_einzelnes_labor(client):
    liste = client.get("/api/v1/labore/", {"pilot": "true"}).json()
    assert sorted(eintrag["slug"] for eintrag in liste["results"]) == ["ummeldung", "wohngeld"]
    wohngeld = client.get("/api/v1/labore/wohngeld/").json()
    assert wohngeld["titel"] == "Wohngeld"
    assert wohngeld["pilot"] is True


def test_suche_findet_labore_nach_titel():
    assert [labor.slug for labor in suche_labore("Wohngeld")][:1] == ["wohngeld"]
    assert list(suche_labore("")) == []
