"""Rebuild the reports affected by changes: a consumer of the change log's relay (``core.relay``), debounced.

Every write path records its changed rows in the log (``core.aenderungen``); the relay hands the committed entries
here, and each affected report is queued once, ``BERICHTE_ENTPRELLEN_SEKUNDEN`` later; further changes until that
build starts add no second task (the build reads the data when it starts, so it includes them).

The demand is durable (``core.relay.anfordern``, a ``Neubauauftrag`` row written in the relay's transaction): a
build message lost with a killed worker is queued again by the minute sweep, so no rebuild is ever lost.
"""

import logging

from django.conf import settings

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


def auftrag(art: str) -> str:
    """The key of ``art``'s rebuild demand (``core.Neubauauftrag``)."""
    return f"bericht:{art}"


def ausloesen(art: str, ausloeser: str = Ausloeser.AENDERUNG, bis: int | None = None):
    """Demand a build of ``art`` covering the log up to ``bis``; queue one, debounced, unless one is waiting."""
    if relay.anfordern(auftrag(art), "berichte.bericht_bauen", {"art": art, "ausloeser": ausloeser}, bis):
        relay.nach_commit_senden(
            "berichte.bericht_bauen",
            {"art": art, "ausloeser": ausloeser},
            [auftrag(art)],
            countdown=settings.BERICHTE_ENTPRELLEN_SEKUNDEN,
        )


def verarbeiten(eintraege) -> None:
    """Relay consumer: queue one debounced rebuild of each report that the log entries affect."""
    if not settings.BERICHTE_AUTOMATISCH:
        return
    arten = set()
    for eintrag in eintraege:
        arten.update(BETROFFEN.get(eintrag.modell, ()))
    for art in sorted(arten):
        ausloesen(art, bis=eintraege[-1].id)


def verbinden():
    relay.registrieren("berichte", verarbeiten)
