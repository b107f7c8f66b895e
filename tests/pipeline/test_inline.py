"""Inline (no broker, tasks eager): a relay run whose rebuilds commit does not re-enter itself.

Before, a report build's own commit queued the relay inside the run that had demanded the build; the nested run
read the next batch, demanded the same report again and waited for the outer build's lock (a minute per report:
``make run``'s ``load_all`` took 90 s instead of 6). Needs real commits (the nesting happens in on-commit hooks), so
the writes run on a connection of their own, and the test removes exactly what it wrote.
"""

import datetime
import time

from django.db import transaction
from django.db.models import F, Max

import pytest

from berichte.choices import Berichtsart
from berichte.models import AktuellerBericht, Berichtslauf
from catalog.models import Themenfeld
from core import relay
from core.models import Aenderung, Konsumentenstand, Neubauauftrag
from tests.hilfen import auf_eigener_verbindung, berichte_zuruecksetzen, berichtsstand
from themenfelder.choices import Phase
from themenfelder.models import PhasenStatus

# PostgreSQL: another connection's commit is visible to the test's own (SQLite's test database is one connection).
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

STAND = datetime.date(2032, 2, 2)  # far from real data: the cleanup finds exactly the test's rows
T = Berichtsart.THEMENFELDBEARBEITUNG


def _stand():
    return {
        "aenderung": Aenderung.objects.aggregate(m=Max("id"))["m"] or 0,
        "berichte": berichtsstand(),
        "auftraege": {a.pk: a for a in Neubauauftrag.objects.all()},
        "cursor": dict(Konsumentenstand.objects.values_list("name", "letzte_id")),
    }


def _aufraeumen(vorher):
    berichte_zuruecksetzen(vorher["berichte"])
    PhasenStatus.objects.filter(stand=STAND).delete()
    PhasenStatus.history.filter(stand=STAND).delete()
    Neubauauftrag.objects.exclude(pk__in=vorher["auftraege"]).delete()
    Neubauauftrag.objects.bulk_update(
        vorher["auftraege"].values(), ["gewuenscht_bis", "erledigt_bis", "eingereiht_am", "begonnen_am"]
    )
    for name, letzte in vorher["cursor"].items():
        Konsumentenstand.objects.filter(name=name).update(letzte_id=letzte)
    Aenderung.objects.filter(id__gt=vorher["aenderung"]).delete()  # last: the cleanup's own entries too
    return True


def test_ein_neubau_je_bericht_ohne_auf_die_eigene_sperre_zu_warten(inline, settings, django_db_blocker):
    settings.BERICHTE_AUTOMATISCH, settings.OPENDATA_AUTOMATISCH = True, False
    settings.BERICHTE_ENTPRELLEN_SEKUNDEN = 0
    settings.AENDERUNGEN_STAPEL = 1  # every entry a batch of its own: each batch demands the same report again
    # How long a nested build used to wait for the lock its own thread held (then it gave up and retried).
    settings.BERICHTE_ZEITLIMIT = settings.BERICHTE_SPERRE_SEKUNDEN = 20
    vorher = auf_eigener_verbindung(django_db_blocker, _stand)

    def schreiben():
        relay.weiterreichen()  # every cursor at the current end
        bildung = Themenfeld.objects.get(slug="bildung")
        start = time.monotonic()
        with transaction.atomic():
            for phase in (Phase.KICKOFF, Phase.ANALYSE_PLANUNG, Phase.ABSCHLUSS):
                PhasenStatus.objects.create(
                    themenfeld=bildung, phase=phase, status="abgeschlossen", stand=STAND, quelle="Test (inline)"
                )
        return time.monotonic() - start  # the commit ran relay and rebuild inline, before this returns

    try:
        dauer = auf_eigener_verbindung(django_db_blocker, schreiben, sekunden=180)
        assert dauer < 10, f"{dauer:.1f} s: a rebuild waited for a lock"
        neu = Berichtslauf.objects.filter(id__gt=vorher["berichte"]["lauf"], art=T)
        assert neu.count() == 1  # built once: the later demands found it current
        assert AktuellerBericht.objects.get(art=T).lauf_id == neu.get().pk
        assert list(Neubauauftrag.objects.filter(gewuenscht_bis__gt=F("erledigt_bis"))) == []
    finally:
        auf_eigener_verbindung(django_db_blocker, lambda: _aufraeumen(vorher))
