"""Enumerations of the reports, as code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Berichtsart(models.TextChoices):
    """The four stored reports; each is rebuilt as a whole."""

    THEMENFELDBEARBEITUNG = "themenfeldbearbeitung", _("Stand der Themenfeldbearbeitung")
    UMSETZUNGSSTAND = "umsetzungsstand", _("Umsetzungsstand")
    LABORE = "labore", _("Digitalisierungslabore")
    BETEILIGUNG = "beteiligung", _("Beteiligung der Kommunen")


class Ausloeser(models.TextChoices):
    """What started a build."""

    AENDERUNG = "aenderung", _("Datenänderung")
    ZEITPLAN = "zeitplan", _("Zeitplan (nachts)")
    VERWALTUNG = "verwaltung", _("Verwaltung (von Hand)")
    BEFEHL = "befehl", _("Befehl (manage.py)")
