"""Celery tasks of the open-data app (queue ``default``): rebuild files, deliver webhooks (events come from the
change log's relay, see ``opendata.signals``).

All take primary keys or names, are idempotent and safe to run twice. Without REDIS_URL they run inline
(eager); a webhook that failed is then retried by the next run of ``webhooks_faellige`` (celery beat, every
minute) or by calling ``webhook_zustellen`` again, since an eager task cannot wait.
"""

import logging
import smtplib

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from celery import shared_task

from .choices import ZustellStatus

logger = logging.getLogger(__name__)


@shared_task(
    name="opendata.dateien_bauen",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=5,
    time_limit=900,
)
def dateien_bauen(namen: list[str] | None = None) -> list[str]:
    """Rebuild the dataset files named in the debounce set and in ``namen`` (all when both are empty)."""
    from .bauen import alle_bauen
    from .datensaetze import alle
    from .signals import ENTPRELL_SCHLUESSEL

    # From here on a change schedules a new build; this one reads the data as of now.
    wartend = cache.get(ENTPRELL_SCHLUESSEL) or ()
    cache.delete(ENTPRELL_SCHLUESSEL)
    if namen:  # the debounced rebuild; None or [] (nightly): every dataset
        namen = sorted(set(namen) | set(wartend))
    bekannt = alle()
    namen = [n for n in (namen or bekannt) if n in bekannt]
    alle_bauen(namen)
    return namen


@shared_task(bind=True, name="opendata.webhook_zustellen", acks_late=True, max_retries=None)
def webhook_zustellen(self, abo_id: int) -> dict:
    """Deliver one subscription's pending events in order; one delivery loop per subscription at a time."""
    from .webhooks import zustellen

    sperre = f"opendata:webhook:{abo_id}"
    if not cache.add(sperre, "1", timeout=settings.WEBHOOK_TIMEOUT_SEKUNDEN * 30):
        return {"belegt": True}  # the running loop also delivers what was queued meanwhile
    try:
        ergebnis = zustellen(abo_id)
    finally:
        cache.delete(sperre)
    if ergebnis["warten"] and not self.request.is_eager:
        webhook_zustellen.apply_async(args=[abo_id], countdown=ergebnis["warten"])
    elif not self.request.is_eager and _offen(abo_id):
        # A delivery committed while this loop held the lock found it taken and returned; pick it up now.
        webhook_zustellen.apply_async(args=[abo_id])
    return ergebnis


def _offen(abo_id: int) -> bool:
    from .models import WebhookZustellung

    return WebhookZustellung.objects.filter(abo_id=abo_id, status=ZustellStatus.OFFEN).exists()


@shared_task(name="opendata.webhooks_faellige", acks_late=True, time_limit=300)
def webhooks_faellige() -> list[int]:
    """Queue delivery for every subscription with a due delivery (celery beat; catches up after outages)."""
    from .models import WebhookZustellung

    offen = [ZustellStatus.OFFEN, ZustellStatus.FEHLER]
    # Deliveries go out in order, so a subscription waits while its first failed delivery waits.
    wartend = WebhookZustellung.objects.filter(status=ZustellStatus.FEHLER, naechster_versuch__gt=timezone.now())
    faellig = (
        WebhookZustellung.objects.filter(status__in=offen, abo__aktiv=True)
        .exclude(abo__in=wartend.values("abo"))
        .values_list("abo_id", flat=True)
        .distinct()
    )
    abo_ids = sorted(set(faellig))
    for abo_id in abo_ids:
        webhook_zustellen.delay(abo_id)
    return abo_ids


def benachrichtigen(ereignisse) -> int:
    """One e-mail per following staff user listing the changes they follow; returns how many were sent."""
    from .models import Abonnement

    if not ereignisse:
        return 0
    je_user: dict[int, tuple] = {}
    for abo in (
        Abonnement.objects.filter(user__is_active=True, user__is_staff=True)
        .exclude(user__email="")
        .select_related("user", "kommune", "themenfeld")
    ):
        if abo.themenfeld_id:
            passende = [e for e in ereignisse if e.themenfeld_id == abo.themenfeld_id]
        else:
            ars = abo.kommune.ars
            passende = [e for e in ereignisse if e.gebiet_ars and e.gebiet_ars.startswith(ars)]
        if passende:
            user, bisher = je_user.get(abo.user_id, (abo.user, {}))
            bisher.update({e.id: e for e in passende})
            je_user[abo.user_id] = (user, bisher)
    gesendet = 0
    for user, liste in je_user.values():
        zeilen = [
            f"- {timezone.localtime(e.zeitpunkt):%d.%m.%Y %H:%M} {e.art_text}: {e.titel}\n  {e.link}"
            for e in sorted(liste.values(), key=lambda e: (e.zeitpunkt, e.id))
        ]
        text = (
            f"Guten Tag,\n\nim OZG-Portal hat sich etwas geändert, dem Sie folgen ({len(zeilen)} Änderungen):\n\n"
            + "\n".join(zeilen)
            + "\n\nIhre Abonnements verwalten Sie in der Verwaltung unter „Abonnements (E-Mail)“.\n"
        )
        try:
            # Queued: the task retries a failing mail server with backoff (email_senden below).
            email_senden.delay(f"OZG-Portal: {len(zeilen)} Änderungen", text, [user.email])
            gesendet += 1
        except Exception:  # one unreachable mailbox must not stop the others
            logger.exception("E-Mail an %s konnte nicht gesendet werden", user.pk)
    return gesendet


@shared_task(
    name="opendata.email_senden",
    bind=True,
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=None,  # bounded by EMAIL_MAX_VERSUCHE below (a setting, read per run)
)
def email_senden(self, betreff: str, text: str, empfaenger: list[str]) -> int:
    """Send one e-mail through the configured backend (EMAIL_URL); a failure is logged and retried with backoff.

    After EMAIL_MAX_VERSUCHE attempts the error is logged as such and raised (the task then fails visibly).
    """
    try:
        return send_mail(betreff, text, None, empfaenger)
    except (smtplib.SMTPException, OSError) as fehler:
        versuch = self.request.retries + 1
        if versuch >= settings.EMAIL_MAX_VERSUCHE:
            logger.error("E-Mail „%s“ nach %d Versuchen nicht gesendet: %s", betreff, versuch, fehler)
            raise
        logger.warning("E-Mail „%s“: Versuch %d fehlgeschlagen (%s), neuer Versuch folgt", betreff, versuch, fehler)
        raise self.retry(exc=fehler, max_retries=settings.EMAIL_MAX_VERSUCHE) from fehler
