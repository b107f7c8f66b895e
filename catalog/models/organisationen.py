from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import OrganisationArt


class Organisation(models.Model):
    """A partner in the OZG programme that is not a Gebietskörperschaft: Bundesressort, FITKO, KSV, IT-Dienstleister."""

    kurzname = models.CharField(
        _("Kurzname"),
        max_length=40,
        unique=True,
        help_text=_("So wie in den Quellen geschrieben, z. B. BMFSFJ."),
    )
    slug = models.SlugField(_("Kürzel in Adressen"), max_length=60, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    art = models.CharField(_("Art"), max_length=30, choices=OrganisationArt.choices)
    land = models.ForeignKey(
        "catalog.Gebietskoerperschaft",
        verbose_name=_("Land"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"ebene": "land"},
        related_name="+",
        help_text=_("Sitzland, z. B. bei kommunalen IT-Dienstleistern."),
    )

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["kurzname"]

    def __str__(self):
        return self.kurzname
