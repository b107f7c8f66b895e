"""The published tables of the reports: which rows, which columns, which filters. Shared by pages, API and downloads.

Every table reads the rows of one stored build (the current one, or an earlier one by ``?lauf=``); nothing is
computed per request.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max
from django.http import Http404

from catalog.choices import KUERZEL_LAND

from .choices import Berichtsart
from .models import (
    Berichtslauf,
    BeteiligungZeile,
    LaborZeile,
    ThemenfeldStandZeile,
    UmsetzungKommuneZeile,
    UmsetzungKreisZeile,
    UmsetzungLandZeile,
)

#: Fields that are internal (ids) and not published as columns.
_INTERN = {"id", "lauf", "themenfeld", "land", "kreis", "kommune"}


@dataclass
class Tabelle:
    schluessel: str
    titel: str
    art: str
    model: type
    zusatz: list[tuple[str, str]] = field(default_factory=list)  # computed columns: (attribute, heading)
    filter: tuple[str, ...] = ()

    @property
    def spalten(self) -> list[tuple[str, str]]:
        felder = [(f.name, str(f.verbose_name)) for f in self.model._meta.concrete_fields if f.name not in _INTERN]

        # Identity first, then the counters of the shared bases (levels, then Anschluss), as in the pages.
        def rang(feld):
            return 1 if feld[0].startswith("ebene_") else 2 if feld[0].startswith("kommunal_") else 0

        return sorted(felder, key=rang) + self.zusatz

    def zeilen(self, lauf, parameter) -> "tuple":
        """The rows of ``lauf`` after the table's filters, and the filters as applied (for display)."""
        qs = self.model.objects.filter(lauf=lauf)
        angewandt = {}
        if "stand" in self.filter:
            tag = stichtag_fuer(lauf, parameter.get("stand"))
            angewandt["stand"] = tag
            qs = qs.filter(stichtag=tag)
        if "land" in self.filter and parameter.get("land"):
            code = KUERZEL_LAND.get(parameter["land"].upper())
            if code is None:
                raise Http404("Unbekanntes Land")
            angewandt["land"] = parameter["land"].upper()
            feld = {UmsetzungLandZeile: "land_ars", UmsetzungKreisZeile: "kreis_ars__startswith"}.get(
                self.model, "kommune_ars__startswith"
            )
            qs = qs.filter(**{feld: code})
        if "themenfeld" in self.filter and parameter.get("themenfeld"):
            angewandt["themenfeld"] = parameter["themenfeld"]
            qs = qs.filter(themenfeld__slug=parameter["themenfeld"])
        if "kreis" in self.filter and parameter.get("kreis"):
            angewandt["kreis"] = parameter["kreis"]
            qs = qs.filter(kreis_ars=parameter["kreis"])
        return qs.order_by(*self.model._meta.ordering[1:] or ["pk"]), angewandt


TABELLEN = {
    t.schluessel: t
    for t in [
        Tabelle(
            "themenfeldbearbeitung",
            "Stand der Themenfeldbearbeitung",
            Berichtsart.THEMENFELDBEARBEITUNG,
            ThemenfeldStandZeile,
            filter=("stand",),
        ),
        Tabelle(
            "umsetzung-laender",
            "Umsetzungsstand je Themenfeld und Land",
            Berichtsart.UMSETZUNGSSTAND,
            UmsetzungLandZeile,
            zusatz=[("land_kuerzel", "Land (Kürzel)"), ("anteil_online", "Anteil online")],
            filter=("land", "themenfeld"),
        ),
        Tabelle(
            "umsetzung-kreise",
            "Umsetzungsstand je Kreis",
            Berichtsart.UMSETZUNGSSTAND,
            UmsetzungKreisZeile,
            zusatz=[("land_kuerzel", "Land"), ("anteil_angeschlossen", "Anteil angeschlossen")],
            filter=("land",),
        ),
        Tabelle(
            "umsetzung-kommunen",
            "Umsetzungsstand je Kommune",
            Berichtsart.UMSETZUNGSSTAND,
            UmsetzungKommuneZeile,
            zusatz=[("land_kuerzel", "Land"), ("anteil_angeschlossen", "Anteil angeschlossen")],
            filter=("land", "kreis"),
        ),
        Tabelle("labore", "Digitalisierungslabore je Themenfeld", Berichtsart.LABORE, LaborZeile),
        Tabelle(
            "beteiligung",
            "Beteiligung der Kommunen",
            Berichtsart.BETEILIGUNG,
            BeteiligungZeile,
            zusatz=[("satz", "Satz")],
        ),
    ]
}


def tabelle(schluessel: str) -> Tabelle:
    try:
        return TABELLEN[schluessel]
    except KeyError:
        raise Http404("Unbekannte Tabelle") from None


def lauf_waehlen(art: str, lauf_id=None):
    """The build to show: ``lauf_id`` if given (an earlier build of the same report), else the current one."""
    if lauf_id:
        try:
            return Berichtslauf.objects.get(pk=int(lauf_id), art=art)
        except (ValueError, Berichtslauf.DoesNotExist):
            raise Http404("Unbekannter Berichtslauf") from None
    return Berichtslauf.objects.aktuell(art)


def stichtag_fuer(lauf, text):
    """The latest Stichtag of ``lauf`` on or before the date ``text`` (YYYY-MM-DD); the latest of all if empty."""
    qs = ThemenfeldStandZeile.objects.filter(lauf=lauf)
    if text:
        try:
            tag = date.fromisoformat(text)
        except ValueError:
            raise Http404("Datum im Format JJJJ-MM-TT") from None
        qs = qs.filter(stichtag__lte=tag)
    return qs.aggregate(m=Max("stichtag"))["m"]


def wert(zeile, attribut):
    """A cell for display and export: choices as their label, shares as fractions."""
    anzeige = getattr(zeile, f"get_{attribut}_display", None)
    if anzeige is not None and getattr(zeile, attribut):
        return str(anzeige())
    return getattr(zeile, attribut)
