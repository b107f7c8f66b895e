from contextlib import suppress

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .kontext import Kontext, _kontext


class CoreConfig(AppConfig):
    """Shared infrastructure at the bottom of the layers: the change log, its relay and the data version."""

    name = "core"
    verbose_name = _("Gemeinsame Grundlagen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from celery.signals import task_postrun, task_prerun

        # In ready(), not at the top: the receivers import the models, which exist only once the registry is ready.
        from . import signals

        signals.verbinden()
        task_prerun.connect(_task_start, dispatch_uid="core-kontext-task-start")
        task_postrun.connect(_task_ende, dispatch_uid="core-kontext-task-ende")


_tokens = {}


def _task_start(task_id=None, task=None, **kwargs):
    _tokens[task_id] = _kontext.set(Kontext("task", wer=f"task {task.name}"))


def _task_ende(task_id=None, **kwargs):
    token = _tokens.pop(task_id, None)
    if token is not None:
        # Set in another context (e.g. an eager task nested in a request): leave it.
        with suppress(ValueError):
            _kontext.reset(token)
