"""Who executes an OZG-Leistung in a Land: recorded by editors, or derived from the Typisierung.

The Typisierung alone tells "Bund" (Typ 1), "Kommune" (Typ 5) or "Land oder Kommune" (Typ 2/3/4); which level
executes a 2/3/4 service in a Land is set by that Land's law and is "noch nicht erfasst" until an editor records
it. Every answer says whether it was recorded or derived.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import Vollzug, VollzugsEbene


@dataclass(frozen=True)
class Zustaendigkeitsangabe:
    ebene: str  # a VollzugsEbene value, or one of the derived keys below
    text: str
    abgeleitet: bool


#: Derived keys that are not a VollzugsEbene: the Typisierung does not name one level.
KOMMUNE = "kommune"
OFFEN = "offen"
GEMISCHT = "gemischt"
UNBEKANNT = "unbekannt"

_ABGELEITET = {
    Vollzug.BUND: (VollzugsEbene.BUND.value, _("Bund (laut Typisierung)")),
    Vollzug.KOMMUNE: (KOMMUNE, _("Kommune (laut Typisierung)")),
    Vollzug.LAND_ODER_KOMMUNE: (OFFEN, _("Land oder Kommune – noch nicht erfasst")),
    Vollzug.GEMISCHT: (GEMISCHT, _("Je nach LeiKa-Leistung verschieden – noch nicht erfasst")),
    Vollzug.KEINE_LEISTUNG: (UNBEKANNT, _("Keine Vollzugsleistung")),
    Vollzug.UNBEKANNT: (UNBEKANNT, _("Nicht typisiert – noch nicht erfasst")),
}


def ermittle(vollzug: str, erfasst: str | None) -> Zustaendigkeitsangabe:
    """The executing level: the recorded one if any, else what the Typisierung (``vollzug``) tells."""
    if erfasst:
        return Zustaendigkeitsangabe(erfasst, str(VollzugsEbene(erfasst).label), abgeleitet=False)
    ebene, text = _ABGELEITET[Vollzug(vollzug)]
    return Zustaendigkeitsangabe(ebene, str(text), abgeleitet=True)
