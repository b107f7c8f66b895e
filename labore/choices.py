from django.db import models
from django.utils.translation import gettext_lazy as _


class Methodenphase(models.TextChoices):
    """The three steps of a Digitalisierungslabor towards a digital solution."""

    IST_ZUSTAND = "ist_zustand", _("Ist-Zustand analysieren")
    ZIELBILD = "zielbild", _("Zielbild gestalten")
    UMSETZUNG = "umsetzung", _("Digitale Lösung umsetzen")
