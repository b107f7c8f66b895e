"""Celery tasks of the open-data app (queue ``default``): rebuild files, deliver webhooks (events come from the
change log's relay, see ``opendata.signals``).

All take primary keys or names, are idempotent and safe to run twice. Without REDIS_URL they run inline
(eager); a webhook that failed is then retried by the next run of ``webhooks_faellige`` (celery beat, every
minute) or by calling ``webhook_zustellen`` again, since an eager task cannot wait.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from celery import shared_task

from core import relay

from .bauen import alle_bauen
from .choices import ZustellStatus
from .datensaetze import alle
from .models import Abonnement, EmailAusgang, WebhookZustellung
from .webhooks import zustellen

logger = logging.getLogger(__name__)


def auftrag(name: str) -> str:
    """The key of a dataset's rebuild demand (``core.Neubauauftrag``)."""
    return f"opendata:{name}"


@shared_task(
    name="opendata.dateien_bauen",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=5,
    time_limit=900,
)
def dateien_bauen(namen: list[str] | None = None) -> list[str]:
    """Rebuild the dataset files ``namen`` (every dataset when empty) and settle their rebuild demands."""

    bekannt = alle()
    namen = [n for n in (namen or bekannt) if n in bekannt]
    # From here on a change demands a new build; this one reads the data as of now.
    stand = relay.beginnen([auftrag(n) for n in namen])
    alle_bauen(namen)
    relay.erledigt(stand)
    return namen


@shared_task(bind=True, name="opendata.webhook_zustellen", acks_late=True, max_retries=None)
def webhook_zustellen(self, abo_id: int) -> dict:
    """Deliver one subscription's pending events in order; one delivery loop per subscription at a time."""

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

    return WebhookZustellung.objects.filter(abo_id=abo_id, status=ZustellStatus.OFFEN).exists()


@shared_task(name="opendata.webhooks_faellige", acks_late=True, time_limit=300)
def webhooks_faellige() -> list[int]:
    """Queue delivery for every subscription with a due delivery (celery beat; catches up after outages)."""

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


def benachrichtigen(ereignisse, bis: int | None = None) -> int:
    """One e-mail per following staff user listing the changes they follow, stored in the outbox (in the current
    transaction) and sent after the commit; returns how many were stored."""

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
    mails = []
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
        mails.append(
            EmailAusgang(
                user=user,
                empfaenger=user.email,
                betreff=f"OZG-Portal: {len(zeilen)} Änderungen",
                text=text,
                aenderung_bis=bis,
            )
        )
    if mails:
        EmailAusgang.objects.bulk_create(mails)
        transaction.on_commit(_emails_einreihen)
    return len(mails)


def _emails_einreihen():
    try:
        emails_senden.apply_async(retry=False)
    except Exception:  # stored in the outbox: the next relay run (the minute sweep) sends them
        logger.warning("E-Mail-Versand nicht eingereiht; der nächste Durchlauf holt es nach", exc_info=True)


def email_wartezeit(versuche: int) -> int:
    """Exponential backoff of the outbox: base, 2×base, 4×base … capped at a day."""
    return min(settings.EMAIL_BACKOFF_SEKUNDEN * 2 ** max(versuche - 1, 0), 86400)


def faellige_senden(hoechstens: int = 500) -> int:
    """Send the outbox's due e-mails, oldest first; returns how many were sent.

    Each mail is locked while it is sent (``SKIP LOCKED``: two workers never send the same one) and its result is
    committed with it. A failure counts an attempt and waits ``email_wartezeit``; after ``EMAIL_MAX_VERSUCHE``
    attempts the mail is given up (logged as an error). An unreachable server ends the round: the next mails
    would fail the same way. A worker killed between the SMTP answer and the commit sends that one mail again.
    """

    gesendet = 0
    for _ in range(hoechstens):
        with transaction.atomic():
            mail = (
                EmailAusgang.objects.select_for_update(skip_locked=True)
                .filter(status__in=[ZustellStatus.OFFEN, ZustellStatus.FEHLER], naechster_versuch__lte=timezone.now())
                .order_by("naechster_versuch", "id")
                .first()
            )
            if mail is None:
                return gesendet
            mail.versuche += 1
            try:
                send_mail(mail.betreff, mail.text, None, [mail.empfaenger])
            except (smtplib.SMTPException, OSError) as fehler:
                mail.fehler = f"{type(fehler).__name__}: {fehler}"[:2000]
                if mail.versuche >= settings.EMAIL_MAX_VERSUCHE:
                    mail.status = ZustellStatus.AUFGEGEBEN
                    logger.error("E-Mail #%s nach %d Versuchen nicht gesendet: %s", mail.pk, mail.versuche, fehler)
                else:
                    mail.status = ZustellStatus.FEHLER
                    mail.naechster_versuch = timezone.now() + timedelta(seconds=email_wartezeit(mail.versuche))
                    logger.warning("E-Mail #%s: Versuch %d fehlgeschlagen (%s)", mail.pk, mail.versuche, fehler)
                mail.save()
                if isinstance(fehler, OSError):
                    return gesendet
                continue
            mail.status, mail.fehler, mail.gesendet_am = ZustellStatus.ZUGESTELLT, "", timezone.now()
            mail.save()
            gesendet += 1
    return gesendet


@shared_task(name="opendata.emails_senden", acks_late=True, time_limit=600)
def emails_senden() -> int:
    """Send the due e-mails of the outbox (queued after a commit that stored some; retried by every relay run)."""
    return faellige_senden()


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
