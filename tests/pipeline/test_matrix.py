"""Each write path × each consumer of the change log, inline (no REDIS_URL needed; tasks run eagerly).

A write path changes one row the way an editor, a dashboard or an operator would. Then the log must hold an entry
with the right who/how, and the relay must have reached the consumer: the API's ETag and the page's ETag change
(so the page cache is refreshed), the affected report is rebuilt, the affected open-data file is rewritten, the
Atom feed lists the change, the webhook receiver on 127.0.0.1 got it, the SMTP server on 127.0.0.1 got the e-mail.
"""

import datetime
import shutil

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

import pytest
from rest_framework.test import APIClient

from berichte.choices import Berichtsart
from berichte.models import Berichtslauf
from berichte.tabellen import TABELLEN
from catalog.models import Gebietskoerperschaft, Leistung, Umsetzungsstand, Zustaendigkeit
from core import relay
from core.models import Aenderung
from opendata.bauen import bauen
from opendata.bauen import datei as gebaute_datei
from redaktion import rules as rollen
from redaktion.models import ApiSchluessel
from tests.admin.conftest import _person
from tests.admin.test_historie import _formular

pytestmark = pytest.mark.django_db

U_DATEI = next(f"bericht-{s}" for s, t in TABELLEN.items() if t.art == Berichtsart.UMSETZUNGSSTAND)

ZIELE = {
    "zustaendigkeit": {
        "modell": "catalog.Zustaendigkeit",
        "api": "/api/v1/zustaendigkeiten/",
        "seite": "/kommunen/01/",
        "bericht": Berichtsart.UMSETZUNGSSTAND,
        "datei": "zustaendigkeiten",
        "feed": "/kommunen/01/feed/",
        "feed_text": "Zuständigkeit",
    },
    "umsetzung": {
        "modell": "catalog.Umsetzungsstand",
        "api": "/api/v1/umsetzungsstand/",
        "seite": "/kommunen/01/",
        "bericht": Berichtsart.UMSETZUNGSSTAND,
        "datei": U_DATEI,
        "feed": "/kommunen/01/feed/",
        "feed_text": "Umsetzungsstand",
    },
    "phase": {
        "modell": "themenfelder.PhasenStatus",
        "api": "/api/v1/phasenstatus/",
        "seite": "/themenfelder/familie-kind/",
        "bericht": Berichtsart.THEMENFELDBEARBEITUNG,
        "datei": "phasenstatus",
        "feed": "/themenfelder/familie-kind/feed/",
        "feed_text": "Phase",
    },
}


# --- Write paths ------------------------------------------------------------------------------------------
def _sh():
    return Gebietskoerperschaft.objects.get(ars="01")


def _elterngeld():
    return Leistung.objects.get(ozg_id=10000)


def vorbereiten_zustaendigkeit():
    return Zustaendigkeit.objects.create(land=_sh(), leistung=_elterngeld(), ebene="kreis")


def vorbereiten_umsetzung():
    return Umsetzungsstand.objects.create(
        land=_sh(), leistung=_elterngeld(), status="in_umsetzung", stand=datetime.date(2024, 5, 1)
    )


def admin_formular(client, ctx):
    z = ctx["zeile"]
    user = _person("redaktion-sh", rollen.LAND, _sh())
    client.force_login(user)
    antwort = client.post(f"/admin/catalog/zustaendigkeit/{z.pk}/change/", _formular(z, ebene="gemeinde"))
    assert antwort.status_code == 302
    return f"user:{user.pk}"


def admin_revert(client, ctx):
    z = ctx["zeile"]
    user = _person("redaktion-sh", rollen.LAND, _sh())
    erste = z.history.earliest()
    client.force_login(user)
    antwort = client.post(
        f"/admin/catalog/zustaendigkeit/{z.pk}/history/{erste.history_id}/", _formular(z, ebene="land")
    )
    assert antwort.status_code == 302
    return f"user:{user.pk}"


def admin_import(client, ctx):
    user = _person("redaktion-sh", rollen.LAND, _sh())
    client.force_login(user)
    url = "/admin/catalog/umsetzungsstand/importieren/"
    text = "land,ozg_id,status,stand\nSH,10000,online_verfuegbar,2024-06-01\n"
    vorschau = client.post(url, {"datei": SimpleUploadedFile("u.csv", text.encode(), content_type="text/csv")})
    assert vorschau.status_code == 200, vorschau.content.decode()[:500]
    assert client.post(url, {"paket": vorschau.context["paket"], "bestaetigt": "1"}).status_code == 302
    return f"user:{user.pk}"


def admin_sammelaktion(client, ctx):
    user = _person("redaktion-sh", rollen.LAND, _sh())
    client.force_login(user)
    client.post("/admin/catalog/umsetzungsstand/", {"action": "stand_heute", "_selected_action": [ctx["zeile"].pk]})
    assert Umsetzungsstand.objects.get(pk=ctx["zeile"].pk).stand == datetime.date.today()
    return f"user:{user.pk}"


NEU = {"land": "01", "leistung": 10000, "status": "in_planung", "stand": "2024-01-01"}


def api_mit_user(client, ctx):
    user = _person("fitko-api", rollen.FITKO)
    api = APIClient()
    api.force_login(user)
    antwort = api.post("/api/v1/umsetzungsstand/", NEU, format="json")
    assert antwort.status_code == 201, antwort.content
    return f"user:{user.pk}"


