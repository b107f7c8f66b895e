from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

#: Levels a Redaktion can be assigned to: a Land, or a Kommune (Kreis, Gemeindeverband, Gemeinde). The values of
#: ``catalog.choices.Ebene``, written out because redaktion sits below catalog (tests/redaktion checks they match).
REDAKTION_EBENEN = ["land", "kreis", "gemeindeverband", "gemeinde"]


class Redaktionszuordnung(models.Model):
    """Links an editor to the Land or Kommune whose data they maintain.

    The group (Land-Redaktion, Kommune-Redaktion) says what kind of data a user may edit; this assignment says
    where. ``redaktion.rules`` combines both.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzer"),
        on_delete=models.CASCADE,
        related_name="redaktionszuordnungen",
    )
    gebiet = models.ForeignKey(
        "catalog.Gebietskoerperschaft",
        verbose_name=_("Land oder Kommune"),
        on_delete=models.PROTECT,
        limit_choices_to={"ebene__in": REDAKTION_EBENEN},
        related_name="redaktionszuordnungen",
        help_text=_(
            "Land-Redaktion: das Land (pflegt auch die Kommunen des Landes). "
            "Kommune-Redaktion: die Kommune (Kreis, Gemeindeverband oder Gemeinde)."
        ),
    )
    bemerkung = models.CharField(_("Bemerkung"), max_length=300, blank=True)

    # The tables keep the names they had when the model lived in the ozgportal app (moved without a copy).
    history = HistoricalRecords(table_name="ozgportal_historicalredaktionszuordnung")

    class Meta:
        db_table = "ozgportal_redaktionszuordnung"
        verbose_name = _("Redaktionszuordnung")
        verbose_name_plural = _("Redaktionszuordnungen")
        ordering = ["user__username", "gebiet__ars"]
        constraints = [
            models.UniqueConstraint(fields=["user", "gebiet"], name="redaktionszuordnung_eindeutig"),
        ]

    def __str__(self):
        return f"{self.user} → {self.gebiet}"
