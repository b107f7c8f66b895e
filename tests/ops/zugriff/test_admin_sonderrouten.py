"""Admin, the other routes: site views and the ModelAdmins' own views (imports, Phasenstand, 2FA …)."""

from django.test import Client

import pytest

from redaktion import rules as rollen

from .routen import SONDERROUTEN_NAMEN, admin_sonderrouten
from .tabellen import ADMIN_ROLLEN, LOGIN, _person, client_fuer, pruefe

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rolle", ADMIN_ROLLEN)
def test_admin_sonderrouten(personen, regional, rolle):
    client = client_fuer(personen, rolle)
    routen = admin_sonderrouten(personen, regional)
    assert {name for name, _, _ in routen} >= set(SONDERROUTEN_NAMEN)
    for name, url, soll_je_rolle in routen:
        antwort = client.get(url)
        soll = LOGIN if rolle == "anonym" and name not in ("login", "logout") else soll_je_rolle(rolle)
        pruefe(antwort, soll, (rolle, name, url))


def test_admin_anonym_kann_nichts_schreiben(personen, regional):
    """Anonymous POSTs to the admin go to the login and change nothing."""
    client = Client()
    obj = regional["catalog.Zustaendigkeit"]["sh"]
    for url in [
        "/admin/catalog/zustaendigkeit/add/",
        f"/admin/catalog/zustaendigkeit/{obj.pk}/change/",
        f"/admin/catalog/zustaendigkeit/{obj.pk}/delete/",
        "/admin/berichte/berichtslauf/alle-neu-bauen/",
    ]:
        pruefe(client.post(url, {"post": "yes", "ebene": "gemeinde"}), LOGIN, url)
    obj.refresh_from_db()
    assert obj.ebene == "kreis"


def test_admin_ohne_staff_status_geht_zur_anmeldung(gebiete):
    """A person with a role but without staff status never gets into the admin."""
    user = _person("z-kein-staff", rollen.FITKO)
    user.is_staff = False
    user.save()
    client = Client()
    client.force_login(user)
    pruefe(client.get("/admin/catalog/leistung/"), LOGIN, "kein staff")
