"""Helpers shared by test modules of several apps."""

import threading
import time

from django.db import connections


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
