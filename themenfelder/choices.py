from django.db import models
from django.utils.translation import gettext_lazy as _


class Rolle(models.TextChoices):
    FEDERFUEHRUNG = "FF", _("Federführung")
    MITARBEIT = "MA", _("Mitarbeit")


class Umfang(models.TextChoices):
    THEMENFELD = "themenfeld", _("ganzes Themenfeld")
    EINZELTHEMA = "einzelthema", _("Einzelthemen")


class Phase(models.TextChoices):
    """The phases of a Themenfeld, in order (table "Stand der Themenfeldbearbeitung")."""

    VORGESPRAECHE = "vorgespraeche", _("Vorgespräche")
    KICKOFF = "kickoff", _("Kickoff")
    ANALYSE_PLANUNG = "analyse_planung", _("Analyse/Planung")
    DURCHFUEHRUNG_LABORE = "durchfuehrung_labore", _("Durchführung Digitalisierungslabore")
    UMSETZUNGSPLANUNG = "umsetzungsplanung", _("Umsetzungsplanung Nicht-Laborleistungen")
    ABSCHLUSS = "abschluss", _("TF-Abschluss")


class PhasenStatus(models.TextChoices):
    NICHT_BEGONNEN = "nicht_begonnen", _("nicht begonnen")
    IN_VORBEREITUNG = "in_vorbereitung", _("in Vorbereitung")
    LAUFEND = "laufend", _("laufend")
    ABGESCHLOSSEN = "abgeschlossen", _("abgeschlossen")
    TEILWEISE = "teilweise", _("nur einzelne Lagen oder Leistungen")


class TeilnahmeArt(models.TextChoices):
    """How a Kommune or IT-Dienstleister takes part in a Themenfeld."""

    THEMENFELD_UND_LABOR = "themenfeld_und_labor", _("Mitarbeit in Themenfeld und Labor")
    NUR_LABOR = "nur_labor", _("Mitarbeit nur im Labor")
    # The seed's text lost the check marks of its two columns; we record what is known and no more.
    NICHT_ANGEGEBEN = "nicht_angegeben", _("Mitarbeit (Art in der Quelle nicht erhalten)")
