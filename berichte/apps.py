from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BerichteConfig(AppConfig):
    name = "berichte"
    verbose_name = _("Berichte")

    def ready(self):
        # In ready(), as Django asks: the consumers import models, which exist only once the registry is ready.
        from . import signals

        signals.verbinden()
