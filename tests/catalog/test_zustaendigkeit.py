"""Zuständigkeit: recorded per Land, otherwise derived honestly from the Typisierung."""

from django.db import IntegrityError, transaction

import pytest

from catalog import typisierung
from catalog.choices import Vollzug, VollzugsEbene
from catalog.models import Leistung, Zustaendigkeit
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
    assert ermittle(Vollzug.KOMMUNE, None).abgeleitet
    offen = ermittle(Vollzug.LAND_ODER_KOMMUNE, None)
    assert offen.text == "Land oder Kommune – noch nicht erfasst" and offen.abgeleitet


def test_recorded_zustaendigkeit_wins_over_derivation():
    angabe = ermittle(Vollzug.LAND_ODER_KOMMUNE, VollzugsEbene.KREIS)
    assert angabe.text == "Kreis" and not angabe.abgeleitet


@pytest.mark.django_db
def test_queryset_annotates_recorded_level_per_land(land_sh, elterngeld):
    Zustaendigkeit.objects.create(land=land_sh, leistung=elterngeld, ebene=VollzugsEbene.KREIS)
    in_sh = Leistung.objects.mit_zustaendigkeit(land_sh).get(ozg_id=10000)
    assert ermittle(in_sh.vollzug, in_sh.zustaendigkeit_erfasst).text == "Kreis"
    andere = Leistung.objects.mit_zustaendigkeit(land_sh.__class__.objects.get(ars="09")).get(ozg_id=10000)
    assert ermittle(andere.vollzug, andere.zustaendigkeit_erfasst).text == "Land oder Kommune – noch nicht erfasst"


@pytest.mark.django_db
def test_one_zustaendigkeit_per_land_and_leistung(land_sh, elterngeld):
    Zustaendigkeit.objects.create(land=land_sh, leistung=elterngeld, ebene=VollzugsEbene.KREIS)
    with pytest.raises(IntegrityError), transaction.atomic():
        Zustaendigkeit.objects.create(land=land_sh, leistung=elterngeld, ebene=VollzugsEbene.LAND)
    leika = elterngeld.leika_leistungen.first()
    Zustaendigkeit.objects.create(land=land_sh, leistung=elterngeld, leika_leistung=leika, ebene=VollzugsEbene.LAND)
