from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import Vollzug
from ..querysets import LeistungQuerySet


class Themenfeld(models.Model):
    """One of the 14 Themenfelder of the OZG-Umsetzungskatalog, each led by a tandem of Bund and Länder."""

    slug = models.SlugField(_("Kürzel in Adressen"), max_length=60, unique=True)
    name = models.CharField(
        _("Name"),
        max_length=100,
        unique=True,
        help_text=_("Offizielle Schreibweise, z. B. „Familie & Kind“."),
    )

    class Meta:
        verbose_name = _("Themenfeld")
        verbose_name_plural = _("Themenfelder")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("themenfeld", args=[self.slug])


class Lage(models.Model):
    """A Lebens- or Unternehmenslage; it belongs to exactly one Themenfeld."""

    themenfeld = models.ForeignKey(
        Themenfeld, verbose_name=_("Themenfeld"), on_delete=models.PROTECT, related_name="lagen"
    )
    slug = models.SlugField(_("Kürzel in Adressen"), max_length=80, unique=True)
    name = models.CharField(_("Name"), max_length=150, unique=True)

    class Meta:
        verbose_name = _("Lage")
        verbose_name_plural = _("Lagen")
        ordering = ["themenfeld__name", "name"]

    def __str__(self):
        return self.name


class Leistung(models.Model):
    """An OZG-Leistung (Leistungsbündel) of the Umsetzungskatalog, identified by its 5-digit OZG-ID."""

    ozg_id = models.PositiveIntegerField(
        _("OZG-ID"),
        unique=True,
        help_text=_("Fünfstellige Kennung der OZG-Leistung, z. B. 10000 (Elterngeld)."),
    )
    name = models.CharField(_("Name"), max_length=200)
    lage = models.ForeignKey(
        Lage,
        verbose_name=_("Lage"),
        on_delete=models.PROTECT,
        related_name="leistungen",
        help_text=_("Die primäre Lebens- oder Unternehmenslage."),
    )
    vollzug = models.CharField(
        _("Vollzug laut Typisierung"),
        max_length=20,
        choices=Vollzug.choices,
        default=Vollzug.UNBEKANNT,
        help_text=_(
            "Aus der Typisierung der LeiKa-Leistungen abgeleitet: Bund (Typ 1), Kommune (Typ 5), Land oder "
            "Kommune (Typ 2, 3, 4) oder gemischt. Wird beim Katalogimport berechnet."
        ),
    )

    objects = LeistungQuerySet.as_manager()

    class Meta:
        verbose_name = _("OZG-Leistung")
        verbose_name_plural = _("OZG-Leistungen")
        ordering = ["ozg_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ozg_id__gte=10000) & Q(ozg_id__lte=99999),
                name="leistung_ozg_id_fuenfstellig",
                violation_error_message=_("Die OZG-ID hat fünf Ziffern."),
            ),
        ]

    def __str__(self):
        return f"{self.ozg_id} {self.name}"

    def get_absolute_url(self):
        return reverse("leistung", args=[self.ozg_id])


class LeikaLeistung(models.Model):
    """A service of the Leistungskatalog (LeiKa) of FIM, bundled under an OZG-Leistung where it has one.

    The 2019 catalogue has no unique row key (LeiKa-Schlüssel repeat across OZG-Leistungen and 436 rows have
    none), so the import identifies a row by its line in the source file (``zeile``).
    """

    zeile = models.PositiveIntegerField(
        _("Zeile im Katalog"),
        unique=True,
        help_text=_("Zeilennummer in der Quelldatei leika.csv (Importschlüssel)."),
    )
    schluessel = models.CharField(
        _("LeiKa-Schlüssel"),
        max_length=14,
        blank=True,
        db_index=True,
        help_text=_("14 Ziffern; Bundesschlüssel beginnen mit 99. Leer, wenn die Leistung nicht im LeiKa steht."),
    )
    bezeichnung = models.CharField(_("Bezeichnung"), max_length=400)
    leistung = models.ForeignKey(
        Leistung,
        verbose_name=_("OZG-Leistung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leika_leistungen",
    )
    typisierung = models.CharField(
        _("Typisierung"),
        max_length=40,
        blank=True,
        help_text=_("Wie in der Quelle geschrieben, auch gemischt wie „1, 2/3“."),
    )
    vollzug = models.CharField(
        _("Vollzug laut Typisierung"), max_length=20, choices=Vollzug.choices, default=Vollzug.UNBEKANNT
    )
    sdg1 = models.BooleanField(_("SDG-relevant (Anhang I)"), default=False)
    sdg2 = models.BooleanField(_("SDG-relevant (Anhang II)"), default=False)
    gesetze = models.TextField(_("Gesetze"), blank=True)
    gesetzeskuerzel = models.CharField(_("Gesetzeskürzel"), max_length=100, blank=True)
    rechtsgrundlage = models.TextField(_("Rechtsgrundlage"), blank=True, help_text=_("Freitext mit Verweisen."))

    class Meta:
        verbose_name = _("LeiKa-Leistung")
        verbose_name_plural = _("LeiKa-Leistungen")
        ordering = ["zeile"]
        constraints = [
            models.CheckConstraint(
                condition=Q(schluessel="") | Q(schluessel__regex=r"^[0-9]{14}$"),
                name="leika_schluessel_format",
                violation_error_message=_("Der LeiKa-Schlüssel hat 14 Ziffern."),
            ),
            models.UniqueConstraint(
                fields=["schluessel", "leistung"],
                condition=~Q(schluessel=""),
                name="leika_schluessel_je_leistung_eindeutig",
            ),
        ]

    def __str__(self):
        return f"{self.schluessel or 'ohne Schlüssel'} {self.bezeichnung}"
