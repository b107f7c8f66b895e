"""Public pages of the Digitalisierungslabore: overview and one page per Labor."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import render

from core.seitencache import oeffentliche_seite
from themenfelder.models import Teilnahme

from .models import Labor


@oeffentliche_seite
def labore(request):
    alle = list(
        Labor.objects.select_related("themenfeld")
        .annotate(
            leistungen_anzahl=Count("leistungen", distinct=True),
            teilnehmende_anzahl=Count("teilnahmen", distinct=True),
        )
        .order_by("themenfeld__name", "titel")
    )
    return render(
        request,
        "labore/uebersicht.html",
        {"labore": alle, "piloten": sum(1 for labor in alle if labor.pilot)},
    )


@oeffentliche_seite
def labor(request, slug):
    try:
        labor = Labor.objects.select_related("themenfeld").get(slug=slug)
    except Labor.DoesNotExist:
        raise Http404(f"Es gibt kein Digitalisierungslabor mit dem Kürzel „{slug}“.") from None
    return render(
        request,
        "labore/labor.html",
        {
            "labor": labor,
            "leistungen": list(labor.leistungen.select_related("lage").order_by("ozg_id")),
            "teilnahmen": list(
                Teilnahme.objects.filter(labore=labor).select_related("gebiet", "organisation").order_by("position")
            ),
        },
    )
