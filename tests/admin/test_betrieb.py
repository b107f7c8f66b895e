"""The operators' screens of the change pipeline (core.admin) and the e-mail outbox (opendata.admin).

What an operator needs without psql: a failing relay consumer and its error, entries waiting behind a cursor, a
rebuild demand that is stuck, and mails that keep failing; actions that put them in motion; and a change log list
that stays cheap however long the log grows. Who sees them: superusers, FITKO-Redaktion reads the pipeline (not
the outbox: addresses), a Land-Redaktion nothing (the matrix in tests/ops/zugriff covers every role and route).
"""

import datetime

from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from berichte.signals import auftrag
from catalog.models import Gebietskoerperschaft, Leistung, Umsetzungsstand
from core import relay
from core.admin import ZAEHLGRENZE
from core.models import Aenderung, Konsumentenstand, Neubauauftrag
from opendata.choices import ZustellStatus
from opendata.models import EmailAusgang
from redaktion import rules as rollen
from tests.opendata.conftest import inline  # noqa: F401  (fixture)
from tests.pipeline.conftest import smtp  # noqa: F401  (fixture: a real SMTP server on 127.0.0.1)

from .conftest import PASSWORT

pytestmark = pytest.mark.django_db

AENDERUNGEN = "/admin/core/aenderung/"
KONSUMENTEN = "/admin/core/konsumentenstand/"
NEUBAUTEN = "/admin/core/neubauauftrag/"
AUSGANG = "/admin/opendata/emailausgang/"


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("betrieb", "betrieb@example.org", PASSWORT)


def _angemeldet(client, user):
    client.force_login(user)
    return client


def _neuer_stand():
    """A real change through the ORM: one entry in the log, in this test's transaction (no relay after it)."""
    Umsetzungsstand.objects.create(
        land=Gebietskoerperschaft.objects.get(ars="02"),
        leistung=Leistung.objects.get(ozg_id=10000),
        status="in_planung",
        stand=datetime.date(2024, 3, 1),
    )
    return Aenderung.objects.order_by("-id").first()


@pytest.fixture
def kaputter_konsument():
    def kaputt(eintraege):
        raise RuntimeError("Empfänger nicht erreichbar: Verbindung abgelehnt")

    relay.weiterreichen()  # every cursor at the end of the loaded data
    Konsumentenstand.objects.create(name="test-kaputt", letzte_id=relay.letzte_id())
    relay.registrieren("test-kaputt", kaputt)
    yield "test-kaputt"
    relay.KONSUMENTEN.pop("test-kaputt", None)


def test_ein_scheiternder_konsument_steht_mit_fehler_in_der_liste(client, fitko, kaputter_konsument):
    eintrag = _neuer_stand()
    relay.weiterreichen([kaputter_konsument])
    relay.weiterreichen([kaputter_konsument])

    html = _angemeldet(client, fitko).get(KONSUMENTEN).content.decode()
    zeile = next(z for z in html.split("<tr") if kaputter_konsument in z)
    assert "RuntimeError: Empfänger nicht erreichbar: Verbindung abgelehnt" in zeile
    assert '<td class="field-fehlversuche">2</td>' in zeile  # two runs in a row failed
    assert '<td class="field-ausstehend">1</td>' in zeile  # the one entry waits behind it
    stand = Konsumentenstand.objects.get(name=kaputter_konsument)
    assert stand.letzte_id < eintrag.id
    # FITKO reads; the action that queues work is not offered to it.
    assert "jetzt_weiterreichen" not in html


