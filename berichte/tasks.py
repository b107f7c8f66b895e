"""Celery tasks that rebuild the stored reports. They run on the queue ``berichte`` (CELERY_TASK_ROUTES routes
``berichte.*`` there; Celery 5.5 deprecates the per-task ``queue`` attribute).

All take simple arguments (the report's name, flags), are idempotent (an unchanged data state builds nothing),
acknowledge late (a killed worker's message is delivered again), retry with exponential backoff on database or
broker errors and are time-limited (Celery's limits plus PostgreSQL's statement_timeout inside the build).
"""

from django.conf import settings
from django.db import InterfaceError, OperationalError

from celery import shared_task
from redis.exceptions import ConnectionError as RedisConnectionError

from core import relay

from .choices import Ausloeser, Berichtsart
from .services.bauen import bauen
from .signals import auftrag

QUEUE = "berichte"


def entprell_schluessel(art: str) -> str:
    """Cache key of the debounce before it moved into ``core.Neubauauftrag`` (durable); no longer written."""
    return f"berichte:entprellt:{art}"


@shared_task(
    bind=True,
    name="berichte.bericht_bauen",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError, RedisConnectionError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=settings.BERICHTE_ZEITLIMIT,
    time_limit=settings.BERICHTE_ZEITLIMIT + 60,
)
def bericht_bauen(self, art: str, erzwingen: bool = False, ausloeser: str = Ausloeser.AENDERUNG) -> dict:
    """Rebuild one report (``art``: a ``Berichtsart`` value) if its data changed, or always with ``erzwingen``.

    If another build of the same report is running, wait for it (inline) or try again shortly (worker), then
    find the report current and build nothing: simultaneous triggers build once.
    """
    Berichtsart(art)  # fails fast on an unknown name
    # From here on a new change schedules a new build; changes before this point are in this build's snapshot.
    stand = relay.beginnen([auftrag(art)])
    inline = bool(self.request.is_eager)
    ergebnis = bauen(
        art,
        ausloeser=ausloeser,
        task_id=self.request.id or "",
        erzwingen=erzwingen,
        warten=settings.BERICHTE_ZEITLIMIT if inline else 0,
    )
    if ergebnis.status == "belegt":
        # Not an error: retry without using up the error retries' budget too fast.
        raise self.retry(countdown=settings.BERICHTE_BELEGT_WARTEN, max_retries=settings.BERICHTE_BELEGT_VERSUCHE)
    relay.erledigt(stand)  # only a finished build (built or found current) settles the demand
    return ergebnis.als_dict()


@shared_task(name="berichte.alle_bauen", acks_late=True, time_limit=120)
def alle_bauen(erzwingen: bool = True, ausloeser: str = Ausloeser.ZEITPLAN) -> list[str]:
    """Queue a rebuild of every report (nightly by celery beat; the schedule is editable in the admin)."""
    for art in Berichtsart.values:
        bericht_bauen.apply_async(kwargs={"art": art, "erzwingen": erzwingen, "ausloeser": ausloeser})
    return list(Berichtsart.values)
