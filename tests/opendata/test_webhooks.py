"""Webhooks against a real HTTP receiver on 127.0.0.1: HMAC signature, order, retry after a failure, filters,
the delivery log in the admin; and e-mails to staff who follow a Kommune or Themenfeld."""

import json
from datetime import date, timedelta

from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung, Leistung, Themenfeld
from opendata.choices import ZustellStatus
from opendata.models import Abonnement, WebhookAbo, WebhookZustellung
from opendata.tasks import webhook_zustellen, webhooks_faellige
from opendata.webhooks import EREIGNIS_HEADER, SIGNATUR_HEADER, ZEITSTEMPEL_HEADER, pruefen, signatur
from themenfelder.models import PhasenStatus

from .conftest import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def familie(db):
    return Themenfeld.objects.get(slug="familie-kind")


def drei_aenderungen(familie, capture):
    with capture(execute=True):
        for tag in (1, 2, 3):
            PhasenStatus.objects.create(themenfeld=familie, phase="analyse", status="laufend", stand=date(2033, 1, tag))


def test_signiert_und_in_reihenfolge(inline, empfaenger, familie, django_capture_on_commit_callbacks):
    abo = WebhookAbo.objects.create(name="Dashboard", url=empfaenger.url)
    drei_aenderungen(familie, django_capture_on_commit_callbacks)
    assert empfaenger.sequenzen == [1, 2, 3]
    for anfrage in empfaenger.anfragen:
        kopf = anfrage["headers"]
        assert pruefen(
            abo.geheimnis, kopf[ZEITSTEMPEL_HEADER.lower()], anfrage["inhalt"], kopf[SIGNATUR_HEADER.lower()]
        )
        assert not pruefen(
            "falsches-geheimnis", kopf[ZEITSTEMPEL_HEADER.lower()], anfrage["inhalt"], kopf[SIGNATUR_HEADER.lower()]
        )
        daten = json.loads(anfrage["inhalt"])
        assert kopf[EREIGNIS_HEADER.lower()] == daten["ereignis_id"]
        assert daten["modell"] == "themenfelder.PhasenStatus"
        assert daten["themenfeld"] == "familie-kind"
        assert daten["art"] == "angelegt"
    assert [json.loads(a["inhalt"])["daten"]["stand"] for a in empfaenger.anfragen] == [
        "2033-01-01",
        "2033-01-02",
        "2033-01-03",
    ]
    assert set(abo.zustellungen.values_list("status", flat=True)) == {ZustellStatus.ZUGESTELLT}
    abo.refresh_from_db()
    assert abo.sequenz == 3


def test_alte_zeitstempel_werden_abgelehnt():
    inhalt = b'{"sequenz": 1}'
    alt = str(int(timezone.now().timestamp()) - 3600)
    assert not pruefen("g", alt, inhalt, signatur("g", alt, inhalt))


