"""The relay: hands committed log entries to every registered consumer, in sequence order, exactly once per cursor.

Consumers register from their app's ``AppConfig.ready()`` (``registrieren("berichte", funktion)``); core knows
none of them. Each consumer has a cursor row (``Konsumentenstand``). One run, per consumer: lock the cursor row
(``SELECT … FOR UPDATE SKIP LOCKED``: a concurrent run skips it, and the holder keeps reading until nothing is
left), read the next batch after the cursor, call the consumer, advance the cursor — all in one transaction. So a
consumer's database work (e.g. webhook delivery rows) commits exactly when the cursor moves; a crash or an
exception rolls both back and the entries come again. One failing consumer records its error and is retried by
the next run; the others go on.

Queued after every writing commit (``einreihen``), plus ``core.weiterreichen`` every minute (celery beat) for
what a broker outage left behind. Without REDIS_URL it runs inline.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F

from .models import Aenderung, Konsumentenstand

logger = logging.getLogger(__name__)

KONSUMENTEN: dict[str, Callable[[list[Aenderung]], None]] = {}


def registrieren(name: str, funktion: Callable[[list[Aenderung]], None]) -> None:
    """Register a consumer; it gets each committed entry once, in id order, in batches."""
    KONSUMENTEN[name] = funktion


def einreihen() -> None:
    """Queue one relay run (after a commit). A broker outage is logged, not raised: the sweep catches up."""
    from .tasks import weiterreichen

    try:
        # retry=False: with the broker down, fail at once instead of blocking the editor's request.
        weiterreichen.apply_async(retry=False)
    except Exception:
        logger.warning("Relay konnte nicht eingereiht werden; der periodische Durchlauf holt es nach", exc_info=True)


def weiterreichen(namen=None) -> dict[str, int]:
    """Run every consumer (or ``namen``) until it has caught up; returns entries handled per consumer."""
    ergebnis = {}
    for name, funktion in list(KONSUMENTEN.items()):
        if namen is None or name in namen:
            ergebnis[name] = _konsument(name, funktion)
    return ergebnis


def _konsument(name: str, funktion) -> int:
    Konsumentenstand.objects.get_or_create(name=name)
    gesamt = 0
    while True:
        try:
            with transaction.atomic():
                stand = Konsumentenstand.objects.select_for_update(skip_locked=True).filter(name=name).first()
                if stand is None:
                    return gesamt  # another run holds it and reads on until nothing is left
                eintraege = list(
                    # The values before/after are loaded only by a consumer that reads them.
                    Aenderung.objects.filter(id__gt=stand.letzte_id)
                    .defer("vorher", "nachher")
                    .order_by("id")[: settings.AENDERUNGEN_STAPEL]
                )
                if not eintraege:
                    return gesamt
                funktion(eintraege)
                Konsumentenstand.objects.filter(name=name).update(letzte_id=eintraege[-1].id, fehlversuche=0, fehler="")
        except Exception as fehler:
            logger.exception("Konsument %s scheiterte; er versucht es beim nächsten Durchlauf erneut", name)
            Konsumentenstand.objects.filter(name=name).update(
                fehlversuche=F("fehlversuche") + 1, fehler=f"{type(fehler).__name__}: {fehler}"[:2000]
            )
            return gesamt
        gesamt += len(eintraege)
