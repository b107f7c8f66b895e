from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from .choices import Methodenphase


class Labor(models.Model):
    """A Digitalisierungslabor: an agile, interdisciplinary team that digitises OZG-Leistungen with their users.

    Participants are ``themenfelder.Teilnahme`` rows linked by ``LaborTeilnahme``: labore owns the link, so the
    dependency runs from labore down to themenfelder, as the layers do.
    """

    themenfeld = models.ForeignKey(
        "catalog.Themenfeld", verbose_name=_("Themenfeld"), on_delete=models.PROTECT, related_name="labore"
    )
    slug = models.SlugField(_("Kürzel in Adressen"), max_length=80, unique=True)
    titel = models.CharField(_("Titel"), max_length=200)
    pilot = models.BooleanField(_("Pilotlabor"), default=False)
    methodenphase = models.CharField(
        _("Methodenphase"),
        max_length=20,
        choices=Methodenphase.choices,
        blank=True,
        help_text=_("Leer, solange keine Quelle die aktuelle Phase nennt."),
    )
    leistungen = models.ManyToManyField(
        "catalog.Leistung", verbose_name=_("OZG-Leistungen"), blank=True, related_name="labore"
    )
    teilnahmen = models.ManyToManyField(
        "themenfelder.Teilnahme",
        through="LaborTeilnahme",
        verbose_name=_("Teilnahmen"),
        blank=True,
        related_name="labore",
    )
    bemerkung = models.TextField(_("Bemerkung"), blank=True)
    zuordnung = models.TextField(
        _("Zuordnung der Leistungen"),
        blank=True,
        help_text=_("Wie die OZG-Leistungen dem Labor zugeordnet wurden."),
    )
    gestartet_bis = models.DateField(
        _("gestartet spätestens am"),
        null=True,
        blank=True,
        help_text=_("Stand der Quelle, die das Labor nennt."),
    )

    history = HistoricalRecords(m2m_fields=[leistungen])

    class Meta:
        verbose_name = _("Digitalisierungslabor")
        verbose_name_plural = _("Digitalisierungslabore")
        ordering = ["themenfeld__name", "titel"]

    def __str__(self):
        return self.titel

    def get_absolute_url(self):
        return reverse("labor", args=[self.slug])


class LaborTeilnahme(models.Model):
    """That a Teilnahme (Kommune or IT-Dienstleister) works in a Labor; at most one Labor per Teilnahme.

    Historised on its own: the link's changes were part of the Teilnahme's history before it moved here
    (migration 0003 carries that history over).
    """

    labor = models.ForeignKey(
        Labor, verbose_name=_("Labor"), on_delete=models.CASCADE, related_name="teilnahme_zuordnungen"
    )
    teilnahme = models.OneToOneField(
        "themenfelder.Teilnahme",
        verbose_name=_("Teilnahme"),
        on_delete=models.CASCADE,
        related_name="laborzuordnung",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Teilnahme am Labor")
        verbose_name_plural = _("Teilnahmen am Labor")
        ordering = ["labor", "teilnahme__position"]

    def __str__(self):
        return f"{self.labor}: {self.teilnahme}"
