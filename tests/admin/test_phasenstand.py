"""The focused screen: FITKO enters a new Stand of all phases of a Themenfeld, finds it in the history and on
the public page, and the table "Stand 11.04.2019" stays as it was."""

import datetime

from django.urls import reverse
from django.utils import timezone

import pytest

from catalog.models import Themenfeld
from themenfelder.choices import Phase
from themenfelder.models import PhasenStatus

SEED = datetime.date(2019, 4, 11)
URL = "/admin/themenfelder/phasenstatus/stand/familie-kind/"


def tabelle(stichtag):
    """The Themenfeld table as of ``stichtag``: {(Themenfeld, Phase): Status}."""
    return {
        (p.themenfeld.name, p.phase): p.status
        for p in PhasenStatus.objects.stand_am(stichtag).select_related("themenfeld")
    }


def formular(stand, **status):
    aktuell = {
        "vorgespraeche": "abgeschlossen",
        "kickoff": "abgeschlossen",
        "analyse_planung": "abgeschlossen",
        "durchfuehrung_labore": "laufend",
        "umsetzungsplanung": "laufend",
        "abschluss": "in_vorbereitung",
    }
    aktuell.update(status)
    return {
        "stand": stand.isoformat(),
        "quelle": "Protokoll Lenkungskreis",
        **{f"phase_{k}": v for k, v in aktuell.items()},
    }


@pytest.fixture
def familie(db):
    return Themenfeld.objects.get(slug="familie-kind")


def test_formular_zeigt_den_bisherigen_stand(client, fitko):
    client.force_login(fitko)
    antwort = client.get(URL)
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "bisher (Stand 11.04.2019)" in inhalt
    assert "in Vorbereitung" in inhalt  # TF-Abschluss as of 11.04.2019
    assert antwort.context["form"]["phase_abschluss"].initial == "in_vorbereitung"


def test_neuer_stand_ergaenzt_und_steht_in_historie_und_auf_der_seite(client, fitko, familie):
    vorher_2019 = tabelle(SEED)
    heute = timezone.localdate()
    client.force_login(fitko)

    antwort = client.post(URL, formular(heute, umsetzungsplanung="abgeschlossen", abschluss="laufend"))
    assert antwort.status_code == 302

    # New rows for the new Stand, one per phase; the 2019 rows untouched.
    neu = PhasenStatus.objects.filter(themenfeld=familie, stand=heute)
    assert neu.count() == len(Phase.values)
    assert tabelle(SEED) == vorher_2019
    assert tabelle(heute)[("Familie & Kind", "abschluss")] == "laufend"

    # History: who and when, visible in the admin.
    eintrag = neu.get(phase="abschluss")
    historie = eintrag.history.latest()
    assert historie.history_user == fitko
    assert historie.history_change_reason == "Phasenstand erfasst"
    seite = client.get(f"/admin/themenfelder/phasenstatus/{eintrag.pk}/history/")
    assert seite.status_code == 200
    assert "fitko" in seite.content.decode()

    # The form now shows the new Stand as the previous one.
    assert f"bisher (Stand {heute:%d.%m.%Y})" in client.get(URL).content.decode()


def test_neuer_stand_auf_der_oeffentlichen_seite(client, fitko, familie):
    adresse = reverse("themenfeld", args=[familie.slug])
    heute = timezone.localdate()
    client.force_login(fitko)
    client.post(URL, formular(heute, abschluss="abgeschlossen"))
    client.logout()
    inhalt = client.get(adresse).content.decode()
    assert f"{heute:%d.%m.%Y}" in inhalt
    aktuell = {e.phase: e.status for e in PhasenStatus.objects.stand_am().filter(themenfeld=familie)}
    assert aktuell["abschluss"] == "abgeschlossen"


def test_gleicher_tag_korrigiert_und_die_historie_kennt_das_vorher(client, fitko, familie):
    """A correction of the 11.04.2019 row itself: stand_am shows the correction, history.as_of the original."""
    vor_der_korrektur = timezone.now()
    original = tabelle(SEED)
    client.force_login(fitko)
    antwort = client.post(URL, formular(SEED, abschluss="nicht_begonnen"))
    assert antwort.status_code == 302
    assert PhasenStatus.objects.filter(themenfeld=familie, stand=SEED).count() == len(Phase.values)
    assert tabelle(SEED)[("Familie & Kind", "abschluss")] == "nicht_begonnen"

    damals = {
        (familie.name, h.phase): h.status
        for h in PhasenStatus.history.as_of(vor_der_korrektur).filter(themenfeld=familie, stand=SEED)
    }
    assert damals == {k: v for k, v in original.items() if k[0] == familie.name}


def test_stand_in_der_zukunft_wird_abgelehnt(client, fitko, familie):
    client.force_login(fitko)
    morgen = timezone.localdate() + datetime.timedelta(days=1)
    antwort = client.post(URL, formular(morgen))
    assert antwort.status_code == 400
    assert "nicht in der Zukunft" in antwort.content.decode()
    assert not PhasenStatus.objects.filter(stand=morgen).exists()


@pytest.mark.parametrize("rolle", ["land", "kommune", "lesend", "ohne"])
def test_nur_fitko_erfasst_phasenstaende(client, personen, rolle):
    client.force_login(personen[rolle])
    assert client.get(URL).status_code == 403
    assert client.post(URL, formular(timezone.localdate())).status_code == 403


def test_uebersicht_verlinkt_alle_themenfelder(client, fitko):
    client.force_login(fitko)
    antwort = client.get("/admin/themenfelder/phasenstatus/stand/")
    assert antwort.status_code == 200
    assert antwort.content.decode().count("/admin/themenfelder/phasenstatus/stand/") >= 14
