"""FilterSets of the public pages (the API has its own under ``catalog/api/``).

Filters arrive as plain GET parameters so they work without JavaScript, bookmarks and downloads included; a
malformed value becomes a form error the page shows, never a 500.
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

import django_filters

from ..choices import Anschlussstatus, EffektiveEbene, UmsetzungsStatus
from ..models import Lage, LeikaLeistung, Leistung, Themenfeld

#: Typ filter value → regular expression over the Typisierung as written ("2/3", "1, 2/3" …), one code per match.
#: Codes are separated by "," or ";" (see catalog.typisierung), so a code starts at the beginning or after one.
_CODE_START = r"(^|[,;] *)"
_CODE_END = r"($|[ ,;])"
TYP_MUSTER = {
    "1": _CODE_START + "1" + _CODE_END,
    "2_3": _CODE_START + "[23]",
    "4": _CODE_START + "4",
    "5": _CODE_START + "5" + _CODE_END,
    "6_12": _CODE_START + "([6-9]|1[0-2])" + _CODE_END,
}
TYP_CHOICES = [
    ("1", _("Typ 1: Bund regelt und vollzieht")),
    ("2_3", _("Typ 2/3: Bund regelt, Land oder Kommune vollzieht")),
    ("4", _("Typ 4: Land regelt, Land oder Kommune vollzieht")),
    ("5", _("Typ 5: Kommune regelt und vollzieht")),
    ("6_12", _("Typ 6–12: sonstige (u. a. Informationseinträge)")),
    ("ohne", _("ohne Typisierung")),
]

KEIN_STAND = "kein_stand"
STATUS_CHOICES = [
    (_("Umsetzungsstand im Land"), [(f"land_{v}", label) for v, label in UmsetzungsStatus.choices]),
    (_("Stand in der Kommune"), [(f"kommune_{v}", label) for v, label in Anschlussstatus.choices]),
    (KEIN_STAND, _("kein Stand erfasst")),
]


class KommuneLeistungFilter(django_filters.FilterSet):
    """Filters of the Kommune page and its CSV/XLSX download, over ``Leistung.objects.fuer_kommune(gebiet)``."""

    themenfeld = django_filters.ModelChoiceFilter(
        label=_("Themenfeld"),
        field_name="lage__themenfeld",
        to_field_name="slug",
        queryset=Themenfeld.objects.order_by("name"),
        empty_label=_("alle Themenfelder"),
    )
    lage = django_filters.ModelChoiceFilter(
        label=_("Lage"),
        field_name="lage",
        to_field_name="slug",
        queryset=Lage.objects.order_by("name"),
        empty_label=_("alle Lagen"),
    )
    ebene = django_filters.ChoiceFilter(
        label=_("Wer vollzieht"),
        field_name="ebene",
        choices=EffektiveEbene.choices,
        empty_label=_("alle Ebenen"),
    )
    typ = django_filters.ChoiceFilter(
        label=_("Typisierung"), choices=TYP_CHOICES, method="filter_typ", empty_label=_("alle Typen")
    )
    status = django_filters.ChoiceFilter(
        label=_("Umsetzungsstand"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("alle")
    )

    class Meta:
        model = Leistung
        fields = ["themenfeld", "lage", "ebene", "typ", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, feld in self.form.fields.items():
            feld.widget.attrs.update({"class": "kern-form-input__select", "id": f"filter-{name}"})

    def filter_typ(self, queryset, name, value):
        leika = LeikaLeistung.objects.filter(leistung=OuterRef("pk"))
        if value == "ohne":
            return queryset.exclude(Exists(leika.exclude(typisierung="")))
        return queryset.filter(Exists(leika.filter(typisierung__regex=TYP_MUSTER[value])))

    def filter_status(self, queryset, name, value):
        if value == KEIN_STAND:
            return queryset.filter(land_status__isnull=True, kommune_status__isnull=True)
        ebene, _sep, status = value.partition("_")
        return queryset.filter(**{f"{ebene}_status": status})

    def fehlermeldungen(self) -> list[str]:
        """One German sentence per invalid filter, naming the filter and the value that was sent."""
        meldungen = []
        for name, fehler in self.form.errors.items():
            feld = self.form.fields.get(name)
            label = feld.label if feld else name
            wert = self.data.get(name, "")
            meldungen.append(f"Filter „{label}“: Der Wert „{wert}“ ist nicht zulässig. {' '.join(fehler)}")
        return meldungen

    def aktive_filter(self) -> list[tuple[str, str]]:
        """(label, shown value) of each filter in use, for the page's summary and the download's file."""
        aktiv = []
        for name, wert in getattr(self.form, "cleaned_data", {}).items():
            if wert in (None, ""):
                continue
            feld = self.form.fields[name]
            anzeige = wert.name if hasattr(wert, "name") else dict(_flach(feld.choices)).get(wert, wert)
            aktiv.append((str(feld.label), str(anzeige)))
        return aktiv


def _flach(choices):
    for wert, label in choices:
        if isinstance(label, list | tuple):
            yield from _flach(label)
        else:
            yield wert, label


def status_text(land_status, kommune_status) -> str:
    """The Umsetzungsstand as shown in a table cell and in downloads."""
    teile = []
    if land_status:
        teile.append(f"Land: {UmsetzungsStatus(land_status).label}")
    if kommune_status:
        teile.append(f"Kommune: {Anschlussstatus(kommune_status).label}")
    return "; ".join(teile) or str(_("kein Stand erfasst"))


__all__ = ["KommuneLeistungFilter", "STATUS_CHOICES", "TYP_CHOICES", "TYP_MUSTER", "status_text"]
