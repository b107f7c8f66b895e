"""Who executes the OZG-Leistungen for one Gebietskörperschaft: domain rules, no queries.

The level (``EffektiveEbene``) of each Leistung comes from ``catalog.zustaendigkeit``; this module names the body
behind each level for the page's body (its Amt, Kreis, Land …) and sums up the first screen of its page.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .choices import Ebene, EffektiveEbene, Textkennzeichen

#: Gemeindeverbände that run the administration of their member Gemeinden (not the "verbandsfreie" pseudo-level).
VERWALTENDE_VERBAENDE = {
    Textkennzeichen.AMT,
    Textkennzeichen.SAMTGEMEINDE,
    Textkennzeichen.VERBANDSGEMEINDE,
    Textkennzeichen.VERWALTUNGSGEMEINSCHAFT,
    Textkennzeichen.KIRCHSPIELSLANDGEMEINDE,
    Textkennzeichen.VERWALTUNGSVERBAND,
    Textkennzeichen.ERFUELLENDE_GEMEINDE,
}

#: Order of the executing levels in counts, charts and filters: from near to far, then the open cases.
EBENEN_REIHENFOLGE = [
    EffektiveEbene.GEMEINDE,
    EffektiveEbene.KOMMUNE,
    EffektiveEbene.KREIS,
    EffektiveEbene.LAND,
    EffektiveEbene.BUND,
    EffektiveEbene.OFFEN,
    EffektiveEbene.GEMISCHT,
    EffektiveEbene.KEINE,
]

#: The levels a body executes itself ("vor Ort"), by its own level; everything else is done for it (or is open).
EIGENE_EBENEN = {
    Ebene.GEMEINDE: {EffektiveEbene.GEMEINDE, EffektiveEbene.KOMMUNE},
    Ebene.GEMEINDEVERBAND: {EffektiveEbene.GEMEINDE, EffektiveEbene.KOMMUNE},
    Ebene.KREIS: {EffektiveEbene.KREIS},
    Ebene.LAND: {EffektiveEbene.LAND},
}
OFFENE_EBENEN = {EffektiveEbene.OFFEN, EffektiveEbene.GEMISCHT}


@dataclass(frozen=True)
class Vollzieher:
    """Who executes a Leistung for the page's Gebietskörperschaft: a text, and the page to link if there is one."""

    text: str
    gebiet: object | None = None  # a Gebietskoerperschaft
    hinweis: str = ""


def verwaltung_von(gebiet):
    """The body that runs the administration of a Gemeinde: its Amt, Samt-/Verbandsgemeinde …, or itself."""
    eltern = gebiet.parent
    if (
        gebiet.ebene == Ebene.GEMEINDE
        and eltern is not None
        and eltern.ebene == Ebene.GEMEINDEVERBAND
        and eltern.textkennzeichen in VERWALTENDE_VERBAENDE
    ):
        return eltern
    return gebiet


