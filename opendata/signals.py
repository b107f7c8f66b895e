"""Consumers of the change log's relay (``core.relay``): open-data files, webhooks and e-mails for followers.

Every write path records its changed rows in the log (``core.aenderungen``); the relay hands committed entries here
in sequence order, once per consumer (a transactional cursor), so nothing that was committed is missed:
- ``opendata-dateien``: one debounced rebuild (``OPENDATA_ENTPRELLEN_SEKUNDEN``) of only the affected datasets, the
  demand recorded durably per dataset (``core.relay.anfordern``), so a message lost with a killed worker is queued
  again by the sweep;
- ``opendata-webhooks``: one delivery row per (subscription, log entry), created in the relay's transaction and
  protected by a unique constraint, then delivered in order by ``opendata.webhook_zustellen``;
- ``opendata-emails``: one e-mail per follower and writing transaction, stored in the outbox (``EmailAusgang``) in
  the relay's transaction and sent (and retried with backoff) by ``opendata.emails_senden`` and every relay run.
"""

import logging

from django.conf import settings
from django.db import transaction

from berichte.tabellen import TABELLEN
from core import relay

from .datensaetze import BETROFFEN
from .ereignisse import QUELLEN_NACH_LABEL, laden
from .models import Abonnement, WebhookAbo
from .tasks import auftrag, benachrichtigen, faellige_senden, webhook_zustellen
from .webhooks import einreihen, passt

logger = logging.getLogger(__name__)


# --- Files --------------------------------------------------------------------------------------------
def _betroffene_dateien(eintraege) -> set[str]:
    namen = set()
    for e in eintraege:
        if e.modell == "berichte.AktuellerBericht":
            art = (e.nachher or e.vorher or {}).get("art")
            namen.update(f"bericht-{s}" for s, t in TABELLEN.items() if t.art == art)
        else:
            namen.update(BETROFFEN.get(e.modell, ()))
    return namen


def dateien_verarbeiten(eintraege) -> None:
    if settings.OPENDATA_AUTOMATISCH:
        namen = _betroffene_dateien(eintraege)
        if namen:
            ausloesen(namen, bis=eintraege[-1].id)


def ausloesen(namen: set, bis: int | None = None) -> None:
    """Demand a rebuild of ``namen`` up to log entry ``bis``; one debounced task for those not already waiting."""
    neu = [n for n in sorted(namen) if relay.anfordern(auftrag(n), "opendata.dateien_bauen", {"namen": [n]}, bis)]
    if neu:
        relay.nach_commit_senden(
            "opendata.dateien_bauen",
            {"namen": neu},
            [auftrag(n) for n in neu],
            countdown=settings.OPENDATA_ENTPRELLEN_SEKUNDEN,
        )


# --- Webhooks and e-mails --------------------------------------------------------------------------------
def _ereignisse(eintraege):
    """Events (``opendata.ereignisse``) of the entries that have a history row, in sequence order."""
    relevant = {(e.modell, e.historie_id): e for e in eintraege if e.historie_id and e.modell in QUELLEN_NACH_LABEL}
    if not relevant:
        return []
    ereignisse = laden(relevant)
    for ereignis in ereignisse:
        eintrag = relevant[(ereignis.modell, int(ereignis.id.rsplit(":", 1)[1]))]
        ereignis.aenderung_id = eintrag.id
        ereignis.transaktion = eintrag.transaktion
    ereignisse.sort(key=lambda e: e.aenderung_id)
    return ereignisse


def webhooks_verarbeiten(eintraege) -> None:
    abos = list(WebhookAbo.objects.filter(aktiv=True))
    if not abos:
        return
    ereignisse = _ereignisse(eintraege)
    for abo in abos:
        passende = [e for e in ereignisse if passt(abo, e)]
        if passende and einreihen(abo, passende):
            transaction.on_commit(lambda abo_id=abo.pk: _zustellen_einreihen(webhook_zustellen, abo_id))


def _zustellen_einreihen(task, abo_id):
    try:
        task.apply_async(args=[abo_id], retry=False)
    except Exception:  # the deliveries are stored; opendata.webhooks_faellige (every minute) sends them
        logger.warning("Webhook-Zustellung für Abo %s nicht eingereiht", abo_id, exc_info=True)


def emails_verarbeiten(eintraege) -> None:
    if not Abonnement.objects.exists():
        return
    je_transaktion: dict[str, list] = {}
    for ereignis in _ereignisse(eintraege):
        je_transaktion.setdefault(ereignis.transaktion, []).append(ereignis)
    for ereignisse in je_transaktion.values():
        benachrichtigen(ereignisse, bis=max(e.aenderung_id for e in ereignisse))


def verbinden():
    relay.registrieren("opendata-dateien", dateien_verarbeiten)
    relay.registrieren("opendata-webhooks", webhooks_verarbeiten)
    relay.registrieren("opendata-emails", emails_verarbeiten)
    relay.registrieren_nachholer("opendata-emails", _faellige_emails)


def _faellige_emails():
    return faellige_senden()
