"""Stored reports: contents from the real data, atomic swap, idempotency, triggers, pages, API and downloads."""

import threading
from datetime import date
from io import BytesIO
from unittest import mock

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

import pytest

from berichte import signals
from berichte.choices import Ausloeser, Berichtsart
from berichte.models import (
    AktuellerBericht,
    Berichtslauf,
    BeteiligungZeile,
    LaborZeile,
    ThemenfeldStandZeile,
    UmsetzungKommuneZeile,
    UmsetzungKreisZeile,
    UmsetzungLandZeile,
)
from berichte.services import builders, datenstand
from berichte.services.bauen import bauen
from berichte.services.sperre import einzelflug
from berichte.tasks import bericht_bauen, entprell_schluessel
from catalog.choices import UmsetzungsStatus
from catalog.models import (
    Gebietskoerperschaft,
    KommunaleUmsetzung,
    Leistung,
    Themenfeld,
    Umsetzungsstand,
    Zustaendigkeit,
)
from themenfelder.models import PhasenStatus

T, U, L, B = Berichtsart.THEMENFELDBEARBEITUNG, Berichtsart.UMSETZUNGSSTAND, Berichtsart.LABORE, Berichtsart.BETEILIGUNG

pytestmark = pytest.mark.django_db


def alle_bauen():
    return {art: bauen(art, ausloeser=Ausloeser.BEFEHL, erzwingen=True) for art in Berichtsart.values}


def test_beteiligung_aus_den_daten_54_3_15_9():
    lauf = Berichtslauf.objects.get(pk=bauen(B, ausloeser=Ausloeser.BEFEHL, erzwingen=True).lauf_id)
    zeile = BeteiligungZeile.objects.get(lauf=lauf)
    assert (zeile.kommunen, zeile.it_dienstleister, zeile.laender, zeile.themenfelder) == (54, 3, 15, 9)
    assert zeile.nennungen == 64
    assert zeile.satz == "54 Kommunen und 3 IT-Dienstleister aus 15 Ländern arbeiten in 9 Themenfeldern mit"
    assert lauf.kennzahlen["kommunen"] == 54


def test_labore_je_themenfeld():
    lauf_id = bauen(L, ausloeser=Ausloeser.BEFEHL, erzwingen=True).lauf_id
    zeilen = {z.themenfeld_name: z for z in LaborZeile.objects.filter(lauf_id=lauf_id)}
    assert len(zeilen) == 14
    assert sum(z.labore for z in zeilen.values()) == 22
    assert sum(z.pilotlabore for z in zeilen.values()) == 2
    assert zeilen["Bauen & Wohnen"].labore == 3
    assert "Ummeldung (Pilot)" in zeilen["Bauen & Wohnen"].labore_titel
    assert zeilen["Engagement & Hobby"].it_dienstleister == 3
    assert zeilen["Steuern & Zoll"].labore == 0


def test_themenfeldbearbeitung_wie_seed_und_fuer_jedes_datum():
    lauf_id = bauen(T, ausloeser=Ausloeser.BEFEHL, erzwingen=True).lauf_id
    zeilen = {z.themenfeld_name: z for z in ThemenfeldStandZeile.objects.filter(lauf_id=lauf_id)}
    assert len(zeilen) == 14
    assert {z.stichtag for z in zeilen.values()} == {date(2019, 4, 11)}
    familie = zeilen["Familie & Kind"]
    assert (familie.bund, familie.federfuehrung) == ("BMFSFJ", "HB")
    assert familie.abschluss == "in_vorbereitung"
    forschung = zeilen["Forschung & Förderung"]
    assert (forschung.vorgespraeche, forschung.kickoff) == ("laufend", "nicht_begonnen")
    assert sum(z.labore_anzahl for z in zeilen.values()) == 22

    # A later Stand adds a Stichtag; the table of 11.04.2019 stays reproducible.
    familie_tf = Themenfeld.objects.get(name="Familie & Kind")
    PhasenStatus.objects.create(
        themenfeld=familie_tf, phase="abschluss", status="abgeschlossen", stand=date(2020, 1, 1)
    )
    lauf = Berichtslauf.objects.get(pk=bauen(T, ausloeser=Ausloeser.BEFEHL).lauf_id)
    assert lauf.kennzahlen["stichtage"] == 2
    alt = ThemenfeldStandZeile.objects.get(lauf=lauf, stichtag=date(2019, 4, 11), themenfeld=familie_tf)
    neu = ThemenfeldStandZeile.objects.get(lauf=lauf, stichtag=date(2020, 1, 1), themenfeld=familie_tf)
    assert (alt.abschluss, neu.abschluss) == ("in_vorbereitung", "abgeschlossen")


