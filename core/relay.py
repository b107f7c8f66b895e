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

Rebuilds a consumer asks for (a report, an open-data file) are durable too (``Neubauauftrag``): ``anfordern``
records "needed up to entry N" in the consumer's transaction, the task marks what it ``begonnen`` and ``erledigt``
has, and ``nachholen`` (every relay run) queues again what a lost message or a killed worker left undone. A broker
only carries the wake-up call, never the only copy of the demand. Consumers may register more such catch-up
functions (``registrieren_nachholer``, e.g. the e-mail outbox).
"""

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from celery import current_app

from .models import Aenderung, Konsumentenstand, Neubauauftrag

logger = logging.getLogger(__name__)

KONSUMENTEN: dict[str, Callable[[list[Aenderung]], None]] = {}
NACHHOLER: dict[str, Callable[[], object]] = {}


class _Inline(threading.local):
    """Inline runs (no broker, tasks eager) of this thread: the relay must not re-enter itself.

    Inline, a rebuild a consumer demands runs inside the relay run that demanded it, and its own commit queues the
    relay again. Entered there, the nested run would read on past the outer one's batch and demand the same rebuild
    while the outer build still holds its lock (the nested build then waited for the lock to expire: a minute per
    report in ``load_all``). Instead the nested call only asks the outer run to go round once more, and the outer
    run sends the rebuilds its consumers demanded after every consumer has caught up, each once (the demand table
    debounces what was demanded again meanwhile). With a broker, tasks are messages and nothing nests.
    """

    aktiv = False
    nochmal = False
    senden_jetzt = False

    def __init__(self):
        self.ausstehend: dict[tuple, tuple] = {}


_inline = _Inline()


def registrieren(name: str, funktion: Callable[[list[Aenderung]], None]) -> None:
    """Register a consumer; it gets each committed entry once, in id order, in batches."""
    KONSUMENTEN[name] = funktion


def registrieren_nachholer(name: str, funktion: Callable[[], object]) -> None:
    """Register a catch-up function, called by every relay run after the consumers (e.g. due e-mails)."""
    NACHHOLER[name] = funktion


def einreihen() -> None:
    """Queue one relay run (after a commit). A broker outage is logged, not raised: the sweep catches up."""
    # Here, not at the top: core.tasks imports this module for the task's body (a cycle at load time).
    from .tasks import weiterreichen

    try:
        # retry=False: with the broker down, fail at once instead of blocking the editor's request.
        weiterreichen.apply_async(retry=False)
    except Exception:
        logger.warning("Relay konnte nicht eingereiht werden; der periodische Durchlauf holt es nach", exc_info=True)


def weiterreichen(namen=None) -> dict[str, int]:
    """Run every consumer (or ``namen``) until it has caught up; returns entries handled per consumer."""
    if _inline.aktiv:
        _inline.nochmal = True  # called from this thread's own run (inline): see _Inline
        return {}
    ergebnis = {}
    _inline.aktiv = True
    try:
        while True:
            _inline.nochmal = False
            for name, funktion in list(KONSUMENTEN.items()):
                if namen is None or name in namen:
                    ergebnis[name] = ergebnis.get(name, 0) + _konsument(name, funktion)
            ausstehend, _inline.ausstehend = _inline.ausstehend, {}
            _inline.senden_jetzt = True
            try:
                for argumente in ausstehend.values():
                    senden(*argumente)
            finally:
                _inline.senden_jetzt = False
            if not (_inline.nochmal or _inline.ausstehend):
                return ergebnis
    finally:
        _inline.aktiv, _inline.nochmal, _inline.ausstehend = False, False, {}


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


# --- Durable rebuild demands ------------------------------------------------------------------------------
def letzte_id() -> int:
    return Aenderung.objects.aggregate(m=Max("id"))["m"] or 0


def anfordern(schluessel: str, task: str, argumente: dict, bis: int | None = None) -> bool:
    """Record (in the current transaction) that ``task(**argumente)`` must reflect the log up to entry ``bis``.

    Returns True if the caller must queue the task after commit (``nach_commit_senden``); False if a queued run
    that has not started yet exists: it reads the data when it starts, so it covers this demand too (debounce).
    """
    bis = letzte_id() if bis is None else bis
    with transaction.atomic():
        auftrag, _ = Neubauauftrag.objects.select_for_update().get_or_create(
            schluessel=schluessel, defaults={"task": task, "argumente": argumente}
        )
        auftrag.gewuenscht_bis = max(auftrag.gewuenscht_bis, bis)
        if auftrag.eingereiht_am is not None:
            auftrag.save(update_fields=["gewuenscht_bis", "geaendert_am"])
            return False
        auftrag.task, auftrag.argumente, auftrag.eingereiht_am = task, argumente, timezone.now()
        auftrag.save()
    return True


def nach_commit_senden(task: str, argumente: dict, schluessel: list[str], countdown: int = 0) -> None:
    """Queue ``task`` once the current transaction has committed (inline without a broker)."""
    transaction.on_commit(lambda: senden(task, argumente, schluessel, countdown))


def senden(task: str, argumente: dict, schluessel: list[str], countdown: int = 0) -> bool:
    if _inline.aktiv and not _inline.senden_jetzt and current_app.conf.task_always_eager:
        # Inline, within a relay run: sent by that run once its consumers have caught up (see _Inline).
        _inline.ausstehend[(task, repr(sorted(argumente.items())))] = (task, argumente, schluessel, countdown)
        return True
    try:
        # By name through the app's registry: core knows no consumer's module. Eager without REDIS_URL.
        current_app.tasks[task].apply_async(kwargs=argumente, countdown=countdown, retry=False)
        return True
    except Exception:
        # Broker down: the demand stays recorded, marked "not queued", and the next relay run queues it again.
        logger.warning("%s konnte nicht eingereiht werden; der nächste Durchlauf holt es nach", task, exc_info=True)
        Neubauauftrag.objects.filter(schluessel__in=schluessel).update(eingereiht_am=None)
        return False


def beginnen(schluessel: list[str]) -> dict[str, int]:
    """A rebuild starts: returns, per demand, the log entry its build covers (the data is read after this)."""
    with transaction.atomic():
        auftraege = list(Neubauauftrag.objects.select_for_update().filter(schluessel__in=schluessel))
        # From here on a new change queues a new run: this one may have read its data before that change.
        Neubauauftrag.objects.filter(schluessel__in=schluessel).update(eingereiht_am=None, begonnen_am=timezone.now())
    return {a.schluessel: a.gewuenscht_bis for a in auftraege}


def erledigt(stand: dict[str, int]) -> None:
    """A rebuild that ``beginnen`` returned ``stand`` for has finished."""
    for schluessel, bis in stand.items():
        Neubauauftrag.objects.filter(schluessel=schluessel).update(
            erledigt_bis=Greatest(F("erledigt_bis"), bis), begonnen_am=None
        )


def nachholen() -> int:
    """Queue every unfinished demand that nothing happened to for ``NEUBAU_NACHHOLEN_SEKUNDEN`` (or that was never
    queued); then run the registered catch-up functions. Returns how many rebuilds were queued again."""
    grenze = timezone.now() - timedelta(seconds=settings.NEUBAU_NACHHOLEN_SEKUNDEN)
    ruhig = (Q(eingereiht_am__isnull=True) | Q(eingereiht_am__lt=grenze)) & (
        Q(begonnen_am__isnull=True) | Q(begonnen_am__lt=grenze)
    )
    anzahl = 0
    with transaction.atomic():
        offen = list(
            Neubauauftrag.objects.select_for_update(skip_locked=True)
            .filter(ruhig, gewuenscht_bis__gt=F("erledigt_bis"))
            .order_by("schluessel")
        )
        for auftrag in offen:
            logger.warning("Neubau %s bis #%s nicht erledigt: erneut eingereiht", auftrag, auftrag.gewuenscht_bis)
            Neubauauftrag.objects.filter(pk=auftrag.pk).update(eingereiht_am=timezone.now(), begonnen_am=None)
            nach_commit_senden(auftrag.task, auftrag.argumente, [auftrag.pk])
            anzahl += 1
    for name, funktion in list(NACHHOLER.items()):
        try:
            funktion()
        except Exception:
            logger.exception("Nachholen %s scheiterte; der nächste Durchlauf versucht es erneut", name)
    return anzahl
