"""React to changes: rebuild affected open-data files, and turn new history rows into notifications.

Both are queued when the transaction commits, once per transaction (an import saving thousands of rows queues one
task), like ``berichte.signals``. The file rebuild is debounced (``OPENDATA_ENTPRELLEN_SEKUNDEN``). Bulk writes that
bypass the ORM send no signals: ``make load`` builds the files afterwards, and a missing file is built on demand.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from simple_history.signals import post_create_historical_record

from .datensaetze import BETROFFEN

logger = logging.getLogger(__name__)

ENTPRELL_SCHLUESSEL = "opendata:entprellt"


def _offene_sammlung(marke: str):
    """The on-commit callback of this transaction carrying ``marke``, or None."""
    verbindung = transaction.get_connection()
    if not verbindung.in_atomic_block:
        return None
    for eintrag in verbindung.run_on_commit:
        if getattr(eintrag[1], "opendata_marke", None) == marke:
            return eintrag[1]
    return None


# --- Files --------------------------------------------------------------------------------------------
def vormerken(namen) -> None:
    """Rebuild the datasets ``namen`` after commit (debounced)."""
    if not settings.OPENDATA_AUTOMATISCH:
        return
    offen = _offene_sammlung("dateien")
    if offen is not None:
        offen.args[0].update(namen)
        return
    rueckruf = partial(ausloesen, set(namen))
    rueckruf.opendata_marke = "dateien"
    transaction.on_commit(rueckruf)


def ausloesen(namen: set) -> None:
    """Queue one debounced rebuild; names arriving while one waits are added to the waiting set."""
    from .tasks import dateien_bauen

    warte = settings.OPENDATA_ENTPRELLEN_SEKUNDEN
    try:
        wartend = cache.get(ENTPRELL_SCHLUESSEL)
        if wartend is not None:
            cache.set(ENTPRELL_SCHLUESSEL, sorted(set(wartend) | namen), timeout=max(warte * 20, 600))
            return
        cache.set(ENTPRELL_SCHLUESSEL, sorted(namen), timeout=max(warte * 20, 600))
        dateien_bauen.apply_async(countdown=warte)
    except Exception:  # a broker outage must not undo the editor's save; the file is rebuilt on the next change
        logger.exception("Neubau der offenen Daten konnte nicht eingereiht werden")


def _bei_aenderung(sender, **kwargs):
    vormerken(BETROFFEN[sender._meta.label])


def _bei_bericht(sender, instance, **kwargs):
    from berichte.tabellen import TABELLEN

    vormerken(f"bericht-{s}" for s, t in TABELLEN.items() if t.art == instance.art)


def _bei_labor_leistungen(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        vormerken(("labore",))


# --- Notifications -------------------------------------------------------------------------------------
def _bei_historie(sender, instance, history_instance, **kwargs):
    from .ereignisse import QUELLEN_NACH_LABEL

    label = instance._meta.label
    if label not in QUELLEN_NACH_LABEL:
        return
    paar = (label, history_instance.history_id)
    offen = _offene_sammlung("ereignisse")
    if offen is not None:
        offen.args[0].append(paar)
        return
    rueckruf = partial(ereignisse_einreihen, [paar])
    rueckruf.opendata_marke = "ereignisse"
    transaction.on_commit(rueckruf)


def ereignisse_einreihen(paare: list) -> None:
    from .tasks import ereignisse_verteilen

    try:
        ereignisse_verteilen.delay([list(p) for p in paare])
    except Exception:
        logger.exception("Benachrichtigungen zu %s Änderungen konnten nicht eingereiht werden", len(paare))


def verbinden():
    from django.apps import apps

    for label in BETROFFEN:
        model = apps.get_model(label)
        post_save.connect(_bei_aenderung, sender=model, dispatch_uid=f"opendata-save-{label}")
        post_delete.connect(_bei_aenderung, sender=model, dispatch_uid=f"opendata-delete-{label}")
    post_save.connect(_bei_bericht, sender=apps.get_model("berichte.AktuellerBericht"), dispatch_uid="opendata-bericht")
    labor = apps.get_model("labore.Labor")
    m2m_changed.connect(
        _bei_labor_leistungen, sender=labor.leistungen.through, dispatch_uid="opendata-labor-leistungen"
    )
    post_create_historical_record.connect(_bei_historie, dispatch_uid="opendata-historie")
