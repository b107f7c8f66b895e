"""Each write path × each consumer (the matrix of ``test_matrix.py``) on PostgreSQL + Redis with a REAL Celery worker.

One worker for the whole module (started once: bounded time), with every consumer switched on and no debounce delay;
a real webhook receiver and a real aiosmtpd on 127.0.0.1. The writes are committed (autocommit, as a running
portal does them), so the worker sees them; each test removes what it wrote and waits until the pipeline is idle
again, so the next write path starts from a quiet state. Per write path one test checks all seven consumers: ETag,
page cache, report rebuilt, open-data file rewritten, feed entry, webhook delivered, e-mail received.
"""

import json

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.db.models import Max

import pytest
from aiosmtpd.controller import Controller
from rest_framework.test import APIClient

from berichte.models import AktuellerBericht, Berichtslauf
from catalog.models import Gebietskoerperschaft, Themenfeld, Umsetzungsstand, Zustaendigkeit
from core.models import Aenderung, Konsumentenstand, Neubauauftrag
from core.tasks import weiterreichen
from opendata.bauen import bauen
from opendata.bauen import datei as gebaute_datei
from opendata.choices import ZustellStatus
from opendata.models import Abonnement, EmailAusgang, WebhookAbo, WebhookZustellung
from ozgportal.celery import app as celery_app
from redaktion.models import ApiSchluessel
from tests.berichte.test_worker import Worker
from tests.hilfen import warten
from tests.opendata.conftest import Empfaenger
from tests.pipeline.conftest import Postfach
from tests.pipeline.test_email_ausgang import freier_port
from tests.pipeline.test_matrix import PFADE, ZIELE
from themenfelder.models import PhasenStatus

pytestmark = pytest.mark.celery_worker  # needs PostgreSQL and Redis; see tests/conftest.py

FOLGT = "folgt-matrix@example.org"
#: Tables a write path adds rows to; everything above the module's starting point is removed after each test.
ANGELEGT = [Zustaendigkeit, Umsetzungsstand, PhasenStatus, ApiSchluessel]
HISTORIE = [Zustaendigkeit.history.model, Umsetzungsstand.history.model, PhasenStatus.history.model]


def _max(model, feld="pk"):
    return model.objects.aggregate(m=Max(feld))["m"] or 0


def _ruhig():
    """The pipeline is idle: every cursor at the last entry, every rebuild done, every delivery and mail out."""
    letzte = _max(Aenderung, "id")
    return (
        all(s.letzte_id >= letzte for s in Konsumentenstand.objects.all())
        and not any(a.erledigt_bis < a.gewuenscht_bis for a in Neubauauftrag.objects.all())
        and not WebhookZustellung.objects.filter(status=ZustellStatus.OFFEN).exists()
        and not EmailAusgang.objects.filter(status=ZustellStatus.OFFEN).exists()
    )


