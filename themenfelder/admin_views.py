"""Admin view "Phasenstand erfassen": all phase statuses and the Stand date of a Themenfeld in one form.

Saving adds PhasenStatus rows for the new Stand (or corrects the rows of that same date); earlier Stände stay
as they are, so ``PhasenStatus.objects.stand_am(datum)`` still shows any earlier table, e.g. 11.04.2019.
Every row written is recorded in the history with the editor.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from catalog.models import Themenfeld
from redaktion.admin import nur_mit_recht

from .choices import Phase
from .forms import PhasenStandForm, feldname
from .models import PhasenStatus


def uebersicht_view(model_admin, request):
    """All Themenfelder with their latest Stand, each linking to the form."""
    nur_mit_recht(request, "themenfelder.view_phasenstatus")
    themenfelder = Themenfeld.objects.annotate(letzter_stand=Max("phasen__stand")).order_by("name")
    kontext = {
        **model_admin.admin_site.each_context(request),
        "opts": PhasenStatus._meta,
        "title": _("Phasenstand erfassen"),
        "themenfelder": themenfelder,
        "darf_erfassen": request.user.has_perm("themenfelder.add_phasenstatus"),
    }
    return TemplateResponse(request, "admin/themenfelder/phasenstand_uebersicht.html", kontext)


def stand_view(model_admin, request, slug):
    nur_mit_recht(request, "themenfelder.add_phasenstatus")
    nur_mit_recht(request, "themenfelder.change_phasenstatus")
    themenfeld = get_object_or_404(Themenfeld, slug=slug)
    bisher = {p.phase: p for p in PhasenStatus.objects.filter(themenfeld=themenfeld).stand_am()}
    form = PhasenStandForm(request.POST or None, aktuell={phase: p.status for phase, p in bisher.items()})

    if request.method == "POST" and form.is_valid():
        stand = form.cleaned_data["stand"]
        quelle = form.cleaned_data["quelle"]
        with transaction.atomic():
            for phase in Phase.values:
                status = form.cleaned_data[feldname(phase)]
                obj = PhasenStatus.objects.filter(themenfeld=themenfeld, phase=phase, stand=stand).first()
                if obj is None:
                    obj = PhasenStatus(themenfeld=themenfeld, phase=phase, stand=stand)
                elif obj.status == status and (obj.quelle == quelle or not quelle):
                    continue
                obj.status = status
                obj.quelle = quelle or obj.quelle
                obj._change_reason = str(_("Phasenstand erfasst"))
                obj.save()
        messages.success(
            request,
            _("Stand %(datum)s für „%(themenfeld)s“ gespeichert.")
            % {"datum": f"{stand:%d.%m.%Y}", "themenfeld": themenfeld},
        )
        return redirect("admin:themenfelder_phasenstatus_stand", slug=themenfeld.slug)

    zeilen = [{"label": feld.label, "feld": feld, "bisher": bisher.get(phase)} for phase, feld in form.phasen()]
    staende = (
        PhasenStatus.objects.filter(themenfeld=themenfeld).values_list("stand", flat=True).distinct().order_by("-stand")
    )
    kontext = {
        **model_admin.admin_site.each_context(request),
        "opts": PhasenStatus._meta,
        "title": _("Phasenstand erfassen: %(themenfeld)s") % {"themenfeld": themenfeld},
        "themenfeld": themenfeld,
        "form": form,
        "zeilen": zeilen,
        "bisheriger_stand": max((p.stand for p in bisher.values()), default=None),
        "staende": list(staende),
    }
    return TemplateResponse(request, "admin/themenfelder/phasenstand.html", kontext, status=400 if form.errors else 200)