def test_jetzt_weiterreichen_verarbeitet_die_ausstehenden_eintraege(
    client,
    superuser,
    inline,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    settings.BERICHTE_AUTOMATISCH = False  # the consumers run; their rebuilds are not what this test is about
    gesehen = []
    relay.weiterreichen()
    relay.registrieren("test-zaehler", lambda eintraege: gesehen.extend(e.id for e in eintraege))
    try:
        relay.weiterreichen(["test-zaehler"])
        gesehen.clear()
        eintrag = _neuer_stand()  # committed in the test's transaction only: no relay ran for it
        assert Konsumentenstand.objects.get(name="test-zaehler").letzte_id < eintrag.id

        client = _angemeldet(client, superuser)
        html = client.get(KONSUMENTEN).content.decode()
        assert '<td class="field-ausstehend">1</td>' in html
        with django_capture_on_commit_callbacks(execute=True) as rueckrufe:
            antwort = client.post(
                KONSUMENTEN, {"action": "jetzt_weiterreichen", "_selected_action": ["test-zaehler"]}, follow=True
            )
        assert antwort.status_code == 200 and len(rueckrufe) == 1
        assert "Relay-Lauf eingereiht" in antwort.content.decode()
        assert gesehen == [eintrag.id]
        assert Konsumentenstand.objects.get(name="test-zaehler").letzte_id == eintrag.id
        assert '<td class="field-ausstehend">0</td>' in client.get(KONSUMENTEN).content.decode()
    finally:
        relay.KONSUMENTEN.pop("test-zaehler", None)


def test_jetzt_nachholen_baut_einen_haengenden_neubau(
    client,
    superuser,
    inline,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    # A build that a killed worker left "begonnen" a minute ago: the sweep would wait NEUBAU_NACHHOLEN_SEKUNDEN.
    settings.NEUBAU_NACHHOLEN_SEKUNDEN = 600
    bis = relay.letzte_id()
    schluessel = auftrag("beteiligung")
    Neubauauftrag.objects.update_or_create(
        schluessel=schluessel,
        defaults={
            "task": "berichte.bericht_bauen",
            "argumente": {"art": "beteiligung", "ausloeser": "aenderung"},
            "gewuenscht_bis": bis + 1,
            "erledigt_bis": 0,
            "eingereiht_am": None,
            "begonnen_am": timezone.now() - datetime.timedelta(minutes=1),
        },
    )
    client = _angemeldet(client, superuser)
    liste = client.get(NEUBAUTEN + "?offen=ja").content.decode()
    assert schluessel in liste and "icon-yes.svg" in liste

    # The build covers the log up to its newest entry: one more than the demand's, so "erledigt" is unambiguous.
    _neuer_stand()
    with django_capture_on_commit_callbacks(execute=True):
        antwort = client.post(NEUBAUTEN, {"action": "jetzt_nachholen", "_selected_action": [schluessel]}, follow=True)
    assert "1 offene Neubau-Aufträge werden nachgeholt" in antwort.content.decode()
    erledigt = Neubauauftrag.objects.get(schluessel=schluessel)
    assert erledigt.erledigt_bis >= bis + 1 and erledigt.begonnen_am is None
    assert schluessel not in client.get(NEUBAUTEN + "?offen=ja").content.decode()


def test_aenderungsprotokoll_zaehlt_nicht_alles_und_braucht_wenige_abfragen(
    client, superuser, django_assert_max_num_queries
):
    jetzt = timezone.now()
    Aenderung.objects.bulk_create(
        Aenderung(
            modell="catalog.Leistung", schluessel=str(i), aktion="geaendert", nachher={"name": f"L{i}"}, wie="import",
            wer="user:1", zeitpunkt=jetzt, sekunde=1, transaktion="masse",
        )
        for i in range(ZAEHLGRENZE + 500)
    )  # fmt: skip
    assert Aenderung.objects.count() > ZAEHLGRENZE
    client = _angemeldet(client, superuser)
    # Six queries whatever the filter: session, user, the capped count, one page, the two ends of the date range.
    for url in [
        AENDERUNGEN,
        AENDERUNGEN + "?modell=catalog.Leistung&aktion=geaendert&wie=import",
        AENDERUNGEN + f"?zeitpunkt__year={jetzt.year}",
        AENDERUNGEN + "?q=masse",
        AENDERUNGEN + "?p=3",
    ]:
        with CaptureQueriesContext(connection) as abfragen, django_assert_max_num_queries(6):
            antwort = client.get(url)
        assert antwort.status_code == 200, url
        sql = " ".join(a["sql"] for a in abfragen.captured_queries)
        assert "DISTINCT" not in sql.upper(), url  # no filter and no date hierarchy reads every value
        assert "LIMIT" in sql.upper(), url
    html = antwort.content.decode()
    assert f"die neuesten {ZAEHLGRENZE:n}" in html or f"die neuesten {ZAEHLGRENZE}" in html


def test_detail_zeigt_vorher_und_nachher_je_feld(client, fitko):
    eintrag = Aenderung.objects.create(
        modell="catalog.Umsetzungsstand", schluessel="01:10000", aktion="geaendert", wie="admin", wer="user:7",
        vorher={"status": "in_planung", "stand": "2024-01-01"}, nachher={"status": "online", "stand": "2024-01-01"},
        zeitpunkt=timezone.now(), sekunde=1, transaktion="t1",
    )  # fmt: skip
    html = _angemeldet(client, fitko).get(f"{AENDERUNGEN}{eintrag.pk}/change/").content.decode()
    assert '<th scope="row"><strong>status</strong></th><td>&quot;in_planung&quot;</td>' in html
    assert "<td><strong>&quot;online&quot;</strong></td>" in html
    assert '<th scope="row">stand</th>' in html  # unchanged: not bold
    assert 'name="_save"' not in html  # read-only


def test_land_redaktion_sieht_keinen_betriebsbildschirm(client, land_sh):
    client = _angemeldet(client, land_sh)
    for url in [AENDERUNGEN, KONSUMENTEN, NEUBAUTEN, AUSGANG]:
        assert client.get(url).status_code == 403, url
    assert client.get("/admin/core/").status_code == 404


def test_email_ausgang_nur_fuer_superuser_auch_bei_einem_gruppenrecht(client, fitko):
    # A group that still holds the outbox's permission (from before NUR_SUPERUSER) does not open it.
    Group.objects.get(name=rollen.FITKO).permissions.add(Permission.objects.get(codename="view_emailausgang"))
    fitko = User.objects.get(pk=fitko.pk)
    assert fitko.has_perm("opendata.view_emailausgang")
    assert _angemeldet(client, fitko).get(AUSGANG).status_code == 403


def test_email_erneut_versuchen(client, superuser, smtp, inline, django_capture_on_commit_callbacks):  # noqa: F811
    aufgegeben = EmailAusgang.objects.create(
        empfaenger="person@example.org", betreff="Änderung in Kiel", text="…", status=ZustellStatus.AUFGEGEBEN,
        versuche=5, fehler="SMTPServerDisconnected: Connection unexpectedly closed",
    )  # fmt: skip
    gesendet = EmailAusgang.objects.create(
        empfaenger="andere@example.org", betreff="x", text="…", status=ZustellStatus.ZUGESTELLT, versuche=1
    )
    client = _angemeldet(client, superuser)
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in client.get(AUSGANG).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        antwort = client.post(
            AUSGANG, {"action": "erneut_versuchen", "_selected_action": [aufgegeben.pk, gesendet.pk]}, follow=True
        )
    assert "1 E-Mails werden erneut versucht." in antwort.content.decode()
    aufgegeben.refresh_from_db()
    gesendet.refresh_from_db()
    assert aufgegeben.status == ZustellStatus.ZUGESTELLT and aufgegeben.versuche == 1
    assert gesendet.versuche == 1  # a sent mail is not sent again
    assert len(smtp.an("person@example.org")) == 1 and smtp.an("andere@example.org") == []


def test_ein_weit_zurueckliegender_cursor_zaehlt_nur_bis_zur_grenze(client, fitko, django_assert_max_num_queries):
    # A new consumer starts at entry 0, behind every entry of the loaded data (over 20,000): counted up to 10,000.
    assert Aenderung.objects.count() > 10_000
    Konsumentenstand.objects.create(name="test-neu", letzte_id=0)
    anzahl = Konsumentenstand.objects.count()
    client = _angemeldet(client, fitko)
    # Session, user, user's and groups' permissions, the user's groups, two counts of the small table, the rows, and
    # one bounded count per cursor.
    with django_assert_max_num_queries(8 + anzahl):
        html = client.get(KONSUMENTEN).content.decode()
    zeile = next(z for z in html.split("<tr") if "test-neu" in z)
    assert '<td class="field-ausstehend">&gt; 10.000</td>' in zeile
