"""Zuständigkeit: recorded per Land, otherwise derived honestly from the Typisierung."""

from django.db import IntegrityError, transaction
from django.db.models import Count

import pytest

from catalog import typisierung
from catalog.choices import EffektiveEbene, Vollzug, VollzugsEbene
from catalog.models import Gebietskoerperschaft, Leistung, Zustaendigkeit
from catalog.zustaendigkeit import ermittle


@pytest.mark.parametrize(
    ("roh", "vollzug"),
    [
        ("1", Vollzug.BUND),
        ("5", Vollzug.KOMMUNE),
        ("2/3", Vollzug.LAND_ODER_KOMMUNE),
        ("4b", Vollzug.LAND_ODER_KOMMUNE),
        ("1, 2/3", Vollzug.GEMISCHT),
        ("2, 4", Vollzug.LAND_ODER_KOMMUNE),
        ("6", Vollzug.KEINE_LEISTUNG),
        ("", Vollzug.UNBEKANNT),
    ],
)
def test_vollzug_from_typisierung(roh, vollzug):
    assert typisierung.vollzug(roh) == vollzug


@pytest.mark.parametrize("roh", ["13", "2/5", "1,,2", "Typ 1"])
def test_unknown_typ_is_an_error_not_a_guess(roh):
    with pytest.raises(ValueError, match="unbekannter Typ"):
        typisierung.vollzug(roh)


def test_derived_answers_say_they_are_derived():
    assert ermittle(Vollzug.BUND, None).text == "Bund (laut Typisierung)"
    assert ermittle(Vollzug.KOMMUNE, None).text == "Kommune (laut Typisierung)"
    offen = ermittle(Vollzug.LAND_ODER_KOMMUNE, None)
    assert offen.text == "Land oder Kommune – noch nicht erfasst" and offen.abgeleitet


def test_recorded_zustaendigkeit_wins_over_derivation():
    angabe = ermittle(Vollzug.LAND_ODER_KOMMUNE, VollzugsEbene.KREIS)
    assert angabe.text == "Kreis" and not angabe.abgeleitet


@pytest.mark.django_db
def test_recorded_level_applies_only_in_its_land(land_sh, elterngeld):
    Zustaendigkeit.objects.create(land=land_sh, leistung=elterngeld, ebene=VollzugsEbene.KREIS)
    itzehoe_land_gemeinde = Gebietskoerperschaft.objects.filter(parent__name="Itzehoe-Land").first()
    in_sh = Leistung.objects.fuer_kommune(itzehoe_land_gemeinde).get(ozg_id=10000)
    assert in_sh.ebene == EffektiveEbene.KREIS
    assert ermittle(in_sh.vollzug, in_sh.zustaendigkeit_erfasst).text == "Kreis"
    muenchen = Gebietskoerperschaft.objects.get(ars="09162")
    in_by = Leistung.objects.fuer_kommune(muenchen).get(ozg_id=10000)
    assert in_by.ebene == EffektiveEbene.OFFEN and in_by.zustaendigkeit_erfasst is None


@pytest.mark.django_db
def test_levels_are_counted_in_the_database_and_match_python(land_sh, django_assert_num_queries):
    gebiet = Gebietskoerperschaft.objects.get(ars="01061")  # Kreis Steinburg
    with django_assert_num_queries(1):
        je_ebene = dict(
            Leistung.objects.fuer_kommune(gebiet).values("ebene").annotate(n=Count("pk")).values_list("ebene", "n")
        )
    assert sum(je_ebene.values()) == 557
    python = {}
    for leistung in Leistung.objects.fuer_kommune(gebiet):
        key = ermittle(leistung.vollzug, leistung.zustaendigkeit_erfasst).ebene.value
        python[key] = python.get(key, 0) + 1
    assert python == je_ebene
    assert je_ebene[EffektiveEbene.OFFEN] > je_ebene[EffektiveEbene.BUND] > je_ebene[EffektiveEbene.KOMMUNE] > 0


@pytest.mark.django_db
def test_one_zustaendigkeit_per_land_and_leistung(land_sh, elterngeld):
    Zustaendigkeit.objects.create(land=land_sh, leistung=elterngeld, ebene=VollzugsEbene.KREIS)
    with pytest.raises(IntegrityError), transaction.atomic():
        Zustaendigkeit.objects.create(land=land_sh, leistung=elterngeld, ebene=VollzugsEbene.LAND)
    leika = elterngeld.leika_leistungen.first()
    Zustaendigkeit.objects.create(land=land_sh, leistung=elterngeld, leika_leistung=leika, ebene=VollzugsEbene.LAND)