def test_umsetzungsstand_je_land_kreis_und_kommune():
    land = Gebietskoerperschaft.objects.get(ars="01")
    anderes = Gebietskoerperschaft.objects.get(ars="05")
    elterngeld = Leistung.objects.get(ozg_id=10000)
    Umsetzungsstand.objects.create(
        land=land,
        leistung=elterngeld,
        status=UmsetzungsStatus.ONLINE,
        reifegrad=3,
        efa_anbieter=anderes,
        stand=date.today(),
    )
    Zustaendigkeit.objects.create(land=land, leistung=elterngeld, ebene="kreis")
    gemeinde = Gebietskoerperschaft.objects.filter(ebene="gemeinde", ars__startswith="01").first()
    KommunaleUmsetzung.objects.create(kommune=gemeinde, leistung=elterngeld, status="angeschlossen", stand=date.today())

    lauf = Berichtslauf.objects.get(pk=bauen(U, ausloeser=Ausloeser.BEFEHL, erzwingen=True).lauf_id)
    assert UmsetzungLandZeile.objects.filter(lauf=lauf).count() == 14 * 16
    assert sum(UmsetzungLandZeile.objects.filter(lauf=lauf).values_list("leistungen", flat=True)) == 557 * 16
    zeile = UmsetzungLandZeile.objects.get(lauf=lauf, land=land, themenfeld=elterngeld.lage.themenfeld)
    assert (zeile.status_online, zeile.reifegrad_3, zeile.efa_nachnutzung, zeile.ebene_kreis) == (1, 1, 1, 1)
    assert zeile.status_ohne == zeile.leistungen - 1
    assert (zeile.kommunal_erfasst, zeile.kommunal_angeschlossen, zeile.kommunal_synthetisch) == (1, 1, 0)
    kommune = UmsetzungKommuneZeile.objects.get(lauf=lauf)
    assert (kommune.kommune_ars, kommune.kommunal_angeschlossen, kommune.ebene_kreis) == (gemeinde.ars, 1, 1)
    kreis = UmsetzungKreisZeile.objects.get(lauf=lauf)
    assert kreis.kreis_ars == gemeinde.ars[:5] and kreis.kommunen == 1
    assert lauf.kennzahlen["online"] == 1 and not lauf.synthetisch


