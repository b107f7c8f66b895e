"""Editors of each role, and rows of Zuständigkeit and Umsetzungsstand in two Länder and two Kommunen."""

import datetime

from django.contrib.auth.models import Group, User

import pytest

from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung, Umsetzungsstand, Zustaendigkeit
from redaktion import rules as rollen
from redaktion.models import Redaktionszuordnung

KIEL = "01002000"  # AGS, Schleswig-Holstein
LUEBECK = "01003000"  # AGS, Schleswig-Holstein
FRANKFURT = "06412000"  # AGS, Hessen
PASSWORT = "Lange-Sichere-Passphrase-2024"


def _person(name, rolle=None, gebiet=None) -> User:
    user = User.objects.create_user(name, f"{name}@example.org", PASSWORT, is_staff=True)
    if rolle:
        user.groups.add(Group.objects.get(name=rolle))
    if gebiet is not None:
        Redaktionszuordnung.objects.create(user=user, gebiet=gebiet)
    return user


@pytest.fixture
def sh(db):
    return Gebietskoerperschaft.objects.get(ars="01")


@pytest.fixture
def he(db):
    return Gebietskoerperschaft.objects.get(ars="06")


@pytest.fixture
def kiel(db):
    return Gebietskoerperschaft.objects.get(ags=KIEL)


@pytest.fixture
def luebeck(db):
    return Gebietskoerperschaft.objects.get(ags=LUEBECK)


@pytest.fixture
def frankfurt(db):
    return Gebietskoerperschaft.objects.get(ags=FRANKFURT)


@pytest.fixture
def fitko(db):
    return _person("fitko", rollen.FITKO)


@pytest.fixture
def land_sh(db, sh):
    return _person("redaktion-sh", rollen.LAND, sh)


@pytest.fixture
def kommune_kiel(db, kiel):
    return _person("redaktion-kiel", rollen.KOMMUNE, kiel)


@pytest.fixture
def lesend(db):
    return _person("lesend", rollen.LESEND)


@pytest.fixture
def ohne_rolle(db):
    return _person("ohne-rolle")


@pytest.fixture
def personen(fitko, land_sh, kommune_kiel, lesend, ohne_rolle):
    return {"fitko": fitko, "land": land_sh, "kommune": kommune_kiel, "lesend": lesend, "ohne": ohne_rolle}


@pytest.fixture
def regionale_daten(db, sh, he, kiel, luebeck, frankfurt, elterngeld):
    """One row of each regional model inside (SH, Kiel) and outside (HE, Lübeck, Frankfurt) the SH editors' area."""
    stand = datetime.date(2024, 5, 1)
    return {
        "zustaendigkeit": {
            "sh": Zustaendigkeit.objects.create(land=sh, leistung=elterngeld, ebene="kreis"),
            "he": Zustaendigkeit.objects.create(land=he, leistung=elterngeld, ebene="land"),
        },
        "umsetzungsstand": {
            "sh": Umsetzungsstand.objects.create(land=sh, leistung=elterngeld, status="in_umsetzung", stand=stand),
            "he": Umsetzungsstand.objects.create(land=he, leistung=elterngeld, status="online_verfuegbar", stand=stand),
        },
        "kommunaleumsetzung": {
            "kiel": KommunaleUmsetzung.objects.create(
                kommune=kiel, leistung=elterngeld, status="angeschlossen", stand=stand
            ),
            "luebeck": KommunaleUmsetzung.objects.create(
                kommune=luebeck, leistung=elterngeld, status="nicht_geplant", stand=stand
            ),
            "frankfurt": KommunaleUmsetzung.objects.create(
                kommune=frankfurt, leistung=elterngeld, status="geplant", stand=stand
            ),
        },
    }
