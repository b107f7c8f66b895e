"""The change log's date hierarchy without reading every date.

Django's ``{% date_hierarchy %}`` asks the filtered list for ``MIN``/``MAX`` and ``DISTINCT`` dates: over millions
of entries a scan of the whole table on every page. The log is written in id order, so the first and the last
entry (two lookups at the ends of the primary key) bound its dates; the links offer every year, month or day
between them, some of which may have no entries. Same template and URL parameters as Django's.
"""

import calendar
import datetime

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()


def _grenzen(model, feld: str):
    werte = [
        model._default_manager.order_by(reihenfolge).values_list(feld, flat=True).first()
        for reihenfolge in ("pk", "-pk")
    ]
    if None in werte:
        return None
    erste, letzte = (timezone.localtime(w) if timezone.is_aware(w) else w for w in werte)
    return min(erste, letzte).date(), max(erste, letzte).date()


def zeitleiste(cl):
    feld = cl.date_hierarchy
    jahr_feld, monat_feld, tag_feld = f"{feld}__year", f"{feld}__month", f"{feld}__day"
    jahr, monat, tag = (cl.params.get(f) for f in (jahr_feld, monat_feld, tag_feld))

    def link(filter_):
        return cl.get_query_string(filter_, [f"{feld}__"])

    grenzen = _grenzen(cl.model, feld)
    if grenzen is None:
        return {"show": False}
    erste, letzte = grenzen
    try:
        jahr, monat, tag = (int(w) if w else None for w in (jahr, monat, tag))
    except ValueError:
        return {"show": False}
    if jahr is None and erste.year == letzte.year:
        jahr = erste.year
        if erste.month == letzte.month:
            monat = erste.month
    if jahr and monat and tag:
        datum = datetime.date(jahr, monat, tag)
        return {
            "show": True,
            "back": {
                "link": link({jahr_feld: jahr, monat_feld: monat}),
                "title": capfirst(formats.date_format(datum, "YEAR_MONTH_FORMAT")),
            },
            "choices": [{"title": capfirst(formats.date_format(datum, "MONTH_DAY_FORMAT"))}],
        }
    if jahr and monat:
        tage = [
            datetime.date(jahr, monat, t)
            for t in range(1, calendar.monthrange(jahr, monat)[1] + 1)
            if erste <= datetime.date(jahr, monat, t) <= letzte
        ]
        return {
            "show": True,
            "back": {"link": link({jahr_feld: jahr}), "title": str(jahr)},
            "choices": [
                {
                    "link": link({jahr_feld: jahr, monat_feld: monat, tag_feld: d.day}),
                    "title": capfirst(formats.date_format(d, "MONTH_DAY_FORMAT")),
                }
                for d in tage
            ],
        }
    if jahr:
        monate = [
            datetime.date(jahr, m, 1)
            for m in range(1, 13)
            if (erste.year, erste.month) <= (jahr, m) <= (letzte.year, letzte.month)
        ]
        return {
            "show": True,
            "back": {"link": link({}), "title": _("All dates")},
            "choices": [
                {
                    "link": link({jahr_feld: jahr, monat_feld: d.month}),
                    "title": capfirst(formats.date_format(d, "YEAR_MONTH_FORMAT")),
                }
                for d in monate
            ],
        }
    return {
        "show": True,
        "back": None,
        "choices": [{"link": link({jahr_feld: j}), "title": str(j)} for j in range(erste.year, letzte.year + 1)],
    }


@register.tag(name="zeitleiste")
def zeitleiste_tag(parser, token):
    return InclusionAdminNode(parser, token, func=zeitleiste, template_name="date_hierarchy.html", takes_context=False)
