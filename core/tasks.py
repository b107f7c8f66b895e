"""Celery task of the relay (queue ``default``): queued after each writing commit and every minute by celery beat."""

from django.db import InterfaceError, OperationalError

from celery import shared_task


@shared_task(
    name="core.weiterreichen",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    max_retries=5,
    time_limit=600,
)
def weiterreichen() -> dict:
    """Hand every committed, not yet handled log entry to each consumer (idempotent: cursors are transactional),
    then queue again what was demanded but not done (lost rebuild messages, due e-mails)."""
    from . import relay  # here, not at the top: relay imports this module to queue the task

    ergebnis = relay.weiterreichen()
    ergebnis["nachgeholt"] = relay.nachholen()
    return ergebnis
