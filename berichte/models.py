"""Reports as stored data: one ``Berichtslauf`` per build, its result rows, and a pointer to the current build.

A build writes its Berichtslauf and all result rows in one transaction and flips ``AktuellerBericht`` in the same
transaction, so a reader sees either the previous build or the new one, never a half-built report. Earlier builds
stay (their summary figures feed the progress chart); detail rows of very old builds may be pruned.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.choices import LAND_KUERZEL
from themenfelder.choices import PhasenStatus

from .choices import Ausloeser, Berichtsart
from .querysets import BerichtslaufQuerySet


class Berichtslauf(models.Model):
    """One build of one report: when it was built, from which data state, and its summary figures."""

    art = models.CharField(_("Bericht"), max_length=30, choices=Berichtsart.choices)
    gebaut_am = models.DateTimeField(_("gebaut am"), default=timezone.now, db_index=True)
    dauer_ms = models.PositiveIntegerField(_("Dauer (ms)"), default=0)
    ausloeser = models.CharField(_("Auslöser"), max_length=20, choices=Ausloeser.choices)
    task_id = models.CharField(_("Task-ID"), max_length=64, blank=True)
    datenstand = models.JSONField(
        _("Datenstand"),
        default=dict,
        help_text=_("Je Quelltabelle: Anzahl Zeilen, höchste ID und letzte Änderung laut Historie."),
    )
    datenstand_hash = models.CharField(
        _("Prüfsumme des Datenstands"), max_length=64, help_text=_("SHA-256 über den Datenstand.")
    )
    kennzahlen = models.JSONField(_("Kennzahlen"), default=dict, help_text=_("Summen für den Verlauf."))
    synthetisch = models.BooleanField(
        _("enthält synthetische Daten"),
        default=False,
        help_text=_("Mindestens eine gezählte Zeile wurde nur für Lasttests erzeugt."),
    )
    details_entfernt = models.BooleanField(
        _("Einzelzeilen entfernt"),
        default=False,
        help_text=_("Bei alten Läufen bleiben nur die Kennzahlen; die Einzelzeilen werden aufgeräumt."),
    )

    objects = BerichtslaufQuerySet.as_manager()

    class Meta:
        verbose_name = _("Berichtslauf")
        verbose_name_plural = _("Berichtsläufe")
        ordering = ["-gebaut_am", "-id"]
        indexes = [models.Index(fields=["art", "-gebaut_am"], name="berichtslauf_art_gebaut")]

    def __str__(self):
        return f"{self.get_art_display()} · {timezone.localtime(self.gebaut_am):%d.%m.%Y %H:%M}"


class AktuellerBericht(models.Model):
    """Points to the current build of a report; flipped in the transaction that writes the new build."""

    art = models.CharField(_("Bericht"), max_length=30, choices=Berichtsart.choices, unique=True)
    lauf = models.ForeignKey(Berichtslauf, verbose_name=_("aktueller Lauf"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("aktueller Bericht")
        verbose_name_plural = _("aktuelle Berichte")
        ordering = ["art"]

    def __str__(self):
        return f"{self.get_art_display()} → {self.lauf}"


class Zeile(models.Model):
    """Common part of all result rows: the build they belong to."""

    lauf = models.ForeignKey(Berichtslauf, verbose_name=_("Berichtslauf"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class ThemenfeldStandZeile(Zeile):
    """One row of the table "Stand der Themenfeldbearbeitung" for one Themenfeld, as of one Stichtag.

    A build stores the table for every date on which the data changes (Stand of a Phasenstatus, start of a Labor),
    so the table for any date is the one of the latest Stichtag on or before it.
    """

    stichtag = models.DateField(_("Stichtag"))
    themenfeld = models.ForeignKey(
        "catalog.Themenfeld", verbose_name=_("Themenfeld"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    themenfeld_name = models.CharField(_("Themenfeld"), max_length=100)
    bund = models.TextField(_("Bund"), blank=True)
    federfuehrung = models.TextField(_("Federführung (FF)"), blank=True)
    mitarbeit = models.TextField(_("Mitarbeit (MA)"), blank=True)
    einzelthemen = models.TextField(_("Einzelthemen"), blank=True)
    vorgespraeche = models.CharField(_("Vorgespräche"), max_length=20, choices=PhasenStatus.choices, blank=True)
    kickoff = models.CharField(_("Kickoff"), max_length=20, choices=PhasenStatus.choices, blank=True)
    analyse_planung = models.CharField(_("Analyse/Planung"), max_length=20, choices=PhasenStatus.choices, blank=True)
    durchfuehrung_labore = models.CharField(
        _("Durchführung Digitalisierungslabore"), max_length=20, choices=PhasenStatus.choices, blank=True
    )
    umsetzungsplanung = models.CharField(
        _("Umsetzungsplanung Nicht-Laborleistungen"), max_length=20, choices=PhasenStatus.choices, blank=True
    )
    abschluss = models.CharField(_("TF-Abschluss"), max_length=20, choices=PhasenStatus.choices, blank=True)
    labore_anzahl = models.PositiveIntegerField(_("Labore"), default=0)
    labore = models.TextField(_("Digitalisierungslabore"), blank=True)

    class Meta:
        verbose_name = _("Zeile Themenfeldbearbeitung")
        verbose_name_plural = _("Zeilen Themenfeldbearbeitung")
        ordering = ["lauf", "stichtag", "themenfeld_name"]
        indexes = [models.Index(fields=["lauf", "stichtag"], name="tfstand_lauf_stichtag")]

    def __str__(self):
        return f"{self.themenfeld_name} ({self.stichtag:%d.%m.%Y})"


class EbenenZaehler(models.Model):
    """Leistungen counted per executing level (``catalog.choices.EffektiveEbene``: recorded, else derived)."""

    ebene_bund = models.PositiveIntegerField(_("Bund"), default=0)
    ebene_land = models.PositiveIntegerField(_("Land"), default=0)
    ebene_kreis = models.PositiveIntegerField(_("Kreis"), default=0)
    ebene_gemeinde = models.PositiveIntegerField(_("Gemeinde/Gemeindeverband"), default=0)
    ebene_kommune = models.PositiveIntegerField(_("Kommune (laut Typisierung)"), default=0)
    ebene_offen = models.PositiveIntegerField(_("Land oder Kommune – noch nicht erfasst"), default=0)
    ebene_gemischt = models.PositiveIntegerField(_("gemischt – noch nicht erfasst"), default=0)
    ebene_keine = models.PositiveIntegerField(_("nicht typisiert / keine Vollzugsleistung"), default=0)

    class Meta:
        abstract = True


class AnschlussZaehler(models.Model):
    """KommunaleUmsetzung rows counted per Anschlussstatus, with the synthetic ones counted apart."""

    kommunal_erfasst = models.PositiveIntegerField(_("kommunal erfasst"), default=0)
    kommunal_angeschlossen = models.PositiveIntegerField(_("angeschlossen"), default=0)
    kommunal_geplant = models.PositiveIntegerField(_("geplant"), default=0)
    kommunal_nicht_geplant = models.PositiveIntegerField(_("nicht geplant"), default=0)
    kommunal_synthetisch = models.PositiveIntegerField(
        _("davon synthetisch"), default=0, help_text=_("Nur für Lasttests erzeugt, keine echten Daten.")
    )

    class Meta:
        abstract = True

    @property
    def anteil_angeschlossen(self) -> float | None:
        return self.kommunal_angeschlossen / self.kommunal_erfasst if self.kommunal_erfasst else None


class UmsetzungLandZeile(Zeile, EbenenZaehler, AnschlussZaehler):
    """Umsetzungsstand of one Themenfeld in one Land: all its OZG-Leistungen by level, status, Reifegrad, EfA."""

    themenfeld = models.ForeignKey(
        "catalog.Themenfeld", verbose_name=_("Themenfeld"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    themenfeld_name = models.CharField(_("Themenfeld"), max_length=100)
    land = models.ForeignKey(
        "catalog.Gebietskoerperschaft", verbose_name=_("Land"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    land_ars = models.CharField(_("Landesschlüssel"), max_length=2)
    land_name = models.CharField(_("Land"), max_length=200)
    leistungen = models.PositiveIntegerField(_("OZG-Leistungen"), default=0)
    status_in_planung = models.PositiveIntegerField(_("in Planung"), default=0)
    status_in_umsetzung = models.PositiveIntegerField(_("in Umsetzung"), default=0)
    status_online = models.PositiveIntegerField(_("online verfügbar"), default=0)
    status_ohne = models.PositiveIntegerField(_("ohne Angabe"), default=0)
    # 0–7 is the range of the Reifegrad field (Reifegradmodell 1.1 uses 0–4, 2.0 uses 0–7).
    reifegrad_0 = models.PositiveIntegerField(_("Reifegrad 0"), default=0)
    reifegrad_1 = models.PositiveIntegerField(_("Reifegrad 1"), default=0)
    reifegrad_2 = models.PositiveIntegerField(_("Reifegrad 2"), default=0)
    reifegrad_3 = models.PositiveIntegerField(_("Reifegrad 3"), default=0)
    reifegrad_4 = models.PositiveIntegerField(_("Reifegrad 4"), default=0)
    reifegrad_5 = models.PositiveIntegerField(_("Reifegrad 5"), default=0)
    reifegrad_6 = models.PositiveIntegerField(_("Reifegrad 6"), default=0)
    reifegrad_7 = models.PositiveIntegerField(_("Reifegrad 7"), default=0)
    reifegrad_ohne = models.PositiveIntegerField(_("Reifegrad ohne Angabe"), default=0)
    efa_anbieter = models.PositiveIntegerField(
        _("EfA-Angebote"), default=0, help_text=_("Leistungen, die dieses Land als Einer-für-Alle-Dienst betreibt.")
    )
    efa_nachnutzung = models.PositiveIntegerField(
        _("EfA-Nachnutzungen"),
        default=0,
        help_text=_("Leistungen, für die das Land den EfA-Dienst eines anderen nutzt."),
    )

    class Meta:
        verbose_name = _("Umsetzungsstand je Themenfeld und Land")
        verbose_name_plural = _("Umsetzungsstand je Themenfeld und Land")
        ordering = ["lauf", "land_ars", "themenfeld_name"]

    def __str__(self):
        return f"{self.themenfeld_name} · {self.land_name}"

    @property
    def land_kuerzel(self) -> str:
        return LAND_KUERZEL.get(self.land_ars, "")

    @property
    def anteil_online(self) -> float | None:
        return self.status_online / self.leistungen if self.leistungen else None


class UmsetzungKreisZeile(Zeile, EbenenZaehler, AnschlussZaehler):
    """Umsetzungsstand of the Kommunen in one Kreis (the Kreis itself, its Gemeindeverbände and Gemeinden)."""

    kreis = models.ForeignKey(
        "catalog.Gebietskoerperschaft", verbose_name=_("Kreis"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kreis_ars = models.CharField(_("Kreisschlüssel"), max_length=5)
    kreis_name = models.CharField(_("Kreis"), max_length=200)
    kommunen = models.PositiveIntegerField(_("Kommunen mit Angaben"), default=0)

    class Meta:
        verbose_name = _("Umsetzungsstand je Kreis")
        verbose_name_plural = _("Umsetzungsstand je Kreis")
        ordering = ["lauf", "kreis_ars"]
        indexes = [models.Index(fields=["lauf", "kreis_ars"], name="ukreis_lauf_ars")]

    def __str__(self):
        return self.kreis_name

    @property
    def land_kuerzel(self) -> str:
        return LAND_KUERZEL.get(self.kreis_ars[:2], "")


class UmsetzungKommuneZeile(Zeile, EbenenZaehler, AnschlussZaehler):
    """Umsetzungsstand of one Kommune (Kreis, Gemeindeverband or Gemeinde) over all its recorded Leistungen."""

    kommune = models.ForeignKey(
        "catalog.Gebietskoerperschaft",
        verbose_name=_("Kommune"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    kommune_ars = models.CharField(_("Regionalschlüssel"), max_length=12)
    kommune_name = models.CharField(_("Kommune"), max_length=200)
    kommune_ebene = models.CharField(_("Ebene"), max_length=20)
    kreis_ars = models.CharField(_("Kreisschlüssel"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("Umsetzungsstand je Kommune")
        verbose_name_plural = _("Umsetzungsstand je Kommune")
        ordering = ["lauf", "kommune_ars"]
        indexes = [models.Index(fields=["lauf", "kommune_ars"], name="ukommune_lauf_ars")]

    def __str__(self):
        return self.kommune_name

    @property
    def land_kuerzel(self) -> str:
        return LAND_KUERZEL.get(self.kommune_ars[:2], "")


class LaborZeile(Zeile):
    """Digitalisierungslabore of one Themenfeld: started, Pilotlabore, OZG-Leistungen and participants."""

    themenfeld = models.ForeignKey(
        "catalog.Themenfeld", verbose_name=_("Themenfeld"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    themenfeld_name = models.CharField(_("Themenfeld"), max_length=100)
    labore = models.PositiveIntegerField(_("Labore gestartet"), default=0)
    pilotlabore = models.PositiveIntegerField(_("Pilotlabore"), default=0)
    leistungen = models.PositiveIntegerField(_("OZG-Leistungen in Laboren"), default=0)
    kommunen = models.PositiveIntegerField(_("teilnehmende Kommunen"), default=0)
    it_dienstleister = models.PositiveIntegerField(_("teilnehmende IT-Dienstleister"), default=0)
    teilnahmen_mit_labor = models.PositiveIntegerField(
        _("Teilnahmen mit Labor"), default=0, help_text=_("Nennungen, bei denen die Quelle das Labor angibt.")
    )
    labore_titel = models.TextField(_("Labore"), blank=True)

    class Meta:
        verbose_name = _("Zeile Laborübersicht")
        verbose_name_plural = _("Zeilen Laborübersicht")
        ordering = ["lauf", "themenfeld_name"]

    def __str__(self):
        return self.themenfeld_name


class BeteiligungZeile(Zeile):
    """ "N Kommunen und M IT-Dienstleister aus K Ländern arbeiten in J Themenfeldern mit", counted from the data."""

    #: What seed 000 says (Stand 11.04.2019); the README explains why the data gives 54 Kommunen.
    SEED = {"kommunen": 53, "it_dienstleister": 3, "laender": 15, "themenfelder": 9}

    kommunen = models.PositiveIntegerField(_("Kommunen"), default=0)
    it_dienstleister = models.PositiveIntegerField(_("IT-Dienstleister"), default=0)
    laender = models.PositiveIntegerField(_("Länder"), default=0)
    themenfelder = models.PositiveIntegerField(_("Themenfelder"), default=0)
    nennungen = models.PositiveIntegerField(
        _("Nennungen von Kommunen"), default=0, help_text=_("Eine Kommune kann in mehreren Themenfeldern mitarbeiten.")
    )

    class Meta:
        verbose_name = _("Beteiligung")
        verbose_name_plural = _("Beteiligung")
        ordering = ["lauf"]

    def __str__(self):
        return self.satz

    @property
    def satz(self) -> str:
        return (
            f"{self.kommunen} Kommunen und {self.it_dienstleister} IT-Dienstleister aus {self.laender} Ländern "
            f"arbeiten in {self.themenfelder} Themenfeldern mit"
        )
