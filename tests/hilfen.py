"""Helpers shared by test modules of several apps."""

import threading
import time

from django.db import connections
from django.db.models import Max

from berichte.models import AktuellerBericht, Berichtslauf


def auf_eigener_verbindung(django_db_blocker, funktion, sekunden: float = 60):
    """Run ``funktion`` on a connection of its own, in autocommit, and return its result: other processes (web
    nodes, workers) and the relay must see what it writes, and the test's own connection is inside pytest-django's
    rolled-back transaction."""
    ergebnis = []

    def lauf():
        try:
            with django_db_blocker.unblock():
                ergebnis.append(funktion())
        finally:
            connections.close_all()

    faden = threading.Thread(target=lauf)
    faden.start()
    faden.join(sekunden)
    assert ergebnis, "Schreiben auf eigener Verbindung gescheitert (Fehler oder Zeitüberschreitung)"
    return ergebnis[0]


def warten(bedingung, sekunden: float = 60) -> bool:
    """Poll ``bedingung`` until it holds or ``sekunden`` pass (a real worker needs real time); its last answer."""
    frist = time.monotonic() + sekunden
    while time.monotonic() < frist:
        if bedingung():
            return True
        time.sleep(0.2)
    return bedingung()


def berichtsstand() -> dict:
    """The reports' state before a test that commits (newest build, the current build of each report)."""
    return {
        "lauf": Berichtslauf.objects.aggregate(m=Max("id"))["m"] or 0,
        "aktuell": dict(AktuellerBericht.objects.values_list("art", "lauf_id")),
    }


def berichte_zuruecksetzen(stand: dict) -> None:
    """Undo what a committing test did to the reports: pointers back to ``stand``, newer builds gone."""
    for art, lauf_id in AktuellerBericht.objects.values_list("art", "lauf_id"):
        if art not in stand["aktuell"]:
            AktuellerBericht.objects.filter(art=art).delete()
        elif lauf_id != stand["aktuell"][art]:
            AktuellerBericht.objects.filter(art=art).update(lauf_id=stand["aktuell"][art])
    Berichtslauf.objects.filter(id__gt=stand["lauf"]).delete()