def api_mit_schluessel(client, ctx):
    obj, key = ApiSchluessel.objects.create_key(name="Dashboard (Test)", recht="schreiben")
    antwort = APIClient().post("/api/v1/umsetzungsstand/", NEU, format="json", HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert antwort.status_code == 201, antwort.content
    return f"api-key:{obj.prefix} (Dashboard (Test))"


def befehl_reimport(client, ctx):
    ordner = ctx["tmp_path"] / "seed"
    shutil.copytree(settings.FIXTURES_DIR / "seed-2019-04-11", ordner)
    phasen = ordner / "phasen.csv"
    text = phasen.read_text(encoding="utf-8")
    alt = "Familie & Kind,abschluss,➤,in_vorbereitung,2019-04-11"
    assert alt in text
    phasen.write_text(text.replace(alt, "Familie & Kind,abschluss,🔄,laufend,2019-04-11"), encoding="utf-8")
    call_command("import_seed", "--ordner", str(ordner), stdout=open("/dev/null", "w"))  # noqa: SIM115
    return "manage.py import_seed"


def phasenstand(client, ctx):
    user = _person("fitko", rollen.FITKO)
    client.force_login(user)
    daten = {
        "stand": "2024-06-01",
        "quelle": "Protokoll (Test)",
        "phase_vorgespraeche": "abgeschlossen",
        "phase_kickoff": "abgeschlossen",
        "phase_analyse_planung": "abgeschlossen",
        "phase_durchfuehrung_labore": "abgeschlossen",
        "phase_umsetzungsplanung": "laufend",
        "phase_abschluss": "in_vorbereitung",
    }
    antwort = client.post("/admin/themenfelder/phasenstatus/stand/familie-kind/", daten)
    assert antwort.status_code == 302, antwort.content.decode()[:800]
    return f"user:{user.pk}"


PFADE = {
    # name: (write, how, target, preparation)
    "admin-formular": (admin_formular, "admin", "zustaendigkeit", vorbereiten_zustaendigkeit),
    "admin-revert": (admin_revert, "revert", "zustaendigkeit", vorbereiten_zustaendigkeit),
    "admin-import": (admin_import, "import", "umsetzung", None),
    "admin-sammelaktion": (admin_sammelaktion, "bulk", "umsetzung", vorbereiten_umsetzung),
    "api-user": (api_mit_user, "api", "umsetzung", None),
    "api-schluessel": (api_mit_schluessel, "api", "umsetzung", None),
    "befehl-reimport": (befehl_reimport, "seed", "phase", None),
    "phasenstand": (phasenstand, "phasenstand", "phase", None),
}

KONSUMENTEN = ["etag", "seitencache", "bericht", "datei", "feed", "webhook", "email"]


@pytest.mark.parametrize("konsument", KONSUMENTEN)
@pytest.mark.parametrize("pfad", list(PFADE))
def test_schreibweg_erreicht_konsument(
    pfad, konsument, client, konsumenten, abos, empfaenger, smtp, inline, tmp_path, django_capture_on_commit_callbacks
):
    schreiben, wie, ziel_name, vorbereiten = PFADE[pfad]
    ziel = ZIELE[ziel_name]
    ctx = {"tmp_path": tmp_path}
    with django_capture_on_commit_callbacks(execute=True):
        if vorbereiten:
            ctx["zeile"] = vorbereiten()
    with django_capture_on_commit_callbacks(execute=True):
        relay.weiterreichen()  # whatever the preparation caused is handled (with its on-commit work) before we look
    bauen(ziel["datei"])
    empfaenger.anfragen.clear()
    smtp.nachrichten.clear()

    anonym = APIClient()
    etag_api = anonym.get(ziel["api"])["ETag"]
    seite_vorher = anonym.get(ziel["seite"])
    laeufe = Berichtslauf.objects.filter(art=ziel["bericht"]).count()
    datei_vorher = gebaute_datei(ziel["datei"], "csv").geaendert
    feed_vorher = anonym.get(ziel["feed"]).content.decode().count("<entry>")
    letzte = Aenderung.objects.order_by("-id").values_list("id", flat=True).first()

    with django_capture_on_commit_callbacks(execute=True):
        wer = schreiben(client, ctx)

    eintraege = list(Aenderung.objects.filter(id__gt=letzte, modell=ziel["modell"]))
    assert eintraege, f"kein Eintrag für {ziel['modell']}"
    assert {(e.wie, e.wer) for e in eintraege} == {(wie, wer)}
    assert len({e.transaktion for e in eintraege}) == 1

    if konsument == "etag":
        assert anonym.get(ziel["api"], HTTP_IF_NONE_MATCH=etag_api)["ETag"] != etag_api
    elif konsument == "seitencache":
        nachher = anonym.get(ziel["seite"], HTTP_IF_NONE_MATCH=seite_vorher["ETag"])
        assert nachher.status_code == 200 and nachher["ETag"] != seite_vorher["ETag"]
    elif konsument == "bericht":
        assert Berichtslauf.objects.filter(art=ziel["bericht"]).count() > laeufe
    elif konsument == "datei":
        assert gebaute_datei(ziel["datei"], "csv").geaendert > datei_vorher
    elif konsument == "feed":
        feed = anonym.get(ziel["feed"]).content.decode()
        assert feed.count("<entry>") > feed_vorher or feed_vorher == 50
        assert ziel["feed_text"] in feed
    elif konsument == "webhook":
        import json

        modelle = [json.loads(a["inhalt"])["modell"] for a in empfaenger.anfragen]
        assert ziel["modell"] in modelle
        assert empfaenger.sequenzen == sorted(empfaenger.sequenzen)
    elif konsument == "email":
        mails = smtp.an("folgt@example.org")
        assert len(mails) == 1, "eine E-Mail je Transaktion"
