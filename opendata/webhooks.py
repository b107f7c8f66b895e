"""Webhook delivery: signing, one HTTP POST, and the in-order delivery loop of one subscription.

Signature: ``X-OZG-Signatur: sha256=<hex>`` is HMAC-SHA256 with the subscription's secret over
``<X-OZG-Zeitstempel> + "." + <raw body>``. The receiver recomputes it and rejects a timestamp older than a few
minutes, so a captured request cannot be replayed later. ``X-OZG-Ereignis`` carries the event id (for
de-duplication), the body's ``sequenz`` the per-subscription order.
"""

import hashlib
import hmac
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import ziele
from .choices import ZustellStatus
from .models import WebhookAbo, WebhookZustellung

SIGNATUR_HEADER = "X-OZG-Signatur"
ZEITSTEMPEL_HEADER = "X-OZG-Zeitstempel"
EREIGNIS_HEADER = "X-OZG-Ereignis"


def signatur(geheimnis: str, zeitstempel: str, inhalt: bytes) -> str:
    mac = hmac.new(geheimnis.encode(), zeitstempel.encode() + b"." + inhalt, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def pruefen(geheimnis: str, zeitstempel: str, inhalt: bytes, gesendet: str, max_alter: int = 300) -> bool:
    """What a receiver does: recompute the signature and refuse old timestamps (replay)."""
    try:
        alter = abs(time.time() - int(zeitstempel))
    except ValueError:
        return False
    return alter <= max_alter and hmac.compare_digest(signatur(geheimnis, zeitstempel, inhalt), gesendet)


class _KeineWeiterleitung(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an instruction: the event is not re-sent elsewhere."""

    def redirect_request(self, *args, **kwargs):
        return None


def senden(abo: WebhookAbo, zustellung: WebhookZustellung) -> tuple[int | None, str]:
    """POST one delivery; returns (HTTP status or None, error text or "")."""
    inhalt = zustellung.inhalt.encode()
    zeitstempel = str(int(time.time()))
    anfrage = urllib.request.Request(
        abo.url,
        data=inhalt,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "OZG-Portal-Webhook/1",
            SIGNATUR_HEADER: signatur(abo.geheimnis, zeitstempel, inhalt),
            ZEITSTEMPEL_HEADER: zeitstempel,
            EREIGNIS_HEADER: zustellung.ereignis_id,
        },
    )
    try:
        # Resolved and checked now, connected to exactly that address (opendata.ziele: SSRF, DNS rebinding).
        oeffner = ziele.oeffner(abo.url, _KeineWeiterleitung)
    except ValidationError as fehler:
        return None, "; ".join(fehler.messages)[:1000]
    try:
        with oeffner.open(anfrage, timeout=settings.WEBHOOK_TIMEOUT_SEKUNDEN) as antwort:
            return antwort.status, ""
    except urllib.error.HTTPError as fehler:
        return fehler.code, f"HTTP {fehler.code} {fehler.reason}"
    except (urllib.error.URLError, OSError) as fehler:
        return None, str(getattr(fehler, "reason", fehler))[:1000]


def wartezeit(versuche: int) -> int:
    """Exponential backoff: base, 2×base, 4×base … capped."""
    return min(settings.WEBHOOK_BACKOFF_SEKUNDEN * 2 ** max(versuche - 1, 0), settings.WEBHOOK_BACKOFF_MAX_SEKUNDEN)


def zustellen(abo_id: int) -> dict:
    """Deliver the pending deliveries of one subscription in sequence order, stopping at the first failure.

    Returns {"zugestellt": n, "warten": seconds until the next attempt or None}. A delivery that failed
    ``WEBHOOK_MAX_VERSUCHE`` times is given up and the next one follows (the receiver sees the gap in ``sequenz``).
    """
    abo = WebhookAbo.objects.filter(pk=abo_id, aktiv=True).first()
    ergebnis = {"zugestellt": 0, "warten": None}
    if abo is None:
        return ergebnis
    offen = [ZustellStatus.OFFEN, ZustellStatus.FEHLER]
    while True:
        zustellung = abo.zustellungen.filter(status__in=offen).order_by("sequenz").first()
        if zustellung is None:
            return ergebnis
        jetzt = timezone.now()
        if zustellung.naechster_versuch and zustellung.naechster_versuch > jetzt:
            ergebnis["warten"] = max(1, int((zustellung.naechster_versuch - jetzt).total_seconds()))
            return ergebnis
        code, fehler = senden(abo, zustellung)
        zustellung.versuche += 1
        zustellung.statuscode = code
        if code is not None and 200 <= code < 300:
            zustellung.status = ZustellStatus.ZUGESTELLT
            zustellung.fehler = ""
            zustellung.zugestellt_am = timezone.now()
            zustellung.naechster_versuch = None
            zustellung.save()
            ergebnis["zugestellt"] += 1
            continue
        zustellung.fehler = fehler or f"HTTP {code}"
        if zustellung.versuche >= settings.WEBHOOK_MAX_VERSUCHE:
            zustellung.status = ZustellStatus.AUFGEGEBEN
            zustellung.naechster_versuch = None
            zustellung.save()
            continue
        zustellung.status = ZustellStatus.FEHLER
        warte = wartezeit(zustellung.versuche)
        zustellung.naechster_versuch = timezone.now() + timedelta(seconds=warte)
        zustellung.save()
        ergebnis["warten"] = warte
        return ergebnis


def einreihen(abo: WebhookAbo, ereignisse) -> int:
    """Create the deliveries of ``ereignisse`` for ``abo`` with consecutive sequence numbers; returns how many.

    Events carry their change-log entry (``aenderung_id``); one already handed to this subscription is skipped, and
    the unique constraint (abo, aenderung) makes a duplicate impossible even then.
    """
    import json

    if not ereignisse:
        return 0
    with transaction.atomic():
        # Locks the subscription row (PostgreSQL), so two distributing tasks never hand out the same number.
        abo = WebhookAbo.objects.select_for_update().get(pk=abo.pk)
        schon = set(
            abo.zustellungen.filter(aenderung_id__in=[e.aenderung_id for e in ereignisse]).values_list(
                "aenderung_id", flat=True
            )
        )
        neu = []
        for ereignis in ereignisse:
            if ereignis.aenderung_id in schon:
                continue
            abo.sequenz += 1
            neu.append(
                WebhookZustellung(
                    abo=abo,
                    sequenz=abo.sequenz,
                    aenderung_id=ereignis.aenderung_id,
                    ereignis_id=ereignis.id,
                    inhalt=json.dumps(ereignis.payload(abo.sequenz), ensure_ascii=False, sort_keys=True),
                )
            )
        if not neu:
            return 0
        WebhookZustellung.objects.bulk_create(neu)
        WebhookAbo.objects.filter(pk=abo.pk).update(sequenz=abo.sequenz)
    return len(neu)


def passt(abo: WebhookAbo, ereignis) -> bool:
    if abo.themenfeld_id and ereignis.themenfeld_id != abo.themenfeld_id:
        return False
    return not (abo.land_id and ereignis.land_id != abo.land_id)
