"""Public pages of the Themenfelder: overview with phase progress, and one page per Themenfeld."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from catalog.choices import Vollzug
from catalog.models import Leistung, Themenfeld
from core.seitencache import oeffentliche_seite

from .choices import Phase, PhasenStatus, Rolle, Umfang
from .models import PhasenStatus as PhasenStatusModell
from .models import TandemRolle, Teilnahme

#: How far a phase status counts towards progress, and its short mark (so the chart never relies on colour alone).
STATUS_DARSTELLUNG = {
    PhasenStatus.ABGESCHLOSSEN: ("abgeschlossen", "✓"),
    PhasenStatus.LAUFEND: ("laufend", "▶"),
    PhasenStatus.TEILWEISE: ("teilweise", "◐"),
    PhasenStatus.IN_VORBEREITUNG: ("vorbereitung", "…"),
    PhasenStatus.NICHT_BEGONNEN: ("offen", "–"),
}


def phasen_matrix(themenfelder):
    """Per Themenfeld the current status of each phase (``stand_am()``), plus counts for the progress chart.

    Sets on each Themenfeld: ``phasen_stand`` (list of (phase, status or None) in phase order), ``abgeschlossen``,
    ``laufend`` and ``stand`` (latest Stand date). One query for all Themenfelder.
    """
    aktuell = {}
    for eintrag in PhasenStatusModell.objects.stand_am().order_by():
        aktuell[(eintrag.themenfeld_id, eintrag.phase)] = eintrag
    for tf in themenfelder:
        tf.phasen_stand = []
        tf.abgeschlossen = tf.laufend = 0
        tf.stand = None
        for phase in Phase:
            eintrag = aktuell.get((tf.pk, phase.value))
            status = PhasenStatus(eintrag.status) if eintrag else None
            tf.phasen_stand.append(
                {
                    "phase": phase,
                    "status": status,
                    "klasse": STATUS_DARSTELLUNG[status][0] if status else "leer",
                    "zeichen": STATUS_DARSTELLUNG[status][1] if status else "",
                }
            )
            if status == PhasenStatus.ABGESCHLOSSEN:
                tf.abgeschlossen += 1
            elif status in (PhasenStatus.LAUFEND, PhasenStatus.TEILWEISE):
                tf.laufend += 1
            if eintrag and (tf.stand is None or eintrag.stand > tf.stand):
                tf.stand = eintrag.stand
    return themenfelder


def fortschritt_diagramm(themenfelder):
    """Bars for the phase progress chart: completed and running phases out of six, per Themenfeld."""
    return [
        {
            "label": tf.name,
            "url": tf.get_absolute_url(),
            "segmente": [
                {"wert": tf.abgeschlossen, "klasse": "abgeschlossen", "name": _("abgeschlossen")},
                {"wert": tf.laufend, "klasse": "laufend", "name": _("laufend oder teilweise")},
            ],
        }
        for tf in themenfelder
    ]


def themenfelder_mit_zahlen():
    return list(
        Themenfeld.objects.annotate(
            lagen_anzahl=Count("lagen", distinct=True),
            leistungen_anzahl=Count("lagen__leistungen", distinct=True),
            labore_anzahl=Count("labore", distinct=True),
        ).order_by("name")
    )


@oeffentliche_seite
def themenfelder(request):
    tfs = phasen_matrix(themenfelder_mit_zahlen())
    return render(
        request,
        "themenfelder/uebersicht.html",
        {"themenfelder": tfs, "phasen_liste": list(Phase), "diagramm": fortschritt_diagramm(tfs)},
    )


@oeffentliche_seite
def themenfeld(request, slug):
    try:
        tf = Themenfeld.objects.get(slug=slug)
    except Themenfeld.DoesNotExist:
        raise Http404(f"Es gibt kein Themenfeld mit dem Kürzel „{slug}“.") from None
    aktuell = {e.phase: e for e in PhasenStatusModell.objects.stand_am().filter(themenfeld=tf).order_by()}
    phasen = [{"phase": p, "eintrag": aktuell.get(p.value)} for p in Phase]
    rollen = list(TandemRolle.objects.filter(themenfeld=tf).select_related("land", "organisation"))
    vollzug = dict(
        Leistung.objects.filter(lage__themenfeld=tf)
        .order_by()
        .values("vollzug")
        .annotate(n=Count("pk"))
        .values_list("vollzug", "n")
    )
    leistungen = list(
        Leistung.objects.filter(lage__themenfeld=tf).select_related("lage").order_by("lage__name", "ozg_id")
    )
    return render(
        request,
        "themenfelder/themenfeld.html",
        {
            "themenfeld": tf,
            "phasen": phasen,
            "verlauf": list(PhasenStatusModell.objects.filter(themenfeld=tf).order_by("-stand", "phase")),
            "federfuehrung": [r for r in rollen if r.rolle == Rolle.FEDERFUEHRUNG],
            "mitarbeit": [r for r in rollen if r.rolle == Rolle.MITARBEIT and r.umfang == Umfang.THEMENFELD],
            "einzelthemen": [r for r in rollen if r.umfang == Umfang.EINZELTHEMA],
            "leistungen": leistungen,
            "labore": list(tf.labore.annotate(leistungen_anzahl=Count("leistungen")).order_by("titel")),
            "teilnahmen": list(
                Teilnahme.objects.filter(themenfeld=tf).select_related(
                    "gebiet", "organisation", "laborzuordnung__labor"
                )
            ),
            "vollzug_diagramm": [
                {
                    "label": v.label,
                    "segmente": [
                        {"wert": vollzug.get(v.value, 0), "klasse": f"vollzug-{v.value}", "name": "OZG-Leistungen"}
                    ],
                }
                for v in Vollzug
                if vollzug.get(v.value)
            ],
        },
    )
