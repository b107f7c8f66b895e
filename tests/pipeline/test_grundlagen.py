"""The change log's guarantees: rolled back means nothing, commit order equals id order, history stays complete,
and a cache that raises can cost a miss but never serve or confirm stale data."""

import datetime
import shutil
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections, transaction

import pytest
from rest_framework.test import APIClient

from catalog.models import Gebietskoerperschaft, Leistung, Umsetzungsstand
from core import relay
from core.aenderungen import erfassen
from core.models import Aenderung, Konsumentenstand
from tests.hilfen import auf_eigener_verbindung
from themenfelder.models import PhasenStatus

pytestmark = pytest.mark.django_db


def _neu():
    return Umsetzungsstand(
        land=Gebietskoerperschaft.objects.get(ars="01"),
        leistung=Leistung.objects.get(ozg_id=10000),
        status="in_planung",
        stand=datetime.date(2024, 1, 1),
    )


def test_zurueckgerollt_kein_eintrag_und_nichts_ausgeloest(
    konsumenten, abos, empfaenger, smtp, inline, django_capture_on_commit_callbacks
):
    relay.weiterreichen()
    letzte = Aenderung.objects.order_by("-id").values_list("id", flat=True).first()
    staende = dict(Konsumentenstand.objects.values_list("name", "letzte_id"))
    with django_capture_on_commit_callbacks(execute=True) as rueckrufe, pytest.raises(RuntimeError):  # noqa: SIM117
        with transaction.atomic():
            _neu().save()
            assert Aenderung.objects.filter(id__gt=letzte).exists()  # written in the same transaction …
            raise RuntimeError("Abbruch")
    assert not Aenderung.objects.filter(id__gt=letzte).exists()  # … and gone with it
    assert rueckrufe == []
    assert relay.weiterreichen() == dict.fromkeys(relay.KONSUMENTEN, 0)
    assert dict(Konsumentenstand.objects.values_list("name", "letzte_id")) == staende
    assert empfaenger.anfragen == [] and smtp.nachrichten == []


def test_ein_fehlschlagender_konsument_verliert_nichts_und_haelt_niemanden_auf(
    konsumenten, django_capture_on_commit_callbacks
):
    relay.weiterreichen()
    gesehen = []

    def kaputt(eintraege):
        raise RuntimeError("Empfänger kaputt")

    relay.registrieren("test-kaputt", kaputt)
    relay.registrieren("test-gut", lambda e: gesehen.extend(x.id for x in e))
    try:
        relay.weiterreichen(["test-kaputt", "test-gut"])  # start both cursors at the current end
        gesehen.clear()
        _neu().save()
        neu = Aenderung.objects.order_by("-id").first()
        ergebnis = relay.weiterreichen(["test-kaputt", "test-gut"])
        assert ergebnis["test-gut"] >= 1 and neu.id in gesehen
        kaputt_stand = Konsumentenstand.objects.get(name="test-kaputt")
        assert kaputt_stand.letzte_id < neu.id and kaputt_stand.fehlversuche >= 1
        assert "Empfänger kaputt" in kaputt_stand.fehler
        relay.registrieren("test-kaputt", lambda e: gesehen.extend(("spaet", x.id) for x in e))
        relay.weiterreichen(["test-kaputt"])
        assert ("spaet", neu.id) in gesehen  # retried later: nothing lost
    finally:
        relay.KONSUMENTEN.pop("test-kaputt")
        relay.KONSUMENTEN.pop("test-gut")


def test_reimport_schreibt_historie_und_as_of_stimmt(tmp_path):
    familie_abschluss = PhasenStatus.objects.get(
        themenfeld__slug="familie-kind", phase="abschluss", stand=datetime.date(2019, 4, 11)
    )
    assert familie_abschluss.status == "in_vorbereitung"
    vorher = familie_abschluss.history.latest().history_date
    ordner = tmp_path / "seed"
    shutil.copytree(settings.FIXTURES_DIR / "seed-2019-04-11", ordner)
    phasen = ordner / "phasen.csv"
    alt = "Familie & Kind,abschluss,➤,in_vorbereitung,2019-04-11"
    phasen.write_text(phasen.read_text().replace(alt, "Familie & Kind,abschluss,🔄,laufend,2019-04-11"))
    time.sleep(0.01)
    call_command("import_seed", "--ordner", str(ordner), stdout=open("/dev/null", "w"))  # noqa: SIM115
    neueste = familie_abschluss.history.latest()
    assert neueste.status == "laufend" and neueste.history_type == "~"
    assert PhasenStatus.history.as_of(vorher).get(pk=familie_abschluss.pk).status == "in_vorbereitung"
    assert PhasenStatus.history.as_of(neueste.history_date).get(pk=familie_abschluss.pk).status == "laufend"
    eintrag = Aenderung.objects.filter(modell="themenfelder.PhasenStatus").latest("id")
    assert (eintrag.wie, eintrag.wer, eintrag.themenfeld) == ("seed", "manage.py import_seed", "familie-kind")
    assert eintrag.vorher == {"status": "in_vorbereitung"} and eintrag.nachher == {"status": "laufend"}
    assert eintrag.historie_id == neueste.history_id


