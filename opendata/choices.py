from django.db import models
from django.utils.translation import gettext_lazy as _


class Format(models.TextChoices):
    CSV = "csv", "CSV"
    JSON = "json", "JSON"
    XLSX = "xlsx", "XLSX"


class ZustellStatus(models.TextChoices):
    OFFEN = "offen", _("offen")
    FEHLER = "fehler", _("fehlgeschlagen, wird wiederholt")
    ZUGESTELLT = "zugestellt", _("zugestellt")
    AUFGEGEBEN = "aufgegeben", _("aufgegeben")


class Aenderungsart(models.TextChoices):
    ANGELEGT = "+", _("angelegt")
    GEAENDERT = "~", _("geändert")
    GELOESCHT = "-", _("gelöscht")
