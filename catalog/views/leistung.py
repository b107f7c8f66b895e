"""The Kommune search and the page of one OZG-Leistung across the Länder."""

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import render

from core.seitencache import oeffentliche_seite

from .. import suche
from ..choices import UmsetzungsStatus
from ..models import Gebietskoerperschaft, Leistung, Umsetzungsstand, Zustaendigkeit
from ..zustaendigkeit import ermittle


def kommunen_suche(request):
    text = suche.normalisiere(request.GET.get("q", ""))[:100]
    treffer = list(suche.kommunen(text)) if text else []
    return render(request, "catalog/kommunen_suche.html", {"q": text, "treffer": treffer})


@oeffentliche_seite
def leistung(request, ozg_id):
    try:
        leistung = Leistung.objects.select_related("lage__themenfeld").get(ozg_id=ozg_id)
    except Leistung.DoesNotExist:
        raise Http404(f"Es gibt keine OZG-Leistung mit der OZG-ID {ozg_id}.") from None
    erfasst = Zustaendigkeit.objects.filter(
        land=OuterRef("pk"), leistung=leistung, leika_leistung__isnull=True
    ).order_by()
    stand = Umsetzungsstand.objects.filter(land=OuterRef("pk"), leistung=leistung).order_by()
    laender = list(
        Gebietskoerperschaft.objects.laender()
        .annotate(
            erfasst=Subquery(erfasst.values("ebene")[:1]),
            rechtsgrundlage_land=Subquery(erfasst.values("rechtsgrundlage")[:1]),
            status=Subquery(stand.values("status")[:1]),
            reifegrad=Subquery(stand.values("reifegrad")[:1]),
            efa_anbieter_name=Subquery(stand.values("efa_anbieter__name")[:1]),
            stand_datum=Subquery(stand.values("stand")[:1]),
        )
        .order_by("ars")
    )
    for land in laender:
        land.zustaendigkeit = ermittle(leistung.vollzug, land.erfasst)
        land.status_text = UmsetzungsStatus(land.status).label if land.status else ""
    return render(
        request,
        "catalog/leistung.html",
        {
            "leistung": leistung,
            "leika": list(leistung.leika_leistungen.order_by("zeile")),
            "laender": laender,
            "labore": list(leistung.labore.select_related("themenfeld")),
            "hat_stand": any(land.status for land in laender),
        },
    )
