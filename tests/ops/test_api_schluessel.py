"""Attack tests: API keys are scoped like editors; a read-only or other-Land key gets 403 and leaves nothing behind."""

import datetime

from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone

import pytest
from rest_framework.test import APIClient

from catalog.models import Gebietskoerperschaft, Umsetzungsstand, Zustaendigkeit
from redaktion.admin import ROTATION_UEBERGANG
from redaktion.models import ApiSchluessel

pytestmark = pytest.mark.django_db

NEU = {"leistung": 10002, "status": "in_planung", "stand": "2024-01-01"}


@pytest.fixture(autouse=True)
def _raten(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}
    cache.clear()


def _client(**scope) -> tuple[APIClient, ApiSchluessel]:
    schluessel, geheimnis = ApiSchluessel.objects.create_key(name=scope.pop("name", "Dashboard"), **scope)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {geheimnis}")
    return client, schluessel


def _nichts_geschrieben():
    assert not Umsetzungsstand.objects.exists()
    assert not Umsetzungsstand.history.exists()


def test_read_only_key_reads_and_cannot_write():
    client, _ = _client()
    assert client.get("/api/v1/umsetzungsstand/").status_code == 200
    assert client.post("/api/v1/umsetzungsstand/", {**NEU, "land": "01"}, format="json").status_code == 403
    _nichts_geschrieben()


def test_land_key_writes_its_land_only_and_is_named_in_the_history():
    sh = Gebietskoerperschaft.objects.get(ars="01")
    client, schluessel = _client(name="Dashboard SH", recht="schreiben", gebiet=sh)
    fremd = client.post("/api/v1/umsetzungsstand/", {**NEU, "land": "09"}, format="json")
    assert fremd.status_code == 403, fremd.content
    _nichts_geschrieben()
    # Shared data (OZG-Leistungen) is for the FITKO scope only, as for a Land-Redaktion.
    assert client.patch("/api/v1/leistungen/10000/", {"name": "x"}, format="json").status_code == 403

    assert client.post("/api/v1/umsetzungsstand/", {**NEU, "land": "01"}, format="json").status_code == 201
    stand = Umsetzungsstand.objects.get(land=sh, leistung__ozg_id=10002)
    eintrag = stand.history.get()
    assert eintrag.history_user is None
    assert eintrag.history_change_reason == f"API-Schlüssel Dashboard SH ({schluessel.prefix})"
    # Moving the row into another Land is refused.
    umzug = client.patch("/api/v1/umsetzungsstand/01.10002/", {"land": "09"}, format="json")
    # No row moves out of its Bereich (core.bereiche.bereichsfelder): refused before the key's scope is asked.
    assert umzug.status_code == 400 and [f["field"] for f in umzug.json()["errors"]] == ["land"]
    assert Umsetzungsstand.objects.get(pk=stand.pk).land == sh
    assert client.delete("/api/v1/umsetzungsstand/01.10002/").status_code == 204
    assert stand.history.latest("history_date").history_change_reason.startswith("API-Schlüssel Dashboard SH")


def test_other_land_key_cannot_touch_existing_rows(elterngeld):
    sh = Gebietskoerperschaft.objects.get(ars="01")
    by = Gebietskoerperschaft.objects.get(ars="09")
    zeile = Zustaendigkeit.objects.create(land=sh, leistung=elterngeld, ebene="kreis")
    client, _ = _client(recht="schreiben", gebiet=by)
    assert client.delete("/api/v1/zustaendigkeiten/01.10000/").status_code in (403, 404)
    assert client.patch("/api/v1/zustaendigkeiten/01.10000/", {"bemerkung": "x"}, format="json").status_code in (
        403,
        404,
    )
    zeile.refresh_from_db()
    assert zeile.bemerkung == "" and zeile.history.count() == 1


def test_kommune_key_is_a_kommune_redaktion(elterngeld):
    kiel = Gebietskoerperschaft.objects.get(ags="01002000")
    client, _ = _client(recht="schreiben", gebiet=kiel)
    neu = {"leistung": 10000, "status": "angeschlossen", "stand": "2024-05-01"}
    assert client.post("/api/v1/kommunale-umsetzung/", {**neu, "kommune": kiel.ars}, format="json").status_code == 201
    luebeck = Gebietskoerperschaft.objects.get(ags="01003000")
    assert (
        client.post("/api/v1/kommunale-umsetzung/", {**neu, "kommune": luebeck.ars}, format="json").status_code == 403
    )
    assert client.post("/api/v1/umsetzungsstand/", {**NEU, "land": "01"}, format="json").status_code == 403
    _nichts_geschrieben()


def test_expired_revoked_and_rotated_keys(elterngeld):
    client, schluessel = _client(recht="schreiben", expiry_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.post("/api/v1/umsetzungsstand/", {**NEU, "land": "01"}, format="json").status_code == 403
    _nichts_geschrieben()

    alt_client, alt = _client(name="Rotiert", recht="schreiben")
    neu, geheimnis = alt.rotieren(ROTATION_UEBERGANG)
    assert (neu.name, neu.recht, neu.gebiet) == ("Rotiert", "schreiben", None)
    alt.refresh_from_db()
    assert alt.nachfolger == neu and alt.expiry_date <= timezone.now() + ROTATION_UEBERGANG
    # Both work during the transition; the old one stops when it runs out or is revoked.
    neu_client = APIClient()
    neu_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {geheimnis}")
    assert neu_client.post("/api/v1/umsetzungsstand/", {**NEU, "land": "01"}, format="json").status_code == 201
    alt.revoked = True
    alt.save()
    antwort = alt_client.post("/api/v1/umsetzungsstand/", {**NEU, "land": "02"}, format="json")
    assert antwort.status_code == 403


def test_admin_offers_only_scoped_keys(client):
    chef = User.objects.create_superuser("chef-schluessel", "c@example.org", "Lange-Sichere-Passphrase-2024")
    client.force_login(chef)
    assert client.get("/admin/rest_framework_api_key/apikey/").status_code == 404
    seite = client.get("/admin/redaktion/apischluessel/add/")
    assert seite.status_code == 200 and 'name="recht"' in seite.content.decode()
