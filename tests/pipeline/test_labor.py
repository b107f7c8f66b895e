"""The Labor of a Teilnahme (``labore.LaborTeilnahme``) is an event source like every other watched model: a
Kommune joining or leaving a Labor reaches the Atom feeds, the webhook receiver and the followers' e-mail."""

import datetime
import json

import pytest
from rest_framework.test import APIClient

from catalog.models import Gebietskoerperschaft
from core import relay
from labore.models import Labor, LaborTeilnahme
from themenfelder.models import Teilnahme

pytestmark = pytest.mark.django_db


def _paar():
    """A Labor of Familie & Kind and a synthetic Teilnahme of Kiel (SH) in that Themenfeld."""
    labor = Labor.objects.filter(themenfeld__slug="familie-kind").order_by("slug").first()
    assert labor is not None
    teilnahme = Teilnahme.objects.create(
        themenfeld=labor.themenfeld,
        gebiet=Gebietskoerperschaft.objects.get(ars="010020000000"),
        name_im_dokument="Kiel (synthetisch, Test)",
        position=999,
        stand=datetime.date(2031, 1, 1),
    )
    return labor, teilnahme


def test_labor_einer_teilnahme_ist_ereignis(
    konsumenten, abos, empfaenger, smtp, inline, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        labor, teilnahme = _paar()
    with django_capture_on_commit_callbacks(execute=True):
        relay.weiterreichen()  # anything pending from before is handled, with its on-commit work, before we look
    empfaenger.anfragen.clear()
    smtp.nachrichten.clear()

    with django_capture_on_commit_callbacks(execute=True):
        LaborTeilnahme.objects.create(labor=labor, teilnahme=teilnahme)

    erwartet = f"Digitalisierungslabor „{labor.titel}“ – Teilnahme {teilnahme.gebiet.name}"
    inhalte = [json.loads(a["inhalt"]) for a in empfaenger.anfragen]
    eigene = [i for i in inhalte if i["modell"] == "labore.LaborTeilnahme"]
    assert len(eigene) == 1 and eigene[0]["art"] == "angelegt" and erwartet in eigene[0]["titel"]
    assert eigene[0]["themenfeld"] == "familie-kind" and eigene[0]["gebiet"] == teilnahme.gebiet.ars
    assert eigene[0]["daten"]["labor_id"] == labor.pk

    feed = APIClient().get("/themenfelder/familie-kind/feed/").content.decode()
    assert erwartet in feed
    mails = smtp.an("folgt@example.org")
    assert len(mails) == 1 and erwartet in mails[0].replace("=\n", "")

    # Leaving the Labor is an event too (the history row of the deletion).
    empfaenger.anfragen.clear()
    with django_capture_on_commit_callbacks(execute=True):
        LaborTeilnahme.objects.filter(teilnahme=teilnahme).delete()
    arten = [json.loads(a["inhalt"])["art"] for a in empfaenger.anfragen]
    assert arten == ["geloescht"]
