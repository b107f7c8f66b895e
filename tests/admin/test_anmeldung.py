"""Hardened staff login: lockout after failed attempts, strong passwords, optional second factor (TOTP)."""

from django.contrib.auth.models import User
from django.test import override_settings

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import PASSWORT

LOGIN = "/admin/login/?next=/admin/"


def code(device: TOTPDevice) -> str:
    return TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()


@override_settings(AXES_ENABLED=True)
def test_nach_fuenf_fehlversuchen_gesperrt(client, land_sh):
    for _ in range(4):
        antwort = client.post(LOGIN, {"username": "redaktion-sh", "password": "falsch"})
        assert antwort.status_code == 200
    # The fifth failure locks; from then on even the right password is refused.
    assert client.post(LOGIN, {"username": "redaktion-sh", "password": "falsch"}).status_code == 429
    antwort = client.post(LOGIN, {"username": "redaktion-sh", "password": PASSWORT})
    assert antwort.status_code == 429
    assert "vorübergehend gesperrt" in antwort.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_erfolgreiche_anmeldung_setzt_den_zaehler_zurueck(client, land_sh):
    for _ in range(4):
        client.post(LOGIN, {"username": "redaktion-sh", "password": "falsch"})
    assert client.post(LOGIN, {"username": "redaktion-sh", "password": PASSWORT}).status_code == 302


def test_schwache_passwoerter_werden_abgelehnt(client, db):
    chef = User.objects.create_superuser("chef", "chef@example.org", PASSWORT)
    client.force_login(chef)
    for schwach in ["kurz1", "password1234", "123456789012", "neue-redaktion1"]:
        antwort = client.post(
            "/admin/auth/user/add/",
            {"username": "neue-redaktion", "password1": schwach, "password2": schwach, "usable_password": "true"},
        )
        assert antwort.status_code == 200, schwach
        assert not User.objects.filter(username="neue-redaktion").exists()
    stark = "Elterngeld-Antrag-2024-online"
    antwort = client.post(
        "/admin/auth/user/add/",
        {"username": "neue-redaktion", "password1": stark, "password2": stark, "usable_password": "true"},
    )
    assert antwort.status_code == 302
    assert User.objects.filter(username="neue-redaktion").exists()


def test_ohne_zweiten_faktor_reicht_das_passwort(client, land_sh):
    antwort = client.post(LOGIN, {"username": "redaktion-sh", "password": PASSWORT})
    assert antwort.status_code == 302


@pytest.fixture
def mit_totp(land_sh):
    return TOTPDevice.objects.create(user=land_sh, name="App", confirmed=True)


def test_mit_zweitem_faktor_braucht_es_den_code(client, mit_totp):
    antwort = client.post(LOGIN, {"username": "redaktion-sh", "password": PASSWORT})
    assert antwort.status_code == 200
    assert "Einmalcode eingeben" in antwort.content.decode()
    antwort = client.post(LOGIN, {"username": "redaktion-sh", "password": PASSWORT, "otp_token": "000000"})
    assert antwort.status_code == 200
    assert "_auth_user_id" not in client.session

    # After a wrong code django-otp makes the next attempt wait a moment; the test need not.
    mit_totp.refresh_from_db()
    mit_totp.throttle_reset()
    antwort = client.post(LOGIN, {"username": "redaktion-sh", "password": PASSWORT, "otp_token": code(mit_totp)})
    assert antwort.status_code == 302
    assert client.get("/admin/").wsgi_request.user.is_verified()


def test_zweiten_faktor_selbst_einrichten(client, land_sh):
    client.force_login(land_sh)
    seite = client.get("/admin/auth/user/zweiter-faktor/")
    assert seite.status_code == 200
    assert seite.context["schluessel"]
    device = TOTPDevice.objects.get(user=land_sh, confirmed=False)

    assert client.post("/admin/auth/user/zweiter-faktor/", {"code": "000000"}).status_code == 200
    assert not TOTPDevice.objects.filter(user=land_sh, confirmed=True).exists()

    device.refresh_from_db()
    device.throttle_reset()
    antwort = client.post("/admin/auth/user/zweiter-faktor/", {"code": code(device)})
    assert antwort.status_code == 302
    assert TOTPDevice.objects.get(user=land_sh).confirmed
    # Nobody but the user themselves: the page only ever touches request.user's device.
    assert "Zweiten Faktor entfernen" in client.get("/admin/auth/user/zweiter-faktor/").content.decode()
