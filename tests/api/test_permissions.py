"""Public read; writes need an API key or a user whose rules allow it (the admin's rules, see redaktion.rules)."""

from django.contrib.auth.models import Group

import pytest

from catalog.models import Gebietskoerperschaft, Leistung, Umsetzungsstand
from redaktion.models import Redaktionszuordnung

from .conftest import user_with_perms

pytestmark = pytest.mark.django_db

NEU = {"land": "01", "leistung": 10000, "status": "in_planung", "stand": "2024-01-01"}


def test_anonymous_cannot_write(api):
    antwort = api.post("/api/v1/umsetzungsstand/", NEU, format="json")
    assert antwort.status_code == 403
    assert antwort["Content-Type"] == "application/problem+json"
    assert not Umsetzungsstand.objects.exists()


def test_an_invalid_api_key_cannot_write(api, api_key):
    antwort = api.post("/api/v1/umsetzungsstand/", NEU, format="json", HTTP_AUTHORIZATION="Api-Key falsch.falsch")
    assert antwort.status_code == 403


def test_api_key_writes_by_public_keys_and_reads_back_summaries(api, api_key):
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {api_key}"}
    antwort = api.post("/api/v1/umsetzungsstand/", {**NEU, "efa_anbieter": "09"}, format="json", **auth)
    assert antwort.status_code == 201, antwort.content
    daten = antwort.json()
    assert daten["schluessel"] == "01.10000"
    assert daten["land"] == {"ars": "01", "kuerzel": "SH", "name": "Schleswig-Holstein"}
    assert daten["efa_anbieter"]["kuerzel"] == "BY" and daten["nachnutzend"] is True
    # The nested summary is accepted back on write, so GET → edit → PUT works.
    daten["status"] = "online_verfuegbar"
    geaendert = api.put("/api/v1/umsetzungsstand/01.10000/", daten, format="json", **auth)
    assert geaendert.status_code == 200, geaendert.content
    assert Umsetzungsstand.objects.get().status == "online_verfuegbar"
    assert api.delete("/api/v1/umsetzungsstand/01.10000/", **auth).status_code == 204


def test_user_without_permission_cannot_write(api):
    api.force_authenticate(user_with_perms("ohne"))
    assert api.post("/api/v1/umsetzungsstand/", NEU, format="json").status_code == 403


def test_land_redaktion_writes_only_in_its_land(api):
    gruppe, _ = Group.objects.get_or_create(name="Land-Redaktion")
    user = user_with_perms("sh", "catalog.add_umsetzungsstand", "catalog.change_umsetzungsstand")
    user.groups.add(gruppe)
    Redaktionszuordnung.objects.create(user=user, gebiet=Gebietskoerperschaft.objects.get(ars="01"))
    api.force_authenticate(user)

    assert api.post("/api/v1/umsetzungsstand/", NEU, format="json").status_code == 201
    fremd = api.post("/api/v1/umsetzungsstand/", {**NEU, "land": "09"}, format="json")
    assert fremd.status_code == 403, fremd.content
    # Nor may it move its row into another Land.
    verschoben = api.patch("/api/v1/umsetzungsstand/01.10000/", {"land": "09"}, format="json")
    # Refused before the rules are asked: no row moves out of its Bereich (core.bereiche.bereichsfelder).
    assert verschoben.status_code == 400 and [f["field"] for f in verschoben.json()["errors"]] == ["land"]
    # A row of another Land is not its to change.
    Umsetzungsstand.objects.create(
        land=Gebietskoerperschaft.objects.get(ars="09"),
        leistung_id=NEU_LEISTUNG(),
        status="in_planung",
        stand="2024-01-01",
    )
    assert api.patch("/api/v1/umsetzungsstand/09.10000/", {"status": "in_umsetzung"}, format="json").status_code == 403


def NEU_LEISTUNG():  # noqa: N802
    return Leistung.objects.get(ozg_id=10000).pk


def test_read_needs_no_permission(api):
    assert api.get("/api/v1/umsetzungsstand/").status_code == 200
