"""Fixtures of the access matrix: the Gebiete, one person per role, rows inside and outside their areas."""

import datetime

from django.apps import apps
from django.core.cache import cache

import pytest

from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung, Leistung, Umsetzungsstand, Zustaendigkeit
from redaktion import rules as rollen

from .tabellen import ABONNEMENT, KIEL, LUEBECK, MUENCHEN, ONLINEDIENST, _onlinedienst, _person


@pytest.fixture
def gebiete(db):
    g = Gebietskoerperschaft.objects
    return {
        "sh": g.get(ars="01"),
        "by": g.get(ars="09"),
        "kiel": g.get(ags=KIEL),
        "luebeck": g.get(ags=LUEBECK),
        "muenchen": g.get(ags=MUENCHEN),
    }


@pytest.fixture
def personen(gebiete):
    return {
        "anonym": None,
        "fitko": _person("z-fitko", rollen.FITKO),
        "land": _person("z-land-sh", rollen.LAND, gebiete["sh"]),
        "kommune": _person("z-kommune-kiel", rollen.KOMMUNE, gebiete["kiel"]),
        "lesend": _person("z-lesend", rollen.LESEND),
        "superuser": _person("z-super", is_superuser=True),
    }


@pytest.fixture
def regional(gebiete, personen):
    """Rows inside (SH, Kiel) and outside (BY, Lübeck, München) the editors' areas; for Lübeck: Land yes, Kommune no."""
    elterngeld = Leistung.objects.get(ozg_id=10000)
    stand = datetime.date(2024, 5, 1)
    z, u, k = Zustaendigkeit.objects, Umsetzungsstand.objects, KommunaleUmsetzung.objects
    return {
        "catalog.Zustaendigkeit": {
            "sh": z.create(land=gebiete["sh"], leistung=elterngeld, ebene="kreis"),
            "by": z.create(land=gebiete["by"], leistung=elterngeld, ebene="land"),
        },
        "catalog.Umsetzungsstand": {
            "sh": u.create(land=gebiete["sh"], leistung=elterngeld, status="in_umsetzung", stand=stand),
            "by": u.create(land=gebiete["by"], leistung=elterngeld, status="online_verfuegbar", stand=stand),
        },
        "catalog.KommunaleUmsetzung": {
            "kiel": k.create(kommune=gebiete["kiel"], leistung=elterngeld, status="angeschlossen", stand=stand),
            "luebeck": k.create(kommune=gebiete["luebeck"], leistung=elterngeld, status="geplant", stand=stand),
            "muenchen": k.create(kommune=gebiete["muenchen"], leistung=elterngeld, status="geplant", stand=stand),
        },
        ONLINEDIENST: {ort: _onlinedienst(gebiete[ort], elterngeld) for ort in ("sh", "kiel", "luebeck", "muenchen")},
        # Each person's own e-mail follows: Lesend's and the Kommune-Redaktion's.
        ABONNEMENT: {
            rolle: apps.get_model(ABONNEMENT).objects.create(user=personen[rolle], kommune=gebiete["kiel"])
            for rolle in ("lesend", "kommune")
        },
    }


@pytest.fixture(autouse=True)
def _api_einstellungen(settings):
    # Anonymous requests are throttled per IP in the shared cache: start empty, with a rate the suite won't reach.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/min"}}
    cache.clear()


@pytest.fixture
def api_key(db) -> str:
    from redaktion.models import ApiSchluessel

    # Unrestricted and writing: what the matrix calls "api_key" (tests/ops/test_api_schluessel.py: scopes).
    return ApiSchluessel.objects.create_key(name="Zugriffstest", recht="schreiben")[1]