@pytest.fixture(scope="module")
def umgebung(django_db_setup, django_db_blocker, tmp_path_factory):
    """Committed subscriptions, a receiver, an SMTP server and one worker with every consumer on."""
    tmp = tmp_path_factory.mktemp("matrix-worker")
    with django_db_blocker.unblock():
        with celery_app.connection_for_write() as verbindung:
            verbindung.default_channel.queue_purge("default")
            verbindung.default_channel.queue_purge("berichte")
        weiterreichen.apply()  # start from a drained log
        empfaenger = Empfaenger()
        postfach = Postfach()
        port = freier_port()
        smtp = Controller(postfach, hostname="127.0.0.1", port=port)
        smtp.start()
        abo = WebhookAbo.objects.create(name="Matrix-Test", url=empfaenger.url)
        folgt = User.objects.create_user("folgt-matrix", FOLGT, "Lange-Sichere-Passphrase-24", is_staff=True)
        Abonnement.objects.create(user=folgt, kommune=Gebietskoerperschaft.objects.get(ars="01"))
        Abonnement.objects.create(user=folgt, themenfeld=Themenfeld.objects.get(slug="familie-kind"))
        stand = {m: _max(m) for m in ANGELEGT} | {h: _max(h, "history_id") for h in HISTORIE}
        stand["user"] = _max(User)
        phasen = list(PhasenStatus.objects.values())
        worker = Worker(
            tmp,
            env={
                "BERICHTE_ENTPRELLEN_SEKUNDEN": "0",
                "OPENDATA_AUTOMATISCH": "True",
                "OPENDATA_ENTPRELLEN_SEKUNDEN": "0",
                "OPENDATA_DIR": str(tmp / "opendata"),
                "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            },
        )
        try:
            yield {
                "tmp": tmp,
                "empfaenger": empfaenger,
                "postfach": postfach,
                "abo": abo,
                "stand": stand,
                "phasen": phasen,
                "worker": worker,
            }
        finally:
            try:
                WebhookAbo.objects.filter(pk=abo.pk).delete()
                EmailAusgang.objects.filter(empfaenger=FOLGT).delete()
                folgt.delete()
                warten(_ruhig, 60)
            finally:
                worker.beenden()
                smtp.stop()
                empfaenger.stop()
                AktuellerBericht.objects.all().delete()
                Berichtslauf.objects.all().delete()
                connection.close()


def _zuruecksetzen(u):
    """Remove what a write path added, restore the Phasenstatus rows it changed, and wait until all is handled."""
    stand = u["stand"]
    for model in ANGELEGT:
        model.objects.filter(pk__gt=stand[model]).delete()
    for historie in HISTORIE:
        historie.objects.filter(history_id__gt=stand[historie]).delete()
    for zeile in u["phasen"]:
        PhasenStatus.objects.filter(pk=zeile["id"]).exclude(**zeile).update(**zeile)
    User.objects.filter(pk__gt=stand["user"]).exclude(email=FOLGT).delete()
    assert warten(_ruhig, 90), u["worker"].log.read_text()[-3000:]


@pytest.fixture
def u(umgebung, settings, client):
    settings.OPENDATA_DIR = umgebung["tmp"] / "opendata"
    settings.SEITEN_CACHE_SEKUNDEN = 600
    cache.clear()
    yield umgebung
    _zuruecksetzen(umgebung)


@pytest.mark.parametrize("pfad", list(PFADE))
def test_schreibweg_erreicht_jeden_konsumenten_mit_worker(pfad, u, client, tmp_path):
    schreiben, wie, ziel_name, vorbereiten = PFADE[pfad]
    ziel = ZIELE[ziel_name]
    ctx = {"tmp_path": tmp_path}
    if vorbereiten:
        ctx["zeile"] = vorbereiten()
    bauen(ziel["datei"])
    assert warten(_ruhig, 90), u["worker"].log.read_text()[-3000:]
    u["empfaenger"].anfragen.clear()
    u["postfach"].nachrichten.clear()

    anonym = APIClient()
    etag_api = anonym.get(ziel["api"])["ETag"]
    seite_vorher = anonym.get(ziel["seite"])
    laeufe = Berichtslauf.objects.filter(art=ziel["bericht"]).count()
    datei_vorher = gebaute_datei(ziel["datei"], "csv").geaendert
    feed_vorher = anonym.get(ziel["feed"]).content.decode().count("<entry>")
    letzte = _max(Aenderung, "id")

    wer = schreiben(client, ctx)  # committed: the request's transaction, or the command's

    eintraege = list(Aenderung.objects.filter(id__gt=letzte, modell=ziel["modell"]))
    assert eintraege, f"kein Eintrag für {ziel['modell']}"
    assert {(e.wie, e.wer) for e in eintraege} == {(wie, wer)}
    assert len({e.transaktion for e in eintraege}) == 1
    log = u["worker"].log

    # ETag and page cache: derived from the log in this process, at once.
    assert anonym.get(ziel["api"], HTTP_IF_NONE_MATCH=etag_api)["ETag"] != etag_api
    nachher = anonym.get(ziel["seite"], HTTP_IF_NONE_MATCH=seite_vorher["ETag"])
    assert nachher.status_code == 200 and nachher["ETag"] != seite_vorher["ETag"]
    feed = anonym.get(ziel["feed"]).content.decode()
    assert (feed.count("<entry>") > feed_vorher or feed_vorher == 50) and ziel["feed_text"] in feed

    # Through the worker: report, open-data file, webhook, e-mail.
    assert warten(lambda: Berichtslauf.objects.filter(art=ziel["bericht"]).count() > laeufe, 90), log.read_text()[
        -3000:
    ]
    assert warten(lambda: gebaute_datei(ziel["datei"], "csv").geaendert > datei_vorher, 90), log.read_text()[-3000:]

    def webhook_da():
        return ziel["modell"] in [json.loads(a["inhalt"])["modell"] for a in u["empfaenger"].anfragen]

    assert warten(webhook_da, 90), log.read_text()[-3000:]
    assert u["empfaenger"].sequenzen == sorted(u["empfaenger"].sequenzen)
    assert warten(lambda: u["postfach"].an(FOLGT), 90), log.read_text()[-3000:]
    assert warten(_ruhig, 90), log.read_text()[-3000:]
    assert len(u["postfach"].an(FOLGT)) == 1, "eine E-Mail je Transaktion"
