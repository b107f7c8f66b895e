"""The synthetisch flag marks load-test rows; nobody can set or clear it through the admin or the API."""

import datetime

from django.contrib.auth.models import User

import pytest
from rest_framework.test import APIClient

from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung
from redaktion.models import ApiSchluessel

pytestmark = pytest.mark.django_db


@pytest.fixture
def zeile(elterngeld):
    kiel = Gebietskoerperschaft.objects.get(ags="01002000")
    return KommunaleUmsetzung.objects.create(
        kommune=kiel, leistung=elterngeld, status="geplant", stand=datetime.date(2024, 5, 1), synthetisch=True
    )


def test_api_shows_the_flag_but_ignores_writes_to_it(zeile, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}
    _, geheimnis = ApiSchluessel.objects.create_key(name="Test", recht="schreiben")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {geheimnis}")
    url = f"/api/v1/kommunale-umsetzung/{zeile.kommune.ars}.10000/"
    assert client.get(url).json()["synthetisch"] is True
    assert client.patch(url, {"synthetisch": False, "status": "angeschlossen"}, format="json").status_code == 200
    zeile.refresh_from_db()
    assert zeile.synthetisch is True and zeile.status == "angeschlossen"


def test_admin_shows_the_flag_read_only(client, zeile):
    chef = User.objects.create_superuser("chef-synth", "c@example.org", "Lange-Sichere-Passphrase-2024")
    client.force_login(chef)
    seite = client.get(f"/admin/catalog/kommunaleumsetzung/{zeile.pk}/change/").content.decode()
    assert 'name="synthetisch"' not in seite and "synthetisch" in seite
