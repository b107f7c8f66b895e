from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Katalog und Gebietskörperschaften")

    def ready(self):
        # The stock of pages follows the change log (catalog.vorrat): a relay consumer.
        from . import vorrat

        vorrat.verbinden()
