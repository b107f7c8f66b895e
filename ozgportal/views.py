"""Site-wide public pages: home with the Kommune search and the Themenfelder overview, search, legal pages."""

from django.conf import settings
from django.db.models import Count
from django.shortcuts import render

from catalog import suche as suche_in
from catalog.choices import Vollzug
from catalog.models import Leistung
from core.seitencache import oeffentliche_seite
from labore import suche as labor_suche
from themenfelder.choices import Phase
from themenfelder.views import fortschritt_diagramm, phasen_matrix, themenfelder_mit_zahlen

#: Legal and information pages: URL name → (template, title). Their text lives in the templates.
INFOSEITEN = {
    "impressum": ("seiten/impressum.html", "Impressum"),
    "datenschutz": ("seiten/datenschutz.html", "Datenschutzerklärung"),
    "barrierefreiheit": ("seiten/barrierefreiheit.html", "Erklärung zur Barrierefreiheit"),
    "datenquellen": ("seiten/datenquellen.html", "Datenquellen und Lizenzen"),
}


@oeffentliche_seite
def home(request):
    themenfelder = phasen_matrix(themenfelder_mit_zahlen())
    vollzug = Leistung.objects.order_by().values("vollzug").annotate(n=Count("pk")).order_by("-n")
    return render(
        request,
        "home.html",
        {
            "themenfelder": themenfelder,
            "phasen_liste": list(Phase),
            "diagramm": fortschritt_diagramm(themenfelder),
            "vollzug_diagramm": [
                {
                    "label": Vollzug(zeile["vollzug"]).label,
                    "segmente": [
                        {"wert": zeile["n"], "klasse": f"vollzug-{zeile['vollzug']}", "name": "OZG-Leistungen"}
                    ],
                }
                for zeile in vollzug
            ],
        },
    )


def suche(request):
    text = suche_in.normalisiere(request.GET.get("q", ""))[:100]
    ergebnisse = {}
    if text:
        ergebnisse = {
            "leistungen": list(suche_in.leistungen(text)),
            "leika": list(suche_in.leika_leistungen(text)),
            "kommunen": list(suche_in.kommunen(text)),
            "labore": list(labor_suche.labore(text)),
        }
    return render(
        request,
        "suche.html",
        {"q": text, "ergebnisse": ergebnisse, "anzahl": sum(len(v) for v in ergebnisse.values())},
    )


def infoseite(request, seite):
    template, titel = INFOSEITEN[seite]
    return render(
        request,
        template,
        {"titel": titel, "betreiber": settings.PORTAL_BETREIBER, "kontakt": settings.PORTAL_KONTAKT_EMAIL},
    )
