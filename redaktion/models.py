from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager
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


class ApiSchluessel(AbstractAPIKey):
    """An API key for a machine, scoped like an editor: read or write, in one Land, one Kommune or everywhere.

    A key with a Land is treated exactly like a Land-Redaktion of that Land (``redaktion.rules``), one with a
    Kommune like that Kommune-Redaktion, one without like the FITKO-Redaktion. Expiry and revocation come from
    djangorestframework-api-key; rotation (``rotieren``) issues a successor with the same scope and lets the old
    key run out after a transition period. Writes made with a key name it in the history (change reason).
    """

    class Recht(models.TextChoices):
        LESEN = "lesen", _("nur lesen")
        SCHREIBEN = "schreiben", _("lesen und schreiben")

    recht = models.CharField(_("Recht"), max_length=10, choices=Recht.choices, default=Recht.LESEN)
    gebiet = models.ForeignKey(
        "catalog.Gebietskoerperschaft",
        verbose_name=_("Land oder Kommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"ebene__in": REDAKTION_EBENEN},
        related_name="api_schluessel",
        help_text=_("Leer: alle Daten (wie die FITKO-Redaktion). Ein Land umfasst auch seine Kommunen."),
    )
    nachfolger = models.OneToOneField(
        "self", verbose_name=_("ersetzt durch"), on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )

    objects = APIKeyManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API-Schlüssel")
        verbose_name_plural = _("API-Schlüssel")

    def zuschreibung(self) -> str:
        """How the history names a write made with this key."""
        return f"API-Schlüssel {self.name} ({self.prefix})"

    def rotieren(self, uebergang: timedelta) -> tuple["ApiSchluessel", str]:
        """A new key with this key's name and scope; this one expires after ``uebergang``. Returns (key, secret)."""
        neu, geheimnis = ApiSchluessel.objects.create_key(
            name=self.name, recht=self.recht, gebiet=self.gebiet, expiry_date=self.expiry_date
        )
        ablauf = timezone.now() + uebergang
        self.expiry_date = min(self.expiry_date, ablauf) if self.expiry_date else ablauf
        self.nachfolger = neu
        self.save(update_fields=["expiry_date", "nachfolger"])
        return neu, geheimnis
