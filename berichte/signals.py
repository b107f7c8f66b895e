"""Rebuild reports after relevant changes: enqueued on commit, once per transaction, debounced.

A save or delete of a source model marks the affected reports. When the transaction commits, each report is queued
once, ``BERICHTE_ENTPRELLEN_SEKUNDEN`` later; further changes until that build starts add no second task (the
build reads the data when it starts, so it includes them). Bulk writes that bypass the ORM send no signals; the
nightly build covers them.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .choices import Ausloeser, Berichtsart

logger = logging.getLogger(__name__)

T, U, L, B = (
    Berichtsart.THEMENFELDBEARBEITUNG,
    Berichtsart.UMSETZUNGSSTAND,
    Berichtsart.LABORE,
    Berichtsart.BETEILIGUNG,
)

#: Source model → the reports it feeds.
BETROFFEN = {
    "catalog.Themenfeld": (T, U, L, B),
    "catalog.Organisation": (T, L, B),
    "catalog.Leistung": (U,),
    "catalog.Lage": (U,),
    "catalog.Zustaendigkeit": (U,),
    "catalog.Umsetzungsstand": (U,),
    "catalog.KommunaleUmsetzung": (U,),
    "themenfelder.TandemRolle": (T,),
    "themenfelder.PhasenStatus": (T,),
    "themenfelder.Teilnahme": (L, B),
    "labore.Labor": (T, L),
    "labore.LaborTeilnahme": (L,),  # the Labor of a Teilnahme (Teilnahme.labor before issue 12)
}


def vormerken(arten):
    """Queue a rebuild of ``arten`` when the current transaction commits (at once outside a transaction)."""
    if not settings.BERICHTE_AUTOMATISCH:
        return
    verbindung = transaction.get_connection()
    for art in arten:
        # One callback per report and transaction: an import saving thousands of rows queues one build.
        # (run_on_commit holds (savepoint ids, callback, robust); Django drops them on rollback.)
        if verbindung.in_atomic_block and any(
            getattr(eintrag[1], "berichte_art", None) == art for eintrag in verbindung.run_on_commit
        ):
            continue
        rueckruf = partial(ausloesen, art)
        rueckruf.berichte_art = art
        transaction.on_commit(rueckruf)


def ausloesen(art: str, ausloeser: str = Ausloeser.AENDERUNG):
    """Queue one debounced build of ``art`` unless one is already waiting to start."""
    from .tasks import bericht_bauen, entprell_schluessel

    warte = settings.BERICHTE_ENTPRELLEN_SEKUNDEN
    try:
        # The key lives until the build starts (the task deletes it); the timeout only guards a lost task.
        if not cache.add(entprell_schluessel(art), "1", timeout=max(warte * 20, 600)):
            return
        bericht_bauen.apply_async(kwargs={"art": art, "ausloeser": ausloeser}, countdown=warte)
    except Exception:  # a broker outage must not undo the editor's save; the nightly build catches up
        logger.exception("Neubau des Berichts %s konnte nicht eingereiht werden", art)


def _bei_aenderung(sender, **kwargs):
    vormerken(BETROFFEN[sender._meta.label])


def _bei_zuordnung(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        vormerken((T, L))


def verbinden():
    from django.apps import apps

    for label in BETROFFEN:
        model = apps.get_model(label)
        post_save.connect(_bei_aenderung, sender=model, dispatch_uid=f"berichte-save-{label}")
        post_delete.connect(_bei_aenderung, sender=model, dispatch_uid=f"berichte-delete-{label}")
    labor = apps.get_model("labore.Labor")
    m2m_changed.connect(_bei_zuordnung, sender=labor.leistungen.through, dispatch_uid="berichte-labor-leistungen")
