"""Database constraints guard the formats of the domain's keys."""

import datetime

from django.db import IntegrityError, transaction

import pytest

from catalog.choices import Anschlussstatus, Ebene, Reifegradmodell, UmsetzungsStatus
from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung, LeikaLeistung, Leistung, Umsetzungsstand

pytestmark = pytest.mark.django_db


def _fails(**kwargs):
    model = kwargs.pop("model")
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**kwargs)


def test_ars_must_fit_the_level():
    _fails(model=Gebietskoerperschaft, ars="123", ebene=Ebene.KREIS, name="x")
    _fails(model=Gebietskoerperschaft, ars="12345678901A", ebene=Ebene.GEMEINDE, ags="12345678", name="x")
    _fails(model=Gebietskoerperschaft, ars="123456789012", ebene=Ebene.GEMEINDE, ags=None, name="x")
    _fails(model=Gebietskoerperschaft, ars="12345", ebene=Ebene.KREIS, ags="12345678", name="x")


def test_ozg_id_and_leika_formats(elterngeld):
    _fails(model=Leistung, ozg_id=999, name="x", lage=elterngeld.lage)
    _fails(model=LeikaLeistung, zeile=99999, schluessel="123", bezeichnung="x")


def test_reifegrad_within_its_model(land_sh, elterngeld):
    heute = datetime.date(2026, 1, 1)
    _fails(
        model=Umsetzungsstand,
        land=land_sh,
        leistung=elterngeld,
        status=UmsetzungsStatus.ONLINE,
        reifegradmodell=Reifegradmodell.V1_1,
        reifegrad=5,
        stand=heute,
    )
    Umsetzungsstand.objects.create(
        land=land_sh,
        leistung=elterngeld,
        status=UmsetzungsStatus.ONLINE,
        reifegradmodell=Reifegradmodell.V2_0,
        reifegrad=6,
        stand=heute,
    )


def test_geplant_bis_only_when_geplant(elterngeld):
    kommune = Gebietskoerperschaft.objects.get(ags="01001000")
    _fails(
        model=KommunaleUmsetzung,
        kommune=kommune,
        leistung=elterngeld,
        status=Anschlussstatus.ANGESCHLOSSEN,
        geplant_bis=datetime.date(2027, 1, 1),
        stand=datetime.date(2026, 1, 1),
    )


def test_no_status_data_is_invented():
    assert not Umsetzungsstand.objects.exists()
    assert not KommunaleUmsetzung.objects.exists()
