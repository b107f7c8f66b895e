"""The operators' screens of the change pipeline (core.admin, the e-mail outbox) pass axe in Chromium, with rows.

The rest of the admin is Django's own; these pages add a table of values (vorher → nachher), a date hierarchy of
their own and list columns, so they are checked here as an operator sees them.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

import pytest

pytestmark = pytest.mark.browser


def _zeilen():
    from core.models import Aenderung, Konsumentenstand, Neubauauftrag
    from opendata.models import EmailAusgang

    eintrag = Aenderung.objects.create(
        modell="catalog.Umsetzungsstand", schluessel="01:10000", aktion="geaendert", wie="admin", wer="user:1",
        vorher={"status": "in_planung"}, nachher={"status": "online"}, zeitpunkt=timezone.now(), sekunde=1,
        transaktion="t",
    )  # fmt: skip
    Konsumentenstand.objects.update_or_create(
        name="test-kaputt", defaults={"fehlversuche": 2, "fehler": "RuntimeError: Empfänger nicht erreichbar"}
    )
    Neubauauftrag.objects.update_or_create(
        schluessel="test:offen", defaults={"task": "berichte.bericht_bauen", "gewuenscht_bis": eintrag.id}
    )
    EmailAusgang.objects.create(
        empfaenger="person@example.org", betreff="Änderung", text="…", status="fehler", versuche=2, fehler="OSError"
    )
    return eintrag


def test_betriebsbildschirme_bestehen_axe(seite, portal):
    from axe_playwright_python.sync_playwright import Axe

    eintrag = _zeilen()
    user = User.objects.create_superuser("betrieb-browser", "b@example.org", "Lange-Sichere-Passphrase-2024")
    client = Client()
    client.force_login(user)
    seite.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": portal}]
    )  # fmt: skip
    axe = Axe()
    befunde = {}
    for pfad in [
        "/admin/core/aenderung/",
        f"/admin/core/aenderung/{eintrag.pk}/change/",
        "/admin/core/konsumentenstand/",
        "/admin/core/neubauauftrag/",
        "/admin/opendata/emailausgang/",
    ]:
        antwort = seite.goto(portal + pfad)
        assert antwort.status == 200, pfad
        assert "/admin/login/" not in seite.url, pfad
        seite.wait_for_timeout(300)
        assert seite.csp_verstoesse == [], pfad  # the page itself needs no inline style or script
        ergebnis = axe.run(seite)
        if ergebnis.violations_count:
            befunde[pfad] = ergebnis.generate_report()
        # axe's own checks on any admin change form (Django's, e.g. a Leistung's, as well) try inline styles that the
        # CSP blocks: not the page's doing, so forgotten before the next page.
        seite.wait_for_timeout(300)
        seite.csp_verstoesse.clear()
    assert not befunde, "\n\n".join(f"{pfad}:\n{bericht}" for pfad, bericht in befunde.items())
    assert seite.fremde_anfragen == []