def test_aenderung_erfassen_fuer_schreibzugriffe_an_django_vorbei():
    leistung = Leistung.objects.get(ozg_id=10000)
    with connection.cursor() as cur:  # as psql would
        cur.execute("UPDATE catalog_leistung SET name = %s WHERE id = %s", ["Elterngeld (psql)", leistung.pk])
    api = APIClient()
    etag = api.get("/api/v1/leistungen/10000/")["ETag"]
    call_command("aenderung_erfassen", "catalog.Leistung", str(leistung.pk), stdout=open("/dev/null", "w"))  # noqa: SIM115
    antwort = api.get("/api/v1/leistungen/10000/", HTTP_IF_NONE_MATCH=etag)
    assert antwort.status_code == 200 and antwort.json()["name"] == "Elterngeld (psql)"
    eintrag = Aenderung.objects.latest("id")
    assert (eintrag.modell, eintrag.schluessel, eintrag.wie) == ("catalog.Leistung", "10000", "command")


def test_redis_wirft_nie_304_oder_alter_inhalt(settings, konsumenten, django_capture_on_commit_callbacks):
    """The caches point at a closed port (Redis down, raising): answers stay fresh, validators stay correct."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        },
    }
    # (Django's setting_changed handler drops the cache connections, so the next use meets the closed port.)
    assert "127.0.0.1:1" in str(caches["default"]._server)
    api = APIClient()
    erste = api.get("/api/v1/leistungen/10000/")
    seite = api.get("/leistungen/10000/")
    with django_capture_on_commit_callbacks(execute=True):
        leistung = Leistung.objects.get(ozg_id=10000)
        leistung.name = "Elterngeld (neu)"
        leistung.save()
    zweite = api.get("/api/v1/leistungen/10000/", HTTP_IF_NONE_MATCH=erste["ETag"])
    assert zweite.status_code == 200 and zweite.json()["name"] == "Elterngeld (neu)"
    dritte = api.get("/api/v1/leistungen/10000/", HTTP_IF_MODIFIED_SINCE=erste["Last-Modified"])
    assert dritte.status_code == 200
    seite2 = api.get("/leistungen/10000/", HTTP_IF_NONE_MATCH=seite["ETag"])
    assert seite2.status_code == 200 and "Elterngeld (neu)" in seite2.content.decode()


@pytest.mark.postgres  # the advisory lock exists only there (SQLite serialises writers anyway)
@pytest.mark.django_db(transaction=False)
def test_commit_reihenfolge_gleich_id_reihenfolge(django_db_blocker):
    """A later transaction's entry can neither get a lower id nor commit before an earlier, still open one."""
    leistung_pk = Leistung.objects.get(ozg_id=10000).pk
    ereignisse = []
    t1_hat_geschrieben = threading.Event()
    t1_darf_committen = threading.Event()

    def t1():
        with django_db_blocker.unblock(), transaction.atomic():
            erfassen(Leistung, [leistung_pk])
            ereignisse.append(("t1", Aenderung.objects.latest("id").id))
            t1_hat_geschrieben.set()
            t1_darf_committen.wait(10)
        ereignisse.append(("t1-commit", None))
        connections.close_all()

    def t2():
        t1_hat_geschrieben.wait(10)
        with django_db_blocker.unblock(), transaction.atomic():
            erfassen(Leistung, [leistung_pk])  # waits for t1's lock
            ereignisse.append(("t2", Aenderung.objects.latest("id").id))
        connections.close_all()

    a, b = threading.Thread(target=t1), threading.Thread(target=t2)
    a.start()
    b.start()
    t1_hat_geschrieben.wait(10)
    time.sleep(0.5)
    assert [e[0] for e in ereignisse] == ["t1"]  # t2 is blocked while t1 is open
    t1_darf_committen.set()
    a.join(10)
    b.join(10)
    # t2 went on only after t1's commit (above it was still blocked), and got the higher id.
    ids = dict(e for e in ereignisse if e[1])
    assert sorted(e[0] for e in ereignisse) == ["t1", "t1-commit", "t2"]
    assert ids["t2"] > ids["t1"]
    # On a connection of its own: the test's connection is inside the test transaction, which is rolled back, and
    # the committed entries would reach the next test's relay.
    auf_eigener_verbindung(django_db_blocker, lambda: Aenderung.objects.filter(id__in=ids.values()).delete())