def test_synthetische_daten_sind_markiert(client):
    call_command("generate_synthetic", gemeinden=4, leistungen=5, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert KommunaleUmsetzung.objects.filter(synthetisch=True).count() == 20
    call_command("generate_synthetic", gemeinden=4, leistungen=5, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert KommunaleUmsetzung.objects.count() == 20  # idempotent
    lauf = Berichtslauf.objects.get(pk=bauen(U, ausloeser=Ausloeser.BEFEHL).lauf_id)
    assert lauf.synthetisch and lauf.kennzahlen["kommunal_synthetisch"] == 20
    assert UmsetzungKommuneZeile.objects.filter(lauf=lauf).count() == 4
    seite = client.get(reverse("berichte:umsetzung-kommunen")).content.decode()
    assert "Synthetische Daten" in seite
    antwort = client.get(reverse("berichte:download-csv", args=["umsetzung-kommunen"]))
    assert antwort["X-Synthetisch"] == "ja"
    call_command("generate_synthetic", loeschen=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not KommunaleUmsetzung.objects.exists()


def test_idempotent_und_fruehere_laeufe_bleiben():
    erster = bauen(B, ausloeser=Ausloeser.BEFEHL, erzwingen=True)
    assert bauen(B, ausloeser=Ausloeser.BEFEHL).status == "unveraendert"
    zweiter = bauen(B, ausloeser=Ausloeser.BEFEHL, erzwingen=True)
    assert zweiter.lauf_id != erster.lauf_id
    assert BeteiligungZeile.objects.filter(lauf_id=erster.lauf_id).exists()
    assert AktuellerBericht.objects.get(art=B).lauf_id == zweiter.lauf_id


def test_abgebrochener_bau_laesst_den_alten_bericht_stehen():
    alt = bauen(L, ausloeser=Ausloeser.BEFEHL, erzwingen=True)
    laeufe = Berichtslauf.objects.count()

    def halb_und_dann_fehler(lauf):
        builders.baue_labore(lauf)  # rows written …
        raise RuntimeError("Abbruch mitten im Bau")  # … then the build dies

    with mock.patch.dict(builders.BUILDER, {L: halb_und_dann_fehler}), pytest.raises(RuntimeError):
        bauen(L, ausloeser=Ausloeser.BEFEHL, erzwingen=True)
    assert AktuellerBericht.objects.get(art=L).lauf_id == alt.lauf_id
    assert Berichtslauf.objects.count() == laeufe
    assert LaborZeile.objects.exclude(lauf_id__in=Berichtslauf.objects.values("pk")).count() == 0


def test_alte_einzelzeilen_werden_aufgeraeumt(settings):
    settings.BERICHTE_LAEUFE_MIT_DETAILS = 2
    ids = [bauen(B, ausloeser=Ausloeser.BEFEHL, erzwingen=True).lauf_id for _ in range(4)]
    assert (
        list(BeteiligungZeile.objects.filter(lauf_id__in=ids).values_list("lauf_id", flat=True).order_by("lauf_id"))
        == ids[2:]
    )
    assert Berichtslauf.objects.filter(pk__in=ids[:2], details_entfernt=True).count() == 2


def test_einzelflug_mit_speicher_cache():
    gehalten, freigeben, ergebnis = threading.Event(), threading.Event(), []

    def halten():
        with einzelflug("test-art") as frei:
            ergebnis.append(frei)
            gehalten.set()
            freigeben.wait(5)

    faden = threading.Thread(target=halten)
    faden.start()
    gehalten.wait(5)
    with einzelflug("test-art") as frei:
        assert frei is False
    freigeben.set()
    faden.join()
    with einzelflug("test-art") as frei:
        assert frei is True
    assert ergebnis == [True]


@pytest.fixture
def relay_inline():
    """The change log's relay runs in this process (with REDIS_URL it would go to a worker)."""
    from ozgportal.celery import app

    alt = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = alt


def test_aenderungen_einer_transaktion_reihen_einen_bau_ein(relay_inline, django_capture_on_commit_callbacks):
    cache.delete(entprell_schluessel(T))
    tf = Themenfeld.objects.get(name="Bildung")
    with mock.patch.object(bericht_bauen, "apply_async") as einreihen:
        with django_capture_on_commit_callbacks(execute=True):
            for phase in ("kickoff", "abschluss", "vorgespraeche"):
                PhasenStatus.objects.create(themenfeld=tf, phase=phase, status="laufend", stand=date(2021, 5, 1))
        assert einreihen.call_count == 1
        assert einreihen.call_args.kwargs["kwargs"]["art"] == T
        # Debounced: a second trigger before the build starts adds no task.
        signals.ausloesen(T)
        assert einreihen.call_count == 1
    cache.delete(entprell_schluessel(T))


def test_task_inline_baut_und_ist_idempotent():
    ergebnis = bericht_bauen.apply(kwargs={"art": B, "erzwingen": True}).get()
    assert ergebnis["status"] == "gebaut"
    assert bericht_bauen.apply(kwargs={"art": B}).get()["status"] == "unveraendert"
    from celery import current_app

    assert current_app.amqp.router.route({}, bericht_bauen.name)["queue"].name == "berichte"
    assert bericht_bauen.acks_late and bericht_bauen.reject_on_worker_lost


def test_naechtlicher_zeitplan_ist_in_der_datenbank():
    from django_celery_beat.models import PeriodicTask

    aufgabe = PeriodicTask.objects.get(task="berichte.alle_bauen")
    assert aufgabe.crontab.hour == "2" and aufgabe.queue == "berichte"


def test_rebuild_befehl(capsys):
    call_command("rebuild_berichte", "beteiligung", erzwingen=True)
    assert "beteiligung: gebaut" in capsys.readouterr().out


@pytest.mark.parametrize(
    "name",
    [
        "uebersicht",
        "themenfeldbearbeitung",
        "umsetzung-laender",
        "umsetzung-kreise",
        "umsetzung-kommunen",
        "labore",
        "beteiligung",
    ],
)
def test_seiten(client, name):
    alle_bauen()
    antwort = client.get(reverse(f"berichte:{name}"))
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    if name != "uebersicht":
        assert "gebaut am" in inhalt
        assert 'role="img"' in inhalt  # the progress chart, with its numbers in a table
    if name == "beteiligung":
        assert "54 Kommunen und 3 IT-Dienstleister aus 15 Ländern arbeiten in 9 Themenfeldern mit" in inhalt
        assert "Offenbach" in inhalt


def test_seiten_ohne_bau(client):
    AktuellerBericht.objects.all().delete()
    antwort = client.get(reverse("berichte:labore"))
    assert antwort.status_code == 200 and "noch nicht gebaut" in antwort.content.decode()


def test_stand_am_und_frueherer_lauf(client):
    erster = alle_bauen()[T]
    antwort = client.get(reverse("berichte:themenfeldbearbeitung"), {"stand": "2019-12-31"})
    assert "am 11.04.2019" in antwort.content.decode()
    antwort = client.get(reverse("berichte:themenfeldbearbeitung"), {"lauf": erster.lauf_id})
    assert antwort.status_code == 200
    assert client.get(reverse("berichte:themenfeldbearbeitung"), {"lauf": 999999}).status_code == 404


@pytest.mark.parametrize(
    "tabelle", ["themenfeldbearbeitung", "umsetzung-laender", "umsetzung-kreise", "labore", "beteiligung"]
)
def test_downloads(client, tabelle):
    alle_bauen()
    csv = client.get(reverse("berichte:download-csv", args=[tabelle]))
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert len(text.splitlines()) >= (1 if tabelle == "umsetzung-kreise" else 2)  # no Kommune data yet
    xlsx = client.get(reverse("berichte:download-xlsx", args=[tabelle]))
    from openpyxl import load_workbook

    mappe = load_workbook(BytesIO(xlsx.content))
    assert mappe.sheetnames == ["Daten", "Herkunft"]
    assert mappe["Herkunft"]["A1"].value == "Bericht"


def test_csv_der_laender_gefiltert(client):
    alle_bauen()
    csv = client.get(reverse("berichte:download-csv", args=["umsetzung-laender"]), {"land": "SH"})
    zeilen = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert len(zeilen) == 1 + 14


def test_api(client):
    alle_bauen()
    liste = client.get("/api/v1/berichte/").json()
    assert {b["art"] for b in liste} == set(Berichtsart.values)
    assert all(b["aktueller_lauf"]["datenstand_hash"] for b in liste)
    beteiligung = client.get("/api/v1/berichte/beteiligung/").json()
    assert beteiligung["results"][0]["kommunen"] == 54
    assert beteiligung["lauf"]["art"] == "beteiligung"
    laender = client.get("/api/v1/berichte/umsetzung-laender/", {"land": "NW", "page_size": 5}).json()
    assert laender["count"] == 14 and len(laender["results"]) == 5
    tf = client.get("/api/v1/berichte/themenfeldbearbeitung/", {"stand": "2019-04-11"}).json()
    assert tf["count"] == 14
    csv = client.get("/api/v1/berichte/labore/", {"format": "csv"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    xlsx = client.get("/api/v1/berichte/labore/", {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/api/v1/berichte/laeufe/", {"art": "labore"}).json()["count"] >= 1


def test_api_ohne_bau_404(client):
    AktuellerBericht.objects.all().delete()
    assert client.get("/api/v1/berichte/labore/").status_code == 404


def test_verwaltung_reiht_neubau_ein(admin_client, django_capture_on_commit_callbacks):
    alle_bauen()
    with mock.patch.object(bericht_bauen, "apply_async") as einreihen:
        with django_capture_on_commit_callbacks(execute=True):
            antwort = admin_client.post(reverse("admin:berichte_berichtslauf_alle_neu_bauen"))
        assert antwort.status_code == 302
        assert {c.kwargs["kwargs"]["art"] for c in einreihen.call_args_list} == set(Berichtsart.values)
        assert all(c.kwargs["kwargs"]["erzwingen"] for c in einreihen.call_args_list)
        einreihen.reset_mock()
        lauf = Berichtslauf.objects.filter(art=L).first()
        with django_capture_on_commit_callbacks(execute=True):
            admin_client.post(
                reverse("admin:berichte_berichtslauf_changelist"),
                {"action": "neu_bauen", "_selected_action": [lauf.pk]},
            )
        assert [c.kwargs["kwargs"]["art"] for c in einreihen.call_args_list] == [L]
    assert admin_client.get(reverse("admin:berichte_berichtslauf_changelist")).status_code == 200


def test_datenstand_aendert_sich_mit_den_daten():
    vorher = datenstand.pruefsumme(datenstand.ermitteln(U))
    Umsetzungsstand.objects.create(
        land=Gebietskoerperschaft.objects.get(ars="02"),
        leistung=Leistung.objects.get(ozg_id=10000),
        status=UmsetzungsStatus.IN_PLANUNG,
        stand=date.today(),
    )
    assert datenstand.pruefsumme(datenstand.ermitteln(U)) != vorher
    assert connection.vendor in ("sqlite", "postgresql")
