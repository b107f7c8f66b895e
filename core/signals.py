"""Receivers of the single ORM writes (``pre_save``/``post_save``/``post_delete``/``m2m_changed`` of every tracked
model): each write records its log entry through ``core.aenderungen.eintragen``, in the write's own transaction.

Connected once by ``CoreConfig.ready`` (``verbinden``); the recording itself lives in ``core.aenderungen``.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from simple_history.signals import post_create_historical_record

from .aenderungen import eintragen, sperren, verfolgt
from .bereiche import werte_von
from .models import Aenderung


def _vor_schreiben(sender, instance, raw=False, using=None, **kwargs):
    # The log lock before the row lock (no deadlock, see the module docstring). The flag spares post_save a second
    # round trip: between pre_save and post_save of one row no savepoint can have been rolled back.
    if not raw and verfolgt(sender) and sperren(using):
        instance._core_gesperrt = True


def _vor_zuordnung(sender, instance, action, using=None, **kwargs):
    if action in ("pre_add", "pre_remove", "pre_clear") and verfolgt(type(instance)):
        sperren(using)


def _bei_historie(sender, instance, history_instance, **kwargs):
    # simple_history's own post_save/post_delete receiver runs before ours (connected first): remember the row.
    instance._core_historie_id = history_instance.history_id


def _bei_speichern(sender, instance, created, raw=False, using=None, **kwargs):
    if raw or not verfolgt(sender):
        return
    aktion = Aenderung.Aktion.ANGELEGT if created else Aenderung.Aktion.GEAENDERT
    eintragen(
        [
            {
                "aktion": aktion,
                "nachher": werte_von(instance),
                "historie_id": instance.__dict__.pop("_core_historie_id", None),
            }
        ],
        [instance],
        using=using,
        gesperrt=instance.__dict__.pop("_core_gesperrt", False),
    )


def _bei_loeschen(sender, instance, using=None, **kwargs):
    if not verfolgt(sender):
        return
    eintragen(
        [
            {
                "aktion": Aenderung.Aktion.GELOESCHT,
                "vorher": werte_von(instance),
                "historie_id": instance.__dict__.pop("_core_historie_id", None),
            }
        ],
        [instance],
        using=using,
        gesperrt=instance.__dict__.pop("_core_gesperrt", False),
    )


def _bei_zuordnung(sender, instance, action, reverse, model, pk_set, using=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or not verfolgt(type(instance)):
        return
    feld = next(
        (f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender),
        sender._meta.model_name,
    )
    eintragen(
        [
            {
                "aktion": Aenderung.Aktion.GEAENDERT,
                "nachher": {feld: {"aktion": action.removeprefix("post_"), "pks": sorted(pk_set or [])}},
            }
        ],
        [instance],
        using=using,
    )


def verbinden():
    pre_save.connect(_vor_schreiben, dispatch_uid="core-aenderung-pre-save")
    pre_delete.connect(_vor_schreiben, dispatch_uid="core-aenderung-pre-delete")
    m2m_changed.connect(_vor_zuordnung, dispatch_uid="core-aenderung-pre-m2m")
    post_create_historical_record.connect(_bei_historie, dispatch_uid="core-historie")
    post_save.connect(_bei_speichern, dispatch_uid="core-aenderung-save")
    post_delete.connect(_bei_loeschen, dispatch_uid="core-aenderung-delete")
    m2m_changed.connect(_bei_zuordnung, dispatch_uid="core-aenderung-m2m")
