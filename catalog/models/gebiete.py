from functools import lru_cache

from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..choices import LAND_KUERZEL, Ebene, Textkennzeichen
from ..querysets import GebietskoerperschaftQuerySet


class Gebietskoerperschaft(models.Model):
    """A Land, Regierungsbezirk, Kreis, Gemeindeverband or Gemeinde from the Gemeindeverzeichnis (Destatis).

    Identified by its Regionalschlüssel at its own level: 2 digits for a Land, 3 for a Regierungsbezirk, 4 for a
    Region, 5 for a Kreis, 9 for a Gemeindeverband and the full 12-digit ARS for a Gemeinde (which also has an
    8-digit AGS).
    """

    ars = models.CharField(
        _("Regionalschlüssel"),
        max_length=12,
        unique=True,
        help_text=_(
            "Amtlicher Regionalschlüssel der Ebene: Land 2, Regierungsbezirk 3, Region 4, Kreis 5, "
            "Gemeindeverband 9, Gemeinde 12 Ziffern."
        ),
    )
    ags = models.CharField(
        _("Gemeindeschlüssel (AGS)"),
        max_length=8,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Amtlicher Gemeindeschlüssel, 8 Ziffern; nur bei Gemeinden."),
    )
    ebene = models.CharField(_("Ebene"), max_length=20, choices=Ebene.choices, db_index=True)
    textkennzeichen = models.PositiveSmallIntegerField(
        _("Art"),
        choices=Textkennzeichen.choices,
        null=True,
        blank=True,
        help_text=_("Textkennzeichen des Gemeindeverzeichnisses, z. B. Amt, Landkreis, kreisfreie Stadt."),
    )
    name = models.CharField(_("Name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("übergeordnet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Die nächsthöhere Gebietskörperschaft: Gemeindeverband, Kreis, Regierungsbezirk oder Land."),
    )
    land = models.ForeignKey(
        "self",
        verbose_name=_("Land"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"ebene": Ebene.LAND},
    )
    kreis = models.ForeignKey(
        "self",
        verbose_name=_("Kreis"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"ebene": Ebene.KREIS},
    )
    einwohner = models.PositiveIntegerField(_("Einwohner"), null=True, blank=True)
    flaeche = models.DecimalField(_("Fläche (km²)"), max_digits=9, decimal_places=2, null=True, blank=True)
    plz = models.CharField(_("Postleitzahl"), max_length=5, blank=True, help_text=_("PLZ des Verwaltungssitzes."))
    laengengrad = models.DecimalField(_("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True)
    breitengrad = models.DecimalField(_("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True)

    objects = GebietskoerperschaftQuerySet.as_manager()

    class Meta:
        verbose_name = _("Gebietskörperschaft")
        verbose_name_plural = _("Gebietskörperschaften")
        ordering = ["ars"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ars__regex=r"^[0-9]+$")
                & (
                    Q(ebene=Ebene.LAND, ars__regex=r"^[0-9]{2}$")
                    | Q(ebene=Ebene.REGIERUNGSBEZIRK, ars__regex=r"^[0-9]{3}$")
                    | Q(ebene=Ebene.REGION, ars__regex=r"^[0-9]{4}$")
                    | Q(ebene=Ebene.KREIS, ars__regex=r"^[0-9]{5}$")
                    | Q(ebene=Ebene.GEMEINDEVERBAND, ars__regex=r"^[0-9]{9}$")
                    | Q(ebene=Ebene.GEMEINDE, ars__regex=r"^[0-9]{12}$")
                ),
                name="gebiet_ars_format_je_ebene",
                violation_error_message=_("Der Regionalschlüssel passt nicht zur Ebene."),
            ),
            models.CheckConstraint(
                # "ags IS NOT NULL" is needed: a CHECK passes when its expression is NULL.
                condition=(Q(ebene=Ebene.GEMEINDE) & Q(ags__isnull=False) & Q(ags__regex=r"^[0-9]{8}$"))
                | (~Q(ebene=Ebene.GEMEINDE) & Q(ags__isnull=True)),
                name="gebiet_ags_nur_gemeinde",
                violation_error_message=_("Nur Gemeinden haben einen 8-stelligen AGS."),
            ),
        ]
        indexes = [models.Index(fields=["plz"]), models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return seitenadresse("kommune", self.schluessel)

    @property
    def adressen(self) -> "Adressen":
        """The addresses of the body's pages by route name, for templates: ``gebiet.adressen.kommune_csv``."""
        return Adressen(self.schluessel)

    @property
    def land_kuerzel(self) -> str:
        return LAND_KUERZEL.get(self.ars[:2], "")

    @property
    def schluessel(self) -> str:
        """The key people know: AGS for a Gemeinde, the Regionalschlüssel otherwise."""
        return self.ags or self.ars


#: Stands for the key when an address of a body's page is built once (``seitenadresse``): digits, as every real key.
_STELLVERTRETER = "000000000000"


@lru_cache(maxsize=256)
def _adressteile(name, praefix, urlconf, sprache) -> tuple[str, str] | None:
    """The address of route ``name`` around its one argument, kept by all that ``reverse`` reads."""
    adresse = reverse(name, args=[_STELLVERTRETER])
    return tuple(adresse.split(_STELLVERTRETER)) if adresse.count(_STELLVERTRETER) == 1 else None


def seitenadresse(name: str, schluessel: str) -> str:
    """``reverse(name, args=[schluessel])`` for a route of a body's pages, without a ``reverse`` per call (tens of
    microseconds; a Kommune page names half a dozen such addresses): the route is reversed once with a stand-in,
    and a key of ASCII digits, which the address shows as it is, takes its place."""
    teile = _adressteile(name, get_script_prefix(), get_urlconf(), get_language())
    if teile is None or not (schluessel.isascii() and schluessel.isdigit()):
        return reverse(name, args=[schluessel])
    return teile[0] + schluessel + teile[1]


class Adressen:
    """``adressen[name]``: the address of route ``name`` of one body's pages (``seitenadresse``)."""

    __slots__ = ("schluessel",)

    def __init__(self, schluessel: str):
        self.schluessel = schluessel

    def __getitem__(self, name: str) -> str:
        return seitenadresse(name, self.schluessel)
