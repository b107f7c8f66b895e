"""Enumerations of the catalogue and the Gemeindeverzeichnis, as code (not editable rows)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Ebene(models.TextChoices):
    """Level of a Gebietskörperschaft in the Gemeindeverzeichnis (GV-ISys Satzart)."""

    LAND = "land", _("Land")
    REGIERUNGSBEZIRK = "regierungsbezirk", _("Regierungsbezirk")
    REGION = "region", _("Region")
    KREIS = "kreis", _("Kreis")
    GEMEINDEVERBAND = "gemeindeverband", _("Gemeindeverband")
    GEMEINDE = "gemeinde", _("Gemeinde")


#: Satzart of the GV-ISys file → Ebene.
SATZART_EBENE = {
    "10": Ebene.LAND,
    "20": Ebene.REGIERUNGSBEZIRK,
    "30": Ebene.REGION,
    "40": Ebene.KREIS,
    "50": Ebene.GEMEINDEVERBAND,
    "60": Ebene.GEMEINDE,
}

#: Length of the Regionalschlüssel that identifies a Gebietskörperschaft of each level.
ARS_LAENGE = {
    Ebene.LAND: 2,
    Ebene.REGIERUNGSBEZIRK: 3,
    Ebene.REGION: 4,
    Ebene.KREIS: 5,
    Ebene.GEMEINDEVERBAND: 9,
    Ebene.GEMEINDE: 12,
}


class Textkennzeichen(models.IntegerChoices):
    """Kind of Kreis, Gemeindeverband or Gemeinde (GV-ISys Textkennzeichen)."""

    KREISFREIE_STADT = 41, _("Kreisfreie Stadt")
    STADTKREIS = 42, _("Stadtkreis")
    KREIS = 43, _("Kreis")
    LANDKREIS = 44, _("Landkreis")
    REGIONALVERBAND = 45, _("Regionalverband")
    VERBANDSFREIE_GEMEINDE = 50, _("Verbandsfreie Gemeinde")
    AMT = 51, _("Amt")
    SAMTGEMEINDE = 52, _("Samtgemeinde")
    VERBANDSGEMEINDE = 53, _("Verbandsgemeinde")
    VERWALTUNGSGEMEINSCHAFT = 54, _("Verwaltungsgemeinschaft")
    KIRCHSPIELSLANDGEMEINDE = 55, _("Kirchspielslandgemeinde")
    VERWALTUNGSVERBAND = 56, _("Verwaltungsverband")
    ERFUELLENDE_GEMEINDE = 58, _("Erfüllende Gemeinde")
    MARKT = 60, _("Markt")
    KREISFREIE_STADT_GEMEINDE = 61, _("Kreisfreie Stadt")
    STADTKREIS_GEMEINDE = 62, _("Stadtkreis")
    STADT = 63, _("Stadt")
    KREISANGEHOERIGE_GEMEINDE = 64, _("Kreisangehörige Gemeinde")
    GEMEINDEFREIES_GEBIET_BEWOHNT = 65, _("Gemeindefreies Gebiet, bewohnt")
    GEMEINDEFREIES_GEBIET_UNBEWOHNT = 66, _("Gemeindefreies Gebiet, unbewohnt")
    GROSSE_KREISSTADT = 67, _("Große Kreisstadt")


#: The 16 Länder: official code → two-letter abbreviation (ISO 3166-2:DE, as in the seeds).
LAND_KUERZEL = {
    "01": "SH",
    "02": "HH",
    "03": "NI",
    "04": "HB",
    "05": "NW",
    "06": "HE",
    "07": "RP",
    "08": "BW",
    "09": "BY",
    "10": "SL",
    "11": "BE",
    "12": "BB",
    "13": "MV",
    "14": "SN",
    "15": "ST",
    "16": "TH",
}
KUERZEL_LAND = {kuerzel: code for code, kuerzel in LAND_KUERZEL.items()}


class OrganisationArt(models.TextChoices):
    """Kind of a partner that is not a Gebietskörperschaft."""

    BUNDESRESSORT = "bundesressort", _("Bundesressort")
    KOORDINIERUNG = "koordinierung", _("Koordinierungsstelle")
    KOMMUNALER_SPITZENVERBAND = "kommunaler_spitzenverband", _("Kommunaler Spitzenverband")
    GREMIUM = "gremium", _("Gremium")
    VERBAND = "verband", _("Verband")
    IT_DIENSTLEISTER = "it_dienstleister", _("IT-Dienstleister")


class Vollzug(models.TextChoices):
    """Who executes a LeiKa-Leistung, as far as its Typisierung alone tells."""

    BUND = "bund", _("Bund")
    LAND_ODER_KOMMUNE = "land_oder_kommune", _("Land oder Kommune")
    KOMMUNE = "kommune", _("Kommune")
    GEMISCHT = "gemischt", _("Gemischt (mehrere Typen)")
    KEINE_LEISTUNG = "keine_leistung", _("Informationseintrag (keine Vollzugsleistung)")
    UNBEKANNT = "unbekannt", _("Nicht typisiert")


class VollzugsEbene(models.TextChoices):
    """The level that executes a Leistung in a Land, as recorded by an editor."""

    BUND = "bund", _("Bund")
    LAND = "land", _("Land")
    KREIS = "kreis", _("Kreis")
    GEMEINDE = "gemeinde", _("Gemeinde/Gemeindeverband")


class Reifegradmodell(models.TextChoices):
    V1_1 = "1.1", _("Reifegradmodell 1.1 (Stufen 0–4)")
    V2_0 = "2.0", _("Reifegradmodell 2.0 (Stufen 0–7)")


#: Highest level per Reifegradmodell; the field itself stores any level 0–7.
REIFEGRAD_MAX = {Reifegradmodell.V1_1: 4, Reifegradmodell.V2_0: 7}

#: Names of the levels of Reifegradmodell 1.1 (OZG-konform from 3).
REIFEGRAD_1_1 = {
    0: _("Offline"),
    1: _("Information"),
    2: _("Formular-Assistent"),
    3: _("Online-Leistung"),
    4: _("Online-Transaktion (once-only)"),
}


class UmsetzungsStatus(models.TextChoices):
    IN_PLANUNG = "in_planung", _("in Planung")
    IN_UMSETZUNG = "in_umsetzung", _("in Umsetzung")
    ONLINE = "online_verfuegbar", _("online verfügbar")


class Anschlussstatus(models.TextChoices):
    """Whether a Kommune offers an OZG-Leistung online."""

    ANGESCHLOSSEN = "angeschlossen", _("angeschlossen")
    GEPLANT = "geplant", _("geplant")
    NICHT_GEPLANT = "nicht_geplant", _("nicht geplant")


class EffektiveEbene(models.TextChoices):
    """Who executes an OZG-Leistung in a Land, as the portal shows it: recorded, or derived from the Typisierung."""

    BUND = "bund", _("Bund")
    LAND = "land", _("Land")
    KREIS = "kreis", _("Kreis")
    GEMEINDE = "gemeinde", _("Gemeinde/Gemeindeverband")
    KOMMUNE = "kommune", _("Kommune (laut Typisierung)")
    OFFEN = "offen", _("Land oder Kommune – noch nicht erfasst")
    GEMISCHT = "gemischt", _("Je nach LeiKa-Leistung verschieden – noch nicht erfasst")
    KEINE = "keine", _("Nicht typisiert oder keine Vollzugsleistung")
