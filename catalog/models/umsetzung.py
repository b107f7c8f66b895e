from django.core.validators import MaxValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from ..choices import Anschlussstatus, Reifegradmodell, UmsetzungsStatus


class Umsetzungsstand(models.Model):
    """Where an OZG-Leistung stands in a Land: Reifegrad, status and the Einer-für-Alle (EfA) service it uses.

    Empty by default: the portal has no real status data and invents none.
    """

    land = models.ForeignKey(
        "catalog.Gebietskoerperschaft",
        verbose_name=_("Land"),
        on_delete=models.PROTECT,
        limit_choices_to={"ebene": "land"},
        related_name="umsetzungsstaende",
    )
    leistung = models.ForeignKey(
        "catalog.Leistung",
        verbose_name=_("OZG-Leistung"),
        on_delete=models.CASCADE,
        related_name="umsetzungsstaende",
    )
    status = models.CharField(_("Status"), max_length=20, choices=UmsetzungsStatus.choices)
    reifegradmodell = models.CharField(
        _("Reifegradmodell"), max_length=3, choices=Reifegradmodell.choices, default=Reifegradmodell.V1_1
    )
    reifegrad = models.PositiveSmallIntegerField(
        _("Reifegrad"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(7)],
        help_text=_("Stufe im gewählten Reifegradmodell: 0–4 (1.1) oder 0–7 (2.0). OZG-konform ab 3 (1.1)."),
    )
    efa_anbieter = models.ForeignKey(
        "catalog.Gebietskoerperschaft",
        verbose_name=_("EfA-Anbieter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"ebene": "land"},
        related_name="efa_angebote",
        help_text=_("Das Land, das den Online-Dienst nach dem Einer-für-Alle-Prinzip gebaut hat und betreibt."),
    )
    online_url = models.URLField(
        _("Adresse des Online-Dienstes"), blank=True, validators=[URLValidator(schemes=["https", "http"])]
    )
    stand = models.DateField(_("Stand"), help_text=_("Datum, zu dem die Angaben gelten."))
    bemerkung = models.TextField(_("Bemerkung"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Umsetzungsstand im Land")
        verbose_name_plural = _("Umsetzungsstände in den Ländern")
        ordering = ["land__ars", "leistung__ozg_id"]
        constraints = [
            models.UniqueConstraint(fields=["land", "leistung"], name="umsetzungsstand_je_land_und_leistung"),
            models.CheckConstraint(
                condition=Q(reifegrad__isnull=True)
                | Q(reifegradmodell=Reifegradmodell.V1_1, reifegrad__lte=4)
                | Q(reifegradmodell=Reifegradmodell.V2_0, reifegrad__lte=7),
                name="umsetzungsstand_reifegrad_im_modell",
                violation_error_message=_("Der Reifegrad liegt außerhalb des gewählten Reifegradmodells."),
            ),
        ]

    def __str__(self):
        return f"{self.land} · {self.leistung}: {self.get_status_display()}"

    @property
    def nachnutzend(self) -> bool:
        """True where this Land uses another Land's EfA service (Nachnutzung)."""
        return self.efa_anbieter_id is not None and self.efa_anbieter_id != self.land_id


class KommunaleUmsetzung(models.Model):
    """Whether a Kommune offers an OZG-Leistung online: angeschlossen, geplant (with date) or nicht geplant."""

    kommune = models.ForeignKey(
        "catalog.Gebietskoerperschaft",
        verbose_name=_("Kommune"),
        on_delete=models.PROTECT,
        limit_choices_to={"ebene__in": ["kreis", "gemeindeverband", "gemeinde"]},
        related_name="umsetzungen",
    )
    leistung = models.ForeignKey(
        "catalog.Leistung",
        verbose_name=_("OZG-Leistung"),
        on_delete=models.CASCADE,
        related_name="kommunale_umsetzungen",
    )
    status = models.CharField(_("Status"), max_length=20, choices=Anschlussstatus.choices)
    geplant_bis = models.DateField(_("geplant bis"), null=True, blank=True)
    online_url = models.URLField(_("Adresse des Online-Dienstes"), blank=True)
    stand = models.DateField(_("Stand"))
    synthetisch = models.BooleanField(
        _("synthetisch"), default=False, help_text=_("Nur für Lasttests erzeugt, keine echten Daten.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Umsetzungsstand in der Kommune")
        verbose_name_plural = _("Umsetzungsstände in den Kommunen")
        ordering = ["kommune__ars", "leistung__ozg_id"]
        constraints = [
            models.UniqueConstraint(fields=["kommune", "leistung"], name="kommunale_umsetzung_eindeutig"),
            models.CheckConstraint(
                condition=Q(status=Anschlussstatus.GEPLANT) | Q(geplant_bis__isnull=True),
                name="kommunale_umsetzung_datum_nur_wenn_geplant",
                violation_error_message=_("Ein Datum „geplant bis“ gibt es nur beim Status „geplant“."),
            ),
        ]

    def __str__(self):
        return f"{self.kommune} · {self.leistung}: {self.get_status_display()}"