@pytest.mark.postgres  # row locks against the advisory lock: only PostgreSQL has both
@pytest.mark.django_db(transaction=False)
def test_zwei_schreiber_auf_einer_zeile_kein_deadlock(django_db_blocker):
    """Two real connections race on one row; the first has written another row before. Both succeed.

    Before the lock was taken ahead of the first row write, the second writer held the row lock and waited for
    the log lock, the first held the log lock and waited for the row: PostgreSQL aborted one of them.
    """
    from themenfelder.models import PhasenStatus

    def stand():
        a, z = PhasenStatus.objects.order_by("pk")[:2]
        vorher = Aenderung.objects.order_by("-id").values_list("id", flat=True).first() or 0
        return a, z, vorher, PhasenStatus.history.order_by("-history_id").values_list("history_id", flat=True).first()

    a, z, vorher, hist_vorher = auf_eigener_verbindung(django_db_blocker, stand)
    ablauf, fehler = [], []
    t1_hat_geschrieben, t2_laeuft = threading.Event(), threading.Event()

    def t1():
        try:
            with django_db_blocker.unblock(), transaction.atomic():
                PhasenStatus.objects.get(pk=a.pk).save()  # takes the log lock
                ablauf.append("t1-a")
                t1_hat_geschrieben.set()
                t2_laeuft.wait(10)
                time.sleep(0.5)  # t2 is now inside its save of z
                PhasenStatus.objects.get(pk=z.pk).save()
                ablauf.append("t1-z")
                time.sleep(0.3)
                ablauf.append("t1-commit")  # t2 is still waiting (checked below): it cannot pass before our commit
        except Exception as f:  # noqa: BLE001 — the assertion below names it
            fehler.append(("t1", f))
        finally:
            connections.close_all()

    def t2():
        try:
            t1_hat_geschrieben.wait(10)
            with django_db_blocker.unblock(), transaction.atomic():
                zeile = PhasenStatus.objects.get(pk=z.pk)
                t2_laeuft.set()
                zeile.save()  # the same row t1 writes next
                ablauf.append("t2-z")
            ablauf.append("t2-commit")
        except Exception as f:  # noqa: BLE001
            fehler.append(("t2", f))
        finally:
            connections.close_all()

    faeden = [threading.Thread(target=t1), threading.Thread(target=t2)]
    for f in faeden:
        f.start()
    for f in faeden:
        f.join(30)
    try:
        assert fehler == []
        assert ablauf == ["t1-a", "t1-z", "t1-commit", "t2-z", "t2-commit"]  # "t1-commit": just before it
        eintraege = auf_eigener_verbindung(
            django_db_blocker,
            lambda: list(Aenderung.objects.filter(id__gt=vorher, modell="themenfelder.PhasenStatus").order_by("id")),
        )
        # ids in commit order: all of t1's entries below t2's, each transaction contiguous
        transaktionen = [e.transaktion for e in eintraege]
        assert len(eintraege) == 3 and transaktionen[0] == transaktionen[1] != transaktionen[2]
        assert [e.objekt_id for e in eintraege] == [a.pk, z.pk, z.pk]
    finally:
        auf_eigener_verbindung(
            django_db_blocker,
            lambda: (
                Aenderung.objects.filter(id__gt=vorher).delete(),
                PhasenStatus.history.filter(history_id__gt=hist_vorher).delete(),
            ),
        )


@pytest.mark.postgres  # the path of many created rows on PostgreSQL: after-images written by to_jsonb(row)
def test_import_angelegte_zeilen_haben_ihr_vollstaendiges_abbild():
    """The session's import created all Gebietskörperschaften in bulk: each entry holds the row as stored."""
    felder = {f.attname for f in Gebietskoerperschaft._meta.concrete_fields}
    eintraege = list(
        Aenderung.objects.filter(modell="catalog.Gebietskoerperschaft", aktion="angelegt").order_by("id")[:3000]
    )
    assert len(eintraege) == 3000
    zeilen = Gebietskoerperschaft.objects.in_bulk([e.objekt_id for e in eintraege])
    for e in eintraege:
        g = zeilen[e.objekt_id]
        assert set(e.nachher) == felder and e.vorher is None
        assert e.nachher["ars"] == e.schluessel == g.ars and e.nachher["name"] == g.name
        assert e.nachher["land_id"] == g.land_id and e.nachher["einwohner"] == g.einwohner
        assert e.gebiet_ars == g.ars and e.land_ars == g.ars[:2] and e.wie == "command"
    assert [e.id for e in eintraege] == sorted(e.id for e in eintraege)
