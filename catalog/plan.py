"""The Kommune-Redaktion's own plan on its page: connected Leistungen per quarter and planned connections."""

from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from core.vorbereitet import Vorbereitet

from .choices import Anschlussstatus, Ebene
from .models import KommunaleUmsetzung

#: The current statuses with their dates, counted.
_STAND = Vorbereitet(
    lambda kommune_id: (
        KommunaleUmsetzung.objects.filter(kommune_id=kommune_id)
        .order_by()
        .values("status", "geplant_bis", "synthetisch")
        .annotate(n=Count("pk"))
    ),
    int,
)
#: Per Leistung connected today, the first time the history shows it "angeschlossen".
_ERSTMALS = Vorbereitet(
    lambda kommune_id: (
        KommunaleUmsetzung.history.filter(kommune_id=kommune_id, status=Anschlussstatus.ANGESCHLOSSEN)
        .filter(
            leistung__kommunale_umsetzungen__kommune_id=kommune_id,
            leistung__kommunale_umsetzungen__status=Anschlussstatus.ANGESCHLOSSEN,
        )
        .order_by()
        .values("leistung_id")
        .annotate(erst=Min("history_date"))
    ),
    int,
)


def _quartal(tag) -> tuple[int, int]:
    return (tag.year, (tag.month - 1) // 3 + 1)


def kommunaler_plan(gebiet, stand=None, erstmals=None):
    """The Kommune-Redaktion's own plan: Leistungen connected so far per quarter (from the history) and planned
    connections by their quarter of "geplant bis".

    Two aggregate queries whatever the number of Leistungen or changes (the page skips this for a body without
    recorded rows, and both when its whole list has read what they count, ``stand`` and ``erstmals``, the times):
    the current statuses with their dates, and per Leistung connected today the first time the history shows
    it "angeschlossen" (a Leistung that was connected, dropped and connected again counts from its first time).
    """
    if gebiet.ebene not in (Ebene.KREIS, Ebene.GEMEINDEVERBAND, Ebene.GEMEINDE):
        return {}
    # ``stand``: the counted statuses as the page's whole list read them with its rows (no query of its own).
    stand = _STAND(gebiet.pk) if stand is None else stand
    if not stand:
        return {}
    je_status = dict.fromkeys(Anschlussstatus.values, 0)
    geplant = {}
    for z in stand:
        je_status[z["status"]] += z["n"]
        if z["status"] == Anschlussstatus.GEPLANT and z["geplant_bis"]:
            q = _quartal(z["geplant_bis"])
            geplant[q] = geplant.get(q, 0) + z["n"]
    erstmals = [z["erst"] for z in _ERSTMALS(gebiet.pk)] if erstmals is None else erstmals
    angeschlossen = {}
    for erst in erstmals:
        q = _quartal(timezone.localtime(erst).date())
        angeschlossen[q] = angeschlossen.get(q, 0) + 1
    # Rows connected without any history (imported before the history existed) count from the first quarter shown.
    ohne_historie = je_status[Anschlussstatus.ANGESCHLOSSEN] - sum(angeschlossen.values())
    quartale = sorted(set(angeschlossen) | set(geplant) | {_quartal(timezone.localdate())})
    erstes, letztes = quartale[0], quartale[-1]
    reihe, (jahr, q) = [], erstes
    while (jahr, q) <= letztes:
        reihe.append((jahr, q))
        jahr, q = (jahr + 1, 1) if q == 4 else (jahr, q + 1)
    heute = _quartal(timezone.localdate())
    zeilen, summe_an, summe_plan = [], max(ohne_historie, 0), 0
    for quartal in reihe:
        summe_an += angeschlossen.get(quartal, 0)
        summe_plan += geplant.get(quartal, 0)
        zeilen.append(
            {
                "label": _("%(q)s. Quartal %(jahr)s") % {"q": quartal[1], "jahr": quartal[0]},
                "neu_angeschlossen": angeschlossen.get(quartal, 0),
                "angeschlossen": summe_an if quartal <= heute else None,
                "geplant": geplant.get(quartal, 0),
                "geplant_summe": summe_plan,
                "vergangen": quartal < heute,
            }
        )
    diagramm = [
        {
            "label": z["label"],
            "segmente": [
                {"wert": z["angeschlossen"] or 0, "klasse": "abgeschlossen", "name": _("angeschlossen (bis dahin)")},
                {"wert": z["geplant_summe"], "klasse": "laufend", "name": _("geplant bis dahin (Stand heute)")},
            ],
        }
        for z in zeilen
    ]
    return {
        "plan": {
            # Synthetic rows (load tests only) are counted in, and the page says how many there are.
            "synthetisch": sum(z["n"] for z in stand if z["synthetisch"]),
            "je_status": [(str(Anschlussstatus(s).label), n) for s, n in je_status.items()],
            "erfasst": sum(je_status.values()),
            "zeilen": zeilen,
            "diagramm": diagramm,
        }
    }
