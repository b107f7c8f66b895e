from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaboreConfig(AppConfig):
    name = "labore"
    verbose_name = _("Digitalisierungslabore")
