from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from .choices import Phase, PhasenStatus, Rolle, TeilnahmeArt, Umfang
from .querysets import PhasenStatusQuerySet


class TandemRolle(models.Model):
    """A partner's role in a Themenfeld's tandem: Bundesressort, Land or Organisation, with FF or MA."""

    themenfeld = models.ForeignKey(
        "catalog.Themenfeld", verbose_name=_("Themenfeld"), on_delete=models.CASCADE, related_name="tandem"
    )
    land = models.ForeignKey(
        "catalog.Gebietskoerperschaft",
        verbose_name=_("Land"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"ebene": "land"},
        related_name="tandem_rollen",
    )
    organisation = models.ForeignKey(
        "catalog.Organisation",
        verbose_name=_("Organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tandem_rollen",
        help_text=_("Bundesressort oder anderer Partner, z. B. BLK Justiz, KSV."),
    )
    rolle = models.CharField(_("Rolle"), max_length=2, choices=Rolle.choices)
    umfang = models.CharField(_("Umfang"), max_length=20, choices=Umfang.choices, default=Umfang.THEMENFELD)
    bemerkung = models.CharField(
        _("Bemerkung"), max_length=300, blank=True, help_text=_("z. B. „Unterstützung durch Fachreferate“.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Tandemrolle")
        verbose_name_plural = _("Tandemrollen")
        ordering = ["themenfeld__name", "-rolle", "umfang", "organisation__kurzname", "land__ars"]
        constraints = [
            models.CheckConstraint(
                condition=Q(land__isnull=True, organisation__isnull=False)
                | Q(land__isnull=False, organisation__isnull=True),
                name="tandemrolle_land_oder_organisation",
                violation_error_message=_("Eine Tandemrolle gehört entweder einem Land oder einer Organisation."),
            ),
            models.UniqueConstraint(
                fields=["themenfeld", "land", "umfang"],
                condition=Q(land__isnull=False),
                name="tandemrolle_land_eindeutig",
            ),
            models.UniqueConstraint(
                fields=["themenfeld", "organisation", "umfang"],
                condition=Q(organisation__isnull=False),
                name="tandemrolle_organisation_eindeutig",
            ),
        ]

    def __str__(self):
        return f"{self.themenfeld}: {self.partner} ({self.rolle})"

    @property
    def partner(self):
        return self.land or self.organisation

    @property
    def partner_kurz(self) -> str:
        return self.land.land_kuerzel if self.land_id else self.organisation.kurzname


class PhasenStatus(models.Model):
    """The status of one phase of a Themenfeld as of a Stand date; later Stände add rows, never overwrite."""

    themenfeld = models.ForeignKey(
        "catalog.Themenfeld", verbose_name=_("Themenfeld"), on_delete=models.CASCADE, related_name="phasen"
    )
    phase = models.CharField(_("Phase"), max_length=30, choices=Phase.choices)
    status = models.CharField(_("Status"), max_length=20, choices=PhasenStatus.choices)
    stand = models.DateField(_("Stand"), help_text=_("Datum, zu dem dieser Status galt."))
    quelle = models.CharField(_("Quelle"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = PhasenStatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("Phasenstatus")
        verbose_name_plural = _("Phasenstatus")
        ordering = ["themenfeld__name", "stand"]
        constraints = [
            models.UniqueConstraint(fields=["themenfeld", "phase", "stand"], name="phasenstatus_je_stand"),
        ]

    def __str__(self):
        return f"{self.themenfeld} · {self.get_phase_display()}: {self.get_status_display()} ({self.stand:%d.%m.%Y})"


class Teilnahme(models.Model):
    """A Kommune or IT-Dienstleister working in a Themenfeld (the Labor, if known, links it: ``labore.LaborTeilnahme``).

    Keeps the name and Land as written in the source so the resolution to a Gebietskörperschaft stays reviewable.
    """

    themenfeld = models.ForeignKey(
        "catalog.Themenfeld",
        verbose_name=_("Themenfeld"),
        on_delete=models.CASCADE,
        related_name="teilnahmen",
    )
    gebiet = models.ForeignKey(
        "catalog.Gebietskoerperschaft",
        verbose_name=_("Kommune oder Land"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teilnahmen",
    )
    organisation = models.ForeignKey(
        "catalog.Organisation",
        verbose_name=_("IT-Dienstleister oder Organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teilnahmen",
    )
    art = models.CharField(_("Art"), max_length=30, choices=TeilnahmeArt.choices, default=TeilnahmeArt.NICHT_ANGEGEBEN)
    name_im_dokument = models.CharField(_("Name in der Quelle"), max_length=200, blank=True)
    land_im_dokument = models.CharField(_("Land in der Quelle"), max_length=10, blank=True)
    befund = models.CharField(
        _("Befund der Zuordnung"),
        max_length=500,
        blank=True,
        help_text=_("Abweichungen zwischen Quelle und Gemeindeverzeichnis, z. B. falsches Land-Kürzel."),
    )
    position = models.PositiveSmallIntegerField(_("Position in der Quelle"), default=0)
    stand = models.DateField(_("Stand"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Teilnahme")
        verbose_name_plural = _("Teilnahmen")
        ordering = ["themenfeld__name", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gebiet__isnull=True, organisation__isnull=False)
                | Q(gebiet__isnull=False, organisation__isnull=True),
                name="teilnahme_gebiet_oder_organisation",
                violation_error_message=_("Eine Teilnahme gehört entweder einer Kommune oder einer Organisation."),
            ),
            models.UniqueConstraint(fields=["themenfeld", "position", "stand"], name="teilnahme_position_je_stand"),
        ]

    def __str__(self):
        return f"{self.themenfeld}: {self.gebiet or self.organisation}"
