from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Offene Daten und Benachrichtigungen")

    def ready(self):
        # In ready(), as Django asks: the consumers import models, which exist only once the registry is ready.
        from . import signals

        signals.verbinden()
