"""Import of the federal format in the admin: preview, confirmation, history, and each Redaktion in its area."""

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from catalog.models import Gebietskoerperschaft, Umsetzungsstand
from dashboard.models import Onlinedienst
from redaktion import rules as rollen
from redaktion.models import Redaktionszuordnung

from .conftest import schreibe_csv, zeile

pytestmark = pytest.mark.django_db

URL = "/admin/dashboard/onlinedienst/importieren/"
HEIDE = "010510044044"  # Schleswig-Holstein
FRANKFURT = "064120000000"  # Hessen


def _person(name, rolle, ars):
    user = User.objects.create_user(name, f"{name}@example.org", "Lange-Sichere-Passphrase-2024", is_staff=True)
    user.groups.add(Group.objects.get(name=rolle))
    Redaktionszuordnung.objects.create(user=user, gebiet=Gebietskoerperschaft.objects.get(ars=ars))
    return user


def _hochladen(client, pfad):
    return client.post(URL, {"datei": SimpleUploadedFile(pfad.name, pfad.read_bytes(), "text/csv")})


def test_land_redaktion_previews_then_imports_its_land(client, tmp_path, leika):
    client.force_login(_person("red-sh", rollen.LAND, "01"))
    pfad = schreibe_csv(
        tmp_path / "testdaten-admin.csv",
        [
            zeile(HEIDE, leika[0][0], art="landesweit flächendeckend"),
            zeile(HEIDE, leika[1][0], art="in mind. einer Kommune verfügbar"),
        ],
    )
    vorschau = _hochladen(client, pfad)
    assert vorschau.status_code == 200 and "paket" in vorschau.context
    assert vorschau.context["zahlen"]["neu"] >= 2 and not Onlinedienst.objects.exists()
    antwort = client.post(URL, {"paket": vorschau.context["paket"], "bestaetigt": "1"})
    assert antwort.status_code == 302
    assert Onlinedienst.objects.count() == 2
    eintrag = Onlinedienst.history.first()
    assert eintrag.history_user.username == "red-sh" and eintrag.history_change_reason == "Import testdaten-admin.csv"
    assert Umsetzungsstand.objects.filter(land__ars="01").exists()


def test_rows_outside_the_area_are_named_and_nothing_is_written(client, tmp_path, leika):
    client.force_login(_person("red-heide", rollen.KOMMUNE, HEIDE))
    pfad = schreibe_csv(
        tmp_path / "testdaten-fremd.csv",
        [
            zeile(HEIDE, leika[0][0], art="in mind. einer Kommune verfügbar"),
            zeile(FRANKFURT, leika[1][0], art="in mind. einer Kommune verfügbar"),
            zeile(HEIDE, leika[2][0], art="landesweit flächendeckend"),  # the Land is not the Kommune's to edit
        ],
    )
    antwort = _hochladen(client, pfad)
    assert antwort.status_code == 400
    fehler = [(f.zeile, f.spalte, f.wert) for f in antwort.context["fehler"]]
    assert fehler == [(4, "ars", FRANKFURT), (5, "ars", HEIDE)]
    assert not Onlinedienst.objects.exists()


def test_without_role_no_import(client):
    user = User.objects.create_user("niemand", "n@example.org", "Lange-Sichere-Passphrase-2024", is_staff=True)
    client.force_login(user)
    assert client.get(URL).status_code == 403
