"""Build one report: check the data state, write the new build and flip the pointer, all in one transaction."""

import logging
import time
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection, transaction

from ..models import AktuellerBericht, Berichtslauf
from . import builders, datenstand
from .sperre import einzelflug

logger = logging.getLogger(__name__)


@dataclass
class Ergebnis:
    art: str
    status: str  # "gebaut", "unveraendert" or "belegt" (another build holds the lock)
    lauf_id: int | None = None
    dauer_ms: int = 0

    def als_dict(self) -> dict:
        return asdict(self)


def bauen(art: str, *, ausloeser: str, task_id: str = "", erzwingen: bool = False, warten: float = 0) -> Ergebnis:
    """Rebuild ``art`` unless its current build already reflects the data state (or ``erzwingen``).

    Idempotent: running it twice on the same data builds once. Readers keep seeing the previous build until the
    transaction that writes the new one commits.
    """
    with einzelflug(art, warten=warten) as frei:
        if not frei:
            return Ergebnis(art, "belegt")
        start = time.monotonic()
        with transaction.atomic():
            _transaktion_einrichten()
            stand = datenstand.ermitteln(art)
            pruefsumme = datenstand.pruefsumme(stand)
            aktuell = Berichtslauf.objects.aktuell(art)
            if not erzwingen and aktuell is not None and aktuell.datenstand_hash == pruefsumme:
                return Ergebnis(art, "unveraendert", aktuell.pk)
            lauf = Berichtslauf.objects.create(
                art=art, ausloeser=ausloeser, task_id=task_id or "", datenstand=stand, datenstand_hash=pruefsumme
            )
            kennzahlen = builders.BUILDER[art](lauf)
            lauf.kennzahlen = kennzahlen
            lauf.synthetisch = bool(kennzahlen.get("kommunal_synthetisch"))
            lauf.dauer_ms = int((time.monotonic() - start) * 1000)
            lauf.save(update_fields=["kennzahlen", "synthetisch", "dauer_ms"])
            # The flip: the last write of the transaction, so the new build appears whole or not at all.
            AktuellerBericht.objects.update_or_create(art=art, defaults={"lauf": lauf})
        logger.info("Bericht %s gebaut: Lauf %s in %s ms", art, lauf.pk, lauf.dauer_ms)
    aufraeumen(art)
    return Ergebnis(art, "gebaut", lauf.pk, lauf.dauer_ms)


def _transaktion_einrichten():
    """On PostgreSQL: one snapshot for the whole build, and a time limit that holds even without a worker."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # Only as the first statement of an outermost transaction; inside a test's transaction the build runs in
        # a savepoint whose isolation level is already fixed.
        if len(connection.atomic_blocks) == 1:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{settings.BERICHTE_ZEITLIMIT}s"])
        # Enough memory to aggregate Kommune × Themenfeld (≈ 150,000 groups) in a hash instead of a disk sort.
        cursor.execute("SELECT set_config('work_mem', %s, true)", [settings.BERICHTE_WORK_MEM])


def aufraeumen(art: str):
    """Drop the detail rows of old builds beyond ``BERICHTE_LAEUFE_MIT_DETAILS``; the builds and figures stay."""
    behalten = settings.BERICHTE_LAEUFE_MIT_DETAILS
    alte = list(
        Berichtslauf.objects.filter(art=art, details_entfernt=False)
        .order_by("-gebaut_am", "-id")
        .values_list("pk", flat=True)[behalten:]
    )
    if not alte:
        return
    aktuell = AktuellerBericht.objects.filter(art=art).values_list("lauf_id", flat=True).first()
    alte = [pk for pk in alte if pk != aktuell]
    with transaction.atomic():
        for model in builders.ZEILEN[art]:
            model.objects.filter(lauf_id__in=alte).delete()
        Berichtslauf.objects.filter(pk__in=alte).update(details_entfernt=True)
