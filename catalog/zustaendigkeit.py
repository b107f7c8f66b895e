"""Who executes an OZG-Leistung in a Land: recorded by editors, or derived from the Typisierung.

The Typisierung alone tells "Bund" (Typ 1), "Kommune" (Typ 5) or "Land oder Kommune" (Typ 2/3/4); which level
executes a 2/3/4 service in a Land is set by that Land's law and is "noch nicht erfasst" until an editor records
it. Every answer says whether it was recorded or derived.

The rule is defined once, as data (``ABGELEITET``); everything else renders it: ``ermittle`` for one object in
Python, ``effektive_ebene`` as a database expression so lists (Kommune page, its API, downloads) are filtered and
counted per level in SQL, and ``berichte.services.builders`` writes the same mapping into its report SQL.
"""

from dataclasses import dataclass

from django.db.models import Case, CharField, Value, When
from django.db.models.functions import Coalesce

from .choices import EffektiveEbene, Vollzug

#: Vollzug laut Typisierung → the level shown while nothing is recorded.
ABGELEITET = {
    Vollzug.BUND: EffektiveEbene.BUND,
    Vollzug.KOMMUNE: EffektiveEbene.KOMMUNE,
    Vollzug.LAND_ODER_KOMMUNE: EffektiveEbene.OFFEN,
    Vollzug.GEMISCHT: EffektiveEbene.GEMISCHT,
    Vollzug.KEINE_LEISTUNG: EffektiveEbene.KEINE,
    Vollzug.UNBEKANNT: EffektiveEbene.KEINE,
}


@dataclass(frozen=True)
class Zustaendigkeitsangabe:
    ebene: EffektiveEbene
    abgeleitet: bool

    @property
    def text(self) -> str:
        text = str(self.ebene.label)
        if self.abgeleitet and self.ebene == EffektiveEbene.BUND:
            return f"{text} (laut Typisierung)"
        return text


def ermittle(vollzug: str, erfasst: str | None) -> Zustaendigkeitsangabe:
    """The executing level: the recorded one if any, else what the Typisierung (``vollzug``) tells."""
    if erfasst:
        return Zustaendigkeitsangabe(EffektiveEbene(erfasst), abgeleitet=False)
    return Zustaendigkeitsangabe(ABGELEITET[Vollzug(vollzug)], abgeleitet=True)


def abgeleitete_ebene(vollzug_feld: str = "vollzug"):
    """Database expression: the level the Typisierung tells (see ``ABGELEITET``)."""
    return Case(
        *[When(**{vollzug_feld: v.value}, then=Value(e.value)) for v, e in ABGELEITET.items()],
        default=Value(EffektiveEbene.KEINE.value),
        output_field=CharField(),
    )


def effektive_ebene(erfasst_feld: str = "zustaendigkeit_erfasst", vollzug_feld: str = "vollzug"):
    """Database expression: the recorded level, else the derived one."""
    return Coalesce(erfasst_feld, abgeleitete_ebene(vollzug_feld), output_field=CharField())
