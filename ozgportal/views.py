from django.db.models import Count
from django.shortcuts import render

from catalog.models import Themenfeld


def home(request):
    themenfelder = Themenfeld.objects.annotate(
        lagen_anzahl=Count("lagen", distinct=True),
        leistungen_anzahl=Count("lagen__leistungen", distinct=True),
        labore_anzahl=Count("labore", distinct=True),
    ).order_by("name")
    return render(request, "home.html", {"themenfelder": themenfelder})
