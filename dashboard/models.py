from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from .choices import Aktiv, Flaechendeckung, OnlineStatus
from .querysets import OnlinedienstQuerySet


class Onlinedienst(models.Model):
    """One row of the federal dashboard: a LeiKa-Leistung's online service, stored once where it applies.

    ``gebiet`` is the Gebietskörperschaft of the row's coverage, not the ARS it was reported under: a row
    "landesweit flächendeckend" reported for any Kommune of a Land is stored once on the Land, "kreisweit" on the
    Kreis, "in mind. einer Kommune verfügbar" on the Kommune, and "bundesweit" with no Gebietskörperschaft. What
    applies below is derived when reading (``dashboard.querysets``), so a nationwide service is one row, not
    11,000. The portal's own status (Umsetzungsstand, KommunaleUmsetzung) is kept in step by the import.
    """

    gebiet = models.ForeignKey(
        "catalog.Gebietskoerperschaft",
        verbose_name=_("Gebietskörperschaft"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="onlinedienste",
        help_text=_("Wo die Zeile gilt; leer: bundesweit."),
    )
    leika = models.ForeignKey(
        "catalog.LeikaLeistung", verbose_name=_("LeiKa-Leistung"), on_delete=models.PROTECT, related_name="+"
    )
    leistung = models.ForeignKey(
        "catalog.Leistung", verbose_name=_("OZG-Leistung"), on_delete=models.PROTECT, related_name="onlinedienste"
    )
    url = models.CharField(_("Adresse des Online-Dienstes"), max_length=2000, blank=True)
    online_status = models.CharField(_("Online-Status"), max_length=10, choices=OnlineStatus.choices)
    aktiv = models.CharField(_("aktiv"), max_length=4, choices=Aktiv.choices, blank=True)
    art_flaechendeckung = models.CharField(_("Flächendeckung"), max_length=40, choices=Flaechendeckung.choices)

    objects = OnlinedienstQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Onlinedienst (Bundesdashboard)")
        verbose_name_plural = _("Onlinedienste (Bundesdashboard)")
        ordering = ["gebiet__ars", "leika__schluessel"]
        constraints = [
            models.UniqueConstraint(
                fields=["gebiet", "leika"], condition=Q(gebiet__isnull=False), name="onlinedienst_je_gebiet_und_leika"
            ),
            models.UniqueConstraint(
                fields=["leika"], condition=Q(gebiet__isnull=True), name="onlinedienst_bund_je_leika"
            ),
        ]
        indexes = [models.Index(fields=["gebiet", "leistung"], name="onlinedienst_gebiet_leistung")]

    def __str__(self):
        return f"{self.gebiet or _('Bund')} · {self.leika.schluessel}: {self.online_status}"
