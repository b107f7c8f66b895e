"""Tasks of the portal itself (diagnosis, e-mail). Run on the default queue (CELERY_TASK_DEFAULT_QUEUE)."""

import logging
import smtplib
import socket

from celery import shared_task

from .observability import request_id_var

logger = logging.getLogger(__name__)


@shared_task(name="ozgportal.diagnose", acks_late=True, time_limit=30)  # queue "default" (task default)
def diagnose() -> dict:
    """Answer which worker ran it and under which request id: checks broker, worker and log correlation."""
    return {"worker": socket.gethostname(), "request_id": request_id_var.get()}


@shared_task(
    name="ozgportal.email_senden",
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
    from django.conf import settings
    from django.core.mail import send_mail

    try:
        return send_mail(betreff, text, None, empfaenger)
    except (smtplib.SMTPException, OSError) as fehler:
        versuch = self.request.retries + 1
        if versuch >= settings.EMAIL_MAX_VERSUCHE:
            logger.error("E-Mail „%s“ nach %d Versuchen nicht gesendet: %s", betreff, versuch, fehler)
            raise
        logger.warning("E-Mail „%s“: Versuch %d fehlgeschlagen (%s), neuer Versuch folgt", betreff, versuch, fehler)
        raise self.retry(exc=fehler, max_retries=settings.EMAIL_MAX_VERSUCHE) from fehler
