from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from ..choices import VollzugsEbene


class Zustaendigkeit(models.Model):
    """Which level executes an OZG-Leistung (or one of its LeiKa-Leistungen) in a Land, as set by that Land's law.

    Recorded by editors. Where none is recorded, the portal derives what the Typisierung tells and says so
    (see ``catalog.zustaendigkeit``).
    """

    land = models.ForeignKey(
        "catalog.Gebietskoerperschaft",
        verbose_name=_("Land"),
        on_delete=models.PROTECT,
        limit_choices_to={"ebene": "land"},
        related_name="zustaendigkeiten",
    )
    leistung = models.ForeignKey(
        "catalog.Leistung",
        verbose_name=_("OZG-Leistung"),
        on_delete=models.CASCADE,
        related_name="zustaendigkeiten",
    )
    leika_leistung = models.ForeignKey(
        "catalog.LeikaLeistung",
        verbose_name=_("LeiKa-Leistung"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="zustaendigkeiten",
        help_text=_("Leer: gilt für die ganze OZG-Leistung."),
    )
    ebene = models.CharField(_("vollziehende Ebene"), max_length=20, choices=VollzugsEbene.choices)
    rechtsgrundlage = models.CharField(
        _("Rechtsgrundlage im Land"),
        max_length=500,
        blank=True,
        help_text=_("z. B. Zuständigkeitsverordnung."),
    )
    bemerkung = models.TextField(_("Bemerkung"), blank=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Zuständigkeit")
        verbose_name_plural = _("Zuständigkeiten")
        ordering = ["land__ars", "leistung__ozg_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["land", "leistung"],
                condition=Q(leika_leistung__isnull=True),
                name="zustaendigkeit_je_land_und_leistung",
                violation_error_message=_("Für diese Leistung ist in diesem Land schon eine Zuständigkeit erfasst."),
            ),
            models.UniqueConstraint(
                fields=["land", "leistung", "leika_leistung"],
                condition=Q(leika_leistung__isnull=False),
                name="zustaendigkeit_je_land_und_leika",
                violation_error_message=_(
                    "Für diese LeiKa-Leistung ist in diesem Land schon eine Zuständigkeit erfasst."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.land} · {self.leistung}: {self.get_ebene_display()}"
