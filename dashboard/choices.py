"""The value sets of the federal "Dashboard Digitale Verwaltung" API (``spec/openapi.yaml``, ``DvDataDto``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OnlineStatus(models.TextChoices):
    """Whether the online service works (``online_status``)."""

    OK = "ok", _("ok")
    NICHT_OK = "nicht ok", _("nicht ok")


class Aktiv(models.TextChoices):
    """Whether the OZG-Leistung is active (``aktiv``); the federal API also sends null (stored as "")."""

    JA = "ja", _("ja")
    NEIN = "nein", _("nein")


class Flaechendeckung(models.TextChoices):
    """Where a row applies (``art_flaechendeckung``)."""

    BUNDESWEIT = "bundesweit flächendeckend", _("bundesweit flächendeckend")
    LANDESWEIT = "landesweit flächendeckend", _("landesweit flächendeckend")
    KREISWEIT = "kreisweit flächendeckend", _("kreisweit flächendeckend")
    KOMMUNE = "in mind. einer Kommune verfügbar", _("in mind. einer Kommune verfügbar")
    NICHT_BERUECKSICHTIGT = "nicht in Auswertung berücksichtigt", _("nicht in Auswertung berücksichtigt")


#: The columns of a federal row, in the order of ``DvDataDto``; the export writes them in this order.
SPALTEN = [
    "leika_key",
    "leika_name",
    "ars",
    "ars_name",
    "ars_federal_state",
    "bundesland",
    "leika_bezeichnung",
    "ozgid",
    "ozg_bezeichnung",
    "url",
    "online_status",
    "aktiv",
    "art_flaechendeckung",
]

#: The 12-digit ARS the compatible API uses for rows that apply to the whole Bund (no Gebietskörperschaft).
ARS_BUND = "000000000000"
