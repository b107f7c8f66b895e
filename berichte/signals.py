"""Rebuild the reports affected by changes: a consumer of the change log's relay (``core.relay``), debounced.

Every write path records its changed rows in the log (``core.aenderungen``); the relay hands the committed entries
here, and each affected report is queued once, ``BERICHTE_ENTPRELLEN_SEKUNDEN`` later; further changes until that
build starts add no second task (the build reads the data when it starts, so it includes them).
"""

import logging

from django.conf import settings
from django.core.cache import cache

from core import relay

from .choices import Ausloeser, Berichtsart

logger = logging.getLogger(__name__)

T, U, L, B = (
    Berichtsart.THEMENFELDBEARBEITUNG,
    Berichtsart.UMSETZUNGSSTAND,
    Berichtsart.LABORE,
    Berichtsart.BETEILIGUNG,
)

#: Source model → the reports it feeds.
BETROFFEN = {
    "catalog.Themenfeld": (T, U, L, B),
    "catalog.Organisation": (T, L, B),
    "catalog.Leistung": (U,),
    "catalog.Lage": (U,),
    "catalog.Zustaendigkeit": (U,),
    "catalog.Umsetzungsstand": (U,),
    "catalog.KommunaleUmsetzung": (U,),
    "themenfelder.TandemRolle": (T,),
    "themenfelder.PhasenStatus": (T,),
    "themenfelder.Teilnahme": (L, B),
    "labore.Labor": (T, L),
    "labore.LaborTeilnahme": (L,),  # the Labor of a Teilnahme (Teilnahme.labor before issue 12)
}


def ausloesen(art: str, ausloeser: str = Ausloeser.AENDERUNG):
    """Queue one debounced build of ``art`` unless one is already waiting to start."""
    from .tasks import bericht_bauen, entprell_schluessel

    warte = settings.BERICHTE_ENTPRELLEN_SEKUNDEN
    try:
        # The key lives until the build starts (the task deletes it); the timeout only guards a lost task.
        if not cache.add(entprell_schluessel(art), "1", timeout=max(warte * 20, 600)):
            return
        bericht_bauen.apply_async(kwargs={"art": art, "ausloeser": ausloeser}, countdown=warte, retry=False)
    except Exception:
        # Broker down: the relay consumer fails, keeps its cursor and is retried by the sweep.
        logger.exception("Neubau des Berichts %s konnte nicht eingereiht werden", art)
        cache.delete(entprell_schluessel(art))
        raise


def verarbeiten(eintraege) -> None:
    """Relay consumer: queue one debounced rebuild of each report that the log entries affect."""
    if not settings.BERICHTE_AUTOMATISCH:
        return
    arten = set()
    for eintrag in eintraege:
        arten.update(BETROFFEN.get(eintrag.modell, ()))
    for art in sorted(arten):
        ausloesen(art)


def verbinden():
    relay.registrieren("berichte", verarbeiten)
