"""Which pages and API answers the stock (``core.vorrat``) holds, and which a change renews.

Every Gebietskörperschaft's page and its list of OZG-Leistungen in the API (the whole list, first page), in every
language: 16,068 bodies × 2 addresses × 2 languages. A relay consumer notes that entries came in (a durable
demand, ``core.relay.anfordern``); the task reads the entries since its last run and rebuilds the addresses whose
Bereich they touch (``core.datenstand``): an entry of a body renews that body and every body below it (whose
pages include what holds above them), a structural entry also the bodies above it, an entry without a Gebiet
(the catalogue) every body. So a Kommune-Redaktion's edit costs four builds in the worker, and the visitor who
comes next finds the page built.

``SEITEN_VORRAT = "alle"`` turns it on (a deployment with Redis; memory in the README); ``manage.py seitenvorrat``
fills it at once, and beat fills it daily (entries expire after ``SEITEN_VORRAT_SEKUNDEN``).
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.urls import reverse

from core import relay, vorrat
from core.datenstand import ARS_PRAEFIXE, SEITENFREMDE_MODELLE, STRUKTUR_MODELLE
from core.models import Aenderung, Neubauauftrag

from .models import Gebietskoerperschaft

logger = logging.getLogger(__name__)

AUFTRAG = "seitenvorrat"
TASK = "catalog.seitenvorrat"


def an() -> bool:
    return settings.SEITEN_VORRAT == "alle" and settings.SEITEN_CACHE_SEKUNDEN > 0


def adressen(schluessel: str) -> list[str]:
    return [
        reverse("kommune", kwargs={"schluessel": schluessel}),
        reverse("api:kommune-leistungen", kwargs={"schluessel": schluessel}),
    ]


def betroffen(eintraege) -> set[str] | None:
    """The ARS of the bodies whose addresses ``eintraege`` ((gebiet_ars, modell) pairs) renew; None: every body."""
    unten, oben = set(), set()  # bodies at and below these ARS; these bodies themselves
    for gebiet_ars, modell in eintraege:
        if modell in SEITENFREMDE_MODELLE:
            continue  # a report build: no body's page shows it
        if not gebiet_ars:
            return None
        unten.add(gebiet_ars)
        if modell in STRUKTUR_MODELLE:
            oben.update(gebiet_ars[:n] for n in ARS_PRAEFIXE if n < len(gebiet_ars))
    alle = Gebietskoerperschaft.objects.values_list("ars", flat=True)
    return {ars for ars in alle if ars in oben or any(ars[:n] in unten for n in ARS_PRAEFIXE)}


def koerper(ars: set[str] | None) -> list[str]:
    """The bodies' keys (AGS for Gemeinden, else ARS: their addresses), the largest first."""
    qs = Gebietskoerperschaft.objects.order_by(F("einwohner").desc(nulls_last=True), "ars")
    if ars is not None:
        qs = qs.filter(ars__in=ars)
    return [ags or a for a, ags in qs.values_list("ars", "ags")]


def auffuellen(schluessel: list[str]) -> dict[str, int]:
    gesamt = {"koerper": len(schluessel), "neu": 0, "treffer": 0, "fehler": 0}
    for s in schluessel:
        for art, n in vorrat.auffuellen(adressen(s)).items():
            gesamt[art] += n
    return gesamt


def erneuern() -> dict[str, int]:
    """The task's body: rebuild what the entries since the last run renew (all of it after a catalogue change)."""
    stand = relay.beginnen([AUFTRAG])
    if AUFTRAG not in stand:
        return {"koerper": 0}
    auftrag = Neubauauftrag.objects.get(schluessel=AUFTRAG)
    eintraege = (
        Aenderung.objects.filter(id__gt=auftrag.erledigt_bis, id__lte=stand[AUFTRAG])
        .order_by()
        .values_list("gebiet_ars", "modell")
        .distinct()
    )
    ergebnis = auffuellen(koerper(betroffen(eintraege)))
    relay.erledigt(stand)
    logger.info("Seitenvorrat erneuert bis #%s: %s", stand[AUFTRAG], ergebnis)
    return ergebnis


def markieren(bis: int) -> None:
    """The stock is current up to entry ``bis`` (a full pass that read the data after it): later runs start there."""
    with transaction.atomic():
        Neubauauftrag.objects.get_or_create(schluessel=AUFTRAG, defaults={"task": TASK, "argumente": {}})
        Neubauauftrag.objects.filter(schluessel=AUFTRAG).update(erledigt_bis=Greatest(F("erledigt_bis"), bis))


def alle_auffuellen(schluessel: list[str] | None = None) -> dict[str, int]:
    """The full pass (beat, ``manage.py seitenvorrat``): every body; marks the stock current up to its start."""
    bis = relay.letzte_id()
    ergebnis = auffuellen(koerper(None) if schluessel is None else schluessel)
    markieren(bis)
    return ergebnis


def verarbeiten(eintraege) -> None:
    """Relay consumer: demand one run of the task that covers these entries (debounced while one waits)."""
    if an() and eintraege and relay.anfordern(AUFTRAG, TASK, {}, eintraege[-1].id):
        relay.nach_commit_senden(TASK, {}, [AUFTRAG], countdown=settings.SEITEN_VORRAT_ENTPRELLEN_SEKUNDEN)


def verbinden():
    relay.registrieren(AUFTRAG, verarbeiten)
