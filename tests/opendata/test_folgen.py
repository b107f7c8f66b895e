"""Feed discovery on the Kommune, Themenfeld and Leistung pages, and the "Folgen" form for staff users."""

from django.contrib.auth.models import User

import pytest

from catalog.models import Gebietskoerperschaft, Themenfeld
from opendata.models import Abonnement

from .conftest import person

pytestmark = pytest.mark.django_db

FEED_SEITEN = [
    ("/kommunen/01061046/", "/kommunen/01061046/feed/"),
    ("/kommunen/01/", "/kommunen/01/feed/"),
    ("/themenfelder/familie-kind/", "/themenfelder/familie-kind/feed/"),
    ("/leistungen/10000/", "/leistungen/10000/feed/"),
]


@pytest.mark.parametrize(("pfad", "feed"), FEED_SEITEN)
def test_feed_link_im_kopf_und_sichtbar(client, pfad, feed):
    html = client.get(pfad).content.decode()
    kopf = html.split("</head>")[0]
    assert '<link rel="alternate" type="application/atom+xml" title="Änderungen zu ' in kopf
    assert f'href="{feed}">' in kopf
    koerper = html.split("<body>")[1]
    assert f'href="{feed}" type="application/atom+xml">Änderungen als Feed (Atom)</a>' in koerper
    assert client.get(feed)["Content-Type"].startswith("application/atom+xml")
    englisch = client.get(pfad, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Changes as a feed (Atom)" in englisch


@pytest.mark.parametrize("pfad", ["/kommunen/01061046/", "/themenfelder/familie-kind/"])
def test_anonym_kein_formular_kein_csrf(client, pfad):
    antwort = client.get(pfad)
    html = antwort.content.decode()
    assert "folgen" not in html.lower().replace("änderungen", "")
    assert "csrfmiddlewaretoken" not in html
    assert "csrftoken" not in antwort.cookies


def test_staff_folgt_und_entfolgt_kommune(client):
    user = person("folgt-kommune")
    client.force_login(user)
    gebiet = Gebietskoerperschaft.objects.get(ags="01061046")
    html = client.get("/kommunen/01061046/").content.decode()
    assert 'action="/folgen/kommune/01061046/"' in html and "csrfmiddlewaretoken" in html
    assert "Dieser Kommune folgen" in html

    antwort = client.post("/folgen/kommune/01061046/", {"aktion": "folgen"})
    assert antwort.status_code == 302 and antwort["Location"] == gebiet.get_absolute_url()
    assert Abonnement.objects.filter(user=user, kommune=gebiet).count() == 1
    client.post("/folgen/kommune/01061046/", {"aktion": "folgen"})  # twice: still one
    assert Abonnement.objects.filter(user=user).count() == 1
    assert "Nicht mehr folgen" in client.get("/kommunen/01061046/").content.decode()

    client.post("/folgen/kommune/01061046/", {"aktion": "entfolgen"})
    assert not Abonnement.objects.filter(user=user).exists()


def test_staff_folgt_themenfeld(client):
    user = person("folgt-themenfeld")
    client.force_login(user)
    html = client.get("/themenfelder/familie-kind/").content.decode()
    assert "Diesem Themenfeld folgen" in html
    antwort = client.post("/folgen/themenfeld/familie-kind/", {"aktion": "folgen"})
    assert antwort.status_code == 302 and antwort["Location"] == "/themenfelder/familie-kind/"
    abo = Abonnement.objects.get(user=user)
    assert abo.themenfeld == Themenfeld.objects.get(slug="familie-kind") and abo.kommune is None


def test_anonym_post_fuehrt_zur_anmeldung(client):
    antwort = client.post("/folgen/kommune/01061046/", {"aktion": "folgen"})
    assert antwort.status_code == 302 and antwort["Location"].startswith("/admin/login/")
    assert not Abonnement.objects.exists()


def test_ohne_staff_verboten_und_ohne_formular(client):
    user = User.objects.create_user("ohne-staff", "o@example.org", "Lange-Sichere-Passphrase-2024")
    client.force_login(user)
    assert "Dieser Kommune folgen" not in client.get("/kommunen/01061046/").content.decode()
    assert client.post("/folgen/kommune/01061046/", {"aktion": "folgen"}).status_code == 403
    assert not Abonnement.objects.exists()


def test_folgen_nur_per_post_und_mit_csrf(client):
    client.force_login(person("csrf-pruefung"))
    assert client.get("/folgen/kommune/01061046/").status_code == 405
    from django.test import Client

    streng = Client(enforce_csrf_checks=True)
    streng.force_login(User.objects.get(username="csrf-pruefung"))
    assert streng.post("/folgen/kommune/01061046/", {"aktion": "folgen"}).status_code == 403
    assert not Abonnement.objects.exists()


def test_unbekannte_kommune_404(client):
    client.force_login(person("folgt-nichts"))
    assert client.post("/folgen/kommune/99999999/", {"aktion": "folgen"}).status_code == 404
    assert client.post("/folgen/themenfeld/gibtsnicht/", {"aktion": "folgen"}).status_code == 404