def vollzieher_je_ebene(gebiet) -> dict[str, Vollzieher]:
    """EffektiveEbene value → who that is for ``gebiet``: the same eight answers for every row of its page."""
    ebene = gebiet.ebene
    land = gebiet if ebene == Ebene.LAND else gebiet.land
    kreis = gebiet if ebene == Ebene.KREIS else gebiet.kreis
    if ebene == Ebene.GEMEINDE:
        verwaltung = verwaltung_von(gebiet)
        if verwaltung == gebiet:
            vor_ort = Vollzieher(_("diese Gemeinde (%(name)s)") % {"name": gebiet.name}, gebiet)
        else:
            vor_ort = Vollzieher(
                verwaltung.name, verwaltung, hinweis=_("verwaltet die Gemeinde %(name)s") % {"name": gebiet.name}
            )
    elif ebene == Ebene.GEMEINDEVERBAND:
        vor_ort = Vollzieher(
            _("dieser Gemeindeverband (%(name)s)") % {"name": gebiet.name}, gebiet, hinweis=_("oder seine Gemeinden")
        )
    elif ebene == Ebene.KREIS:
        vor_ort = Vollzieher(_("die Gemeinden bzw. Ämter im Kreis"))
    else:
        vor_ort = Vollzieher(_("die Gemeinden bzw. Ämter"))
    if kreis is not None and ebene in (Ebene.GEMEINDE, Ebene.GEMEINDEVERBAND):
        im_kreis = Vollzieher(kreis.name, kreis, hinweis=_("Kreis"))
    elif ebene == Ebene.KREIS:
        im_kreis = Vollzieher(_("dieser Kreis (%(name)s)") % {"name": gebiet.name}, gebiet)
    else:
        im_kreis = Vollzieher(_("die Kreise und kreisfreien Städte"))
    im_land = (
        Vollzieher(land.name, land, hinweis=_("Land"))
        if land != gebiet
        else Vollzieher(_("das Land %(name)s") % {"name": land.name})
    )
    return {
        EffektiveEbene.GEMEINDE: vor_ort,
        EffektiveEbene.KOMMUNE: Vollzieher(vor_ort.text, vor_ort.gebiet, hinweis=_("Kommune laut Typisierung (Typ 5)")),
        EffektiveEbene.KREIS: im_kreis,
        EffektiveEbene.LAND: im_land,
        EffektiveEbene.BUND: Vollzieher(_("der Bund")),
        EffektiveEbene.OFFEN: Vollzieher(_("noch nicht erfasst"), hinweis=_("Land oder Kommune (Typ 2/3/4)")),
        EffektiveEbene.GEMISCHT: Vollzieher(_("noch nicht erfasst"), hinweis=_("je nach LeiKa-Leistung verschieden")),
        EffektiveEbene.KEINE: Vollzieher(
            _("keine Vollzugsleistung"), hinweis=_("nicht typisiert oder Informationseintrag")
        ),
    }


def zaehlung(anzahl: dict[str, dict], vollzieher) -> list[dict]:
    """Per executing level, in page order: how many Leistungen, who executes them, how many were recorded.

    ``anzahl``: EffektiveEbene value → {"n", "erfasst" (by the Land-Redaktion), "kommune_erfasst"}.
    """
    return [
        {
            "ebene": e,
            # Translated once here, not at each of the page's four uses of the lazy label.
            "label": str(e.label),
            "vollzieher": vollzieher[e],
            "anzahl": anzahl[e.value]["n"],
            "erfasst": anzahl[e.value]["erfasst"],
            "kommune_erfasst": anzahl[e.value]["kommune_erfasst"],
        }
        for e in EBENEN_REIHENFOLGE
        if e.value in anzahl and anzahl[e.value]["n"]
    ]


def antwort_zuerst(gebiet, verwaltung, zaehlung):
    """The first screen of the page: what this body executes itself, what others execute for it, what is open.

    Built from the per-level counts. ``land_ohne_zustaendigkeit``: the Land has recorded no Zuständigkeit at all
    yet, so every Leistung of Typ 2/3/4 stays "noch nicht erfasst" until its Land-Redaktion records (or imports)
    who executes it.
    """
    eigene = EIGENE_EBENEN.get(gebiet.ebene, set())
    fuer = [
        z
        for z in zaehlung
        if z["ebene"] not in eigene and z["ebene"] not in OFFENE_EBENEN and z["ebene"] != EffektiveEbene.KEINE
    ]
    return {
        "selbst": sum(z["anzahl"] for z in zaehlung if z["ebene"] in eigene),
        "selbst_durch": verwaltung if verwaltung.pk != gebiet.pk else None,
        "fuer": fuer,
        "fuer_summe": sum(z["anzahl"] for z in fuer),
        "offen": sum(z["anzahl"] for z in zaehlung if z["ebene"] in OFFENE_EBENEN),
        "keine": sum(z["anzahl"] for z in zaehlung if z["ebene"] == EffektiveEbene.KEINE),
        "land": gebiet if gebiet.ebene == Ebene.LAND else gebiet.land,
        "land_ohne_zustaendigkeit": not any(z["erfasst"] for z in zaehlung),
    }