def test_wiederholung_nach_fehler_haelt_die_reihenfolge(
    inline, empfaenger, familie, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_BACKOFF_SEKUNDEN = 30
    empfaenger.fehler = 1
    abo = WebhookAbo.objects.create(name="Dashboard", url=empfaenger.url)
    drei_aenderungen(familie, django_capture_on_commit_callbacks)
    # The first delivery failed; the later ones wait behind it instead of overtaking.
    assert empfaenger.sequenzen == [1]
    erste = abo.zustellungen.get(sequenz=1)
    assert erste.status == ZustellStatus.FEHLER
    assert erste.versuche == 1 and erste.statuscode == 500
    assert "500" in erste.fehler
    assert timedelta(seconds=25) < erste.naechster_versuch - timezone.now() <= timedelta(seconds=30)
    assert set(abo.zustellungen.exclude(sequenz=1).values_list("status", flat=True)) == {ZustellStatus.OFFEN}

    # Not due yet: nothing is sent.
    assert webhooks_faellige() == []
    assert webhook_zustellen(abo.pk)["zugestellt"] == 0

    WebhookZustellung.objects.filter(pk=erste.pk).update(naechster_versuch=timezone.now() - timedelta(seconds=1))
    assert webhooks_faellige() == [abo.pk]
    assert empfaenger.sequenzen == [1, 1, 2, 3]
    erste.refresh_from_db()
    assert erste.status == ZustellStatus.ZUGESTELLT and erste.versuche == 2 and erste.fehler == ""
    # The same bytes were sent again (receivers de-duplicate by event id).
    assert empfaenger.anfragen[0]["inhalt"] == empfaenger.anfragen[1]["inhalt"]


def test_exponentielles_warten_und_aufgeben(inline, empfaenger, familie, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_BACKOFF_SEKUNDEN = 10
    settings.WEBHOOK_MAX_VERSUCHE = 3
    empfaenger.fehler = 100
    abo = WebhookAbo.objects.create(name="Dashboard", url=empfaenger.url)
    with django_capture_on_commit_callbacks(execute=True):
        PhasenStatus.objects.create(themenfeld=familie, phase="analyse", status="laufend", stand=date(2033, 2, 1))
    wartezeiten = []
    for _ in range(3):
        z = abo.zustellungen.get()
        if z.naechster_versuch:
            wartezeiten.append(round((z.naechster_versuch - timezone.now()).total_seconds()))
        WebhookZustellung.objects.filter(pk=z.pk).update(naechster_versuch=timezone.now())
        webhook_zustellen(abo.pk)
    assert wartezeiten == [10, 20]
    z = abo.zustellungen.get()
    assert z.status == ZustellStatus.AUFGEGEBEN and z.versuche == 3


def test_nicht_erreichbar_wird_protokolliert(inline, familie, django_capture_on_commit_callbacks):
    abo = WebhookAbo.objects.create(name="weg", url="http://127.0.0.1:9/nichts")
    with django_capture_on_commit_callbacks(execute=True):
        PhasenStatus.objects.create(themenfeld=familie, phase="analyse", status="laufend", stand=date(2033, 3, 1))
    z = abo.zustellungen.get()
    assert z.status == ZustellStatus.FEHLER and z.statuscode is None and z.fehler


def test_filter_themenfeld_und_land(inline, empfaenger, familie, django_capture_on_commit_callbacks):
    anderes = Themenfeld.objects.exclude(pk=familie.pk).first()
    sh = Gebietskoerperschaft.objects.get(ars="01")
    he = Gebietskoerperschaft.objects.get(ars="06")
    nur_familie = WebhookAbo.objects.create(name="Familie", url=empfaenger.url, themenfeld=familie)
    nur_anderes = WebhookAbo.objects.create(name="Anderes", url=empfaenger.url, themenfeld=anderes)
    nur_sh = WebhookAbo.objects.create(name="SH", url=empfaenger.url, land=sh)
    nur_he = WebhookAbo.objects.create(name="HE", url=empfaenger.url, land=he)
    inaktiv = WebhookAbo.objects.create(name="aus", url=empfaenger.url, aktiv=False)
    kiel = Gebietskoerperschaft.objects.get(ags="01002000")
    leistung = Leistung.objects.filter(lage__themenfeld=familie).first()
    with django_capture_on_commit_callbacks(execute=True):
        PhasenStatus.objects.create(themenfeld=familie, phase="analyse", status="laufend", stand=date(2033, 4, 1))
        KommunaleUmsetzung.objects.create(
            kommune=kiel, leistung=leistung, status="angeschlossen", stand=date(2033, 4, 1)
        )
    assert nur_familie.zustellungen.count() == 2
    assert nur_anderes.zustellungen.count() == 0
    assert list(nur_sh.zustellungen.values_list("ereignis_id", flat=True)) == [
        z for z in nur_familie.zustellungen.values_list("ereignis_id", flat=True) if "KommunaleUmsetzung" in z
    ]
    assert nur_he.zustellungen.count() == 0
    assert inaktiv.zustellungen.count() == 0
    daten = json.loads(nur_sh.zustellungen.get().inhalt)
    assert daten["land"] == "01" and daten["gebiet"] == kiel.ars and daten["leistung"] == leistung.ozg_id


@pytest.mark.parametrize("url", ["ftp://example.org/x", "javascript:alert(1)", "nur-text", "file:///etc/passwd"])
def test_nur_http_adressen(url):
    with pytest.raises(ValidationError) as fehler:
        WebhookAbo(name="x", url=url).full_clean()
    assert "url" in fehler.value.message_dict


def test_admin_nur_fitko(client, fitko, land_redaktion, empfaenger):
    abo = WebhookAbo.objects.create(name="Dashboard", url=empfaenger.url)
    WebhookZustellung.objects.create(
        abo=abo, sequenz=1, ereignis_id="x:1", inhalt="{}", status="fehler", fehler="HTTP 500"
    )
    client.force_login(fitko)
    assert client.get("/admin/opendata/webhookabo/").status_code == 200
    antwort = client.get("/admin/opendata/webhookzustellung/")
    assert antwort.status_code == 200 and "x:1" in antwort.content.decode()
    antwort = client.post(
        "/admin/opendata/webhookabo/add/",
        {"name": "Böse", "url": "ftp://example.org/", "geheimnis": "g" * 32, "aktiv": "on"},
    )
    assert antwort.status_code == 200 and not WebhookAbo.objects.filter(name="Böse").exists()
    client.force_login(land_redaktion)
    assert client.get("/admin/opendata/webhookabo/").status_code == 403
    assert client.get("/admin/opendata/webhookzustellung/").status_code == 403


def test_email_an_folgende(inline, familie, django_capture_on_commit_callbacks, elterngeld):
    kiel = Gebietskoerperschaft.objects.get(ags="01002000")
    folgt_kiel = person("folgt-kiel")
    folgt_land = person("folgt-sh")
    folgt_familie = person("folgt-familie")
    folgt_anderem = person("folgt-he")
    ohne_staff = person("kein-staff")
    ohne_staff.is_staff = False
    ohne_staff.save()
    Abonnement.objects.create(user=folgt_kiel, kommune=kiel)
    Abonnement.objects.create(user=folgt_land, kommune=Gebietskoerperschaft.objects.get(ars="01"))
    Abonnement.objects.create(user=folgt_familie, themenfeld=familie)
    Abonnement.objects.create(user=folgt_anderem, kommune=Gebietskoerperschaft.objects.get(ars="06"))
    Abonnement.objects.create(user=ohne_staff, kommune=kiel)
    with django_capture_on_commit_callbacks(execute=True):
        KommunaleUmsetzung.objects.create(
            kommune=kiel, leistung=elterngeld, status="angeschlossen", stand=date(2033, 5, 1)
        )
    empfaenger = sorted(m.to[0] for m in mail.outbox)
    assert empfaenger == ["folgt-familie@example.org", "folgt-kiel@example.org", "folgt-sh@example.org"]
    text = mail.outbox[0].body
    assert "Kiel" in text and "/kommunen/01002000/" in text


def test_abonnement_admin_eigene(client, land_redaktion, fitko):
    andere = person("andere")
    fremd = Abonnement.objects.create(user=andere, themenfeld=Themenfeld.objects.first())
    client.force_login(land_redaktion)
    antwort = client.post(
        "/admin/opendata/abonnement/add/", {"themenfeld": Themenfeld.objects.last().pk, "kommune": ""}
    )
    assert antwort.status_code == 302
    assert Abonnement.objects.get(themenfeld=Themenfeld.objects.last()).user == land_redaktion
    liste = client.get("/admin/opendata/abonnement/").content.decode()
    assert "andere" not in liste
    assert client.get(f"/admin/opendata/abonnement/{fremd.pk}/change/").status_code in (302, 403, 404)
