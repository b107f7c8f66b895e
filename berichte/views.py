"""Public pages of the stored reports: each shows one build (current or earlier), its provenance, downloads and
the progress over earlier builds. Nothing here aggregates data rows; it reads what a build stored."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from catalog.choices import LAND_KUERZEL
from catalog.models import Themenfeld

from .choices import Berichtsart
from .diagramm import liniendiagramm
from .exports import HINWEIS_SYNTHETISCH, herunterladen
from .models import Berichtslauf, BeteiligungZeile, ThemenfeldStandZeile
from .tabellen import TABELLEN, lauf_waehlen, tabelle, wert

#: The figure the progress chart shows per report: (key in kennzahlen, label).
VERLAUF = {
    Berichtsart.THEMENFELDBEARBEITUNG: ("phasen_abgeschlossen", "abgeschlossene Phasen (neuester Stichtag)"),
    Berichtsart.UMSETZUNGSSTAND: ("anteil_online_prozent", "Anteil online verfügbarer Leistungen in den Ländern (%)"),
    Berichtsart.LABORE: ("labore", "gestartete Labore"),
    Berichtsart.BETEILIGUNG: ("kommunen", "beteiligte Kommunen"),
}


def _verlauf(art):
    schluessel, bezeichnung = VERLAUF[art]
    laeufe = Berichtslauf.objects.verlauf(art)
    punkte = [
        (f"{timezone.localtime(lauf.gebaut_am):%d.%m.%Y %H:%M}", lauf.kennzahlen.get(schluessel)) for lauf in laeufe
    ]
    svg = liniendiagramm(
        punkte,
        titel=f"Verlauf: {bezeichnung}",
        beschreibung=f"{len(punkte)} Berichtsläufe; dieselben Zahlen stehen in der Tabelle darunter.",
        kennung=f"verlauf-{art}",
    )
    zeilen = list(reversed([(lauf, wert) for lauf, (_, wert) in zip(laeufe, punkte, strict=True)]))
    return {"svg": svg, "bezeichnung": bezeichnung, "punkte": punkte, "zeilen": zeilen}


def _kontext(request, art, schluessel_tabellen):
    lauf = lauf_waehlen(art, request.GET.get("lauf"))
    kontext = {
        "art": art,
        "art_titel": Berichtsart(art).label,
        "lauf": lauf,
        "aktuell": Berichtslauf.objects.aktuell(art),
        "verlauf": _verlauf(art),
        "hinweis_synthetisch": HINWEIS_SYNTHETISCH,
        "downloads": [TABELLEN[s] for s in schluessel_tabellen],
        "abfrage": request.GET.urlencode(),
    }
    return lauf, kontext


def _tabelle_kontext(tabelle_, lauf, parameter, seite=None, pro_seite=None):
    if lauf is None:
        return {"zeilen": [], "spalten": tabelle_.spalten, "angewandt": {}}
    zeilen, angewandt = tabelle_.zeilen(lauf, parameter)
    seite_obj = None
    if pro_seite:
        seite_obj = Paginator(zeilen, pro_seite).get_page(seite)
        zeilen = seite_obj.object_list
    return {
        "zeilen": [[wert(z, name) for name, _ in tabelle_.spalten] for z in zeilen],
        "spalten": tabelle_.spalten,
        "angewandt": angewandt,
        "seite": seite_obj,
    }


def uebersicht(request):
    berichte = [
        {"art": art, "titel": Berichtsart(art).label, "lauf": Berichtslauf.objects.aktuell(art)}
        for art in Berichtsart.values
    ]
    beteiligung = BeteiligungZeile.objects.filter(lauf=berichte[3]["lauf"]).first() if berichte[3]["lauf"] else None
    return render(request, "berichte/uebersicht.html", {"berichte": berichte, "beteiligung": beteiligung})


def themenfeldbearbeitung(request):
    lauf, kontext = _kontext(request, Berichtsart.THEMENFELDBEARBEITUNG, ["themenfeldbearbeitung"])
    kontext.update(_tabelle_kontext(TABELLEN["themenfeldbearbeitung"], lauf, request.GET))
    kontext["stichtage"] = (
        list(ThemenfeldStandZeile.objects.filter(lauf=lauf).order_by().values_list("stichtag", flat=True).distinct())
        if lauf
        else []
    )
    kontext["stand"] = request.GET.get("stand", "")
    return render(request, "berichte/themenfeldbearbeitung.html", kontext)


def umsetzungsstand(request, ebene="laender"):
    schluessel = f"umsetzung-{ebene}"
    lauf, kontext = _kontext(request, Berichtsart.UMSETZUNGSSTAND, [schluessel])
    pro_seite = 100 if ebene == "kommunen" else None
    kontext.update(_tabelle_kontext(TABELLEN[schluessel], lauf, request.GET, request.GET.get("seite"), pro_seite))
    kontext.update(
        {
            "ebene": ebene,
            "laender": sorted(LAND_KUERZEL.values()),
            "themenfelder": Themenfeld.objects.all() if ebene == "laender" else [],
            "land": request.GET.get("land", ""),
            "themenfeld": request.GET.get("themenfeld", ""),
            "kreis": request.GET.get("kreis", ""),
        }
    )
    return render(request, "berichte/umsetzungsstand.html", kontext)


def labore(request):
    lauf, kontext = _kontext(request, Berichtsart.LABORE, ["labore"])
    kontext.update(_tabelle_kontext(TABELLEN["labore"], lauf, request.GET))
    return render(request, "berichte/labore.html", kontext)


def beteiligung(request):
    lauf, kontext = _kontext(request, Berichtsart.BETEILIGUNG, ["beteiligung"])
    kontext["zeile"] = BeteiligungZeile.objects.filter(lauf=lauf).first() if lauf else None
    kontext["seed"] = BeteiligungZeile.SEED
    return render(request, "berichte/beteiligung.html", kontext)


def download(request, schluessel, format_):
    tabelle_ = tabelle(schluessel)
    lauf = lauf_waehlen(tabelle_.art, request.GET.get("lauf"))
    if lauf is None:
        return render(
            request, "berichte/noch_nicht_gebaut.html", {"art_titel": Berichtsart(tabelle_.art).label}, status=404
        )
    zeilen, _ = tabelle_.zeilen(lauf, request.GET)
    return herunterladen(tabelle_, lauf, zeilen, format_)
