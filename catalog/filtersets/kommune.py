"""The one FilterSet of a Kommune's list of OZG-Leistungen: the Kommune page (through its form), its CSV/XLSX
download and ``/api/v1/kommunen/<schlüssel>/leistungen/`` filter with the same parameters and the same rules.

Over ``Leistung.objects.fuer_kommune(gebiet)``. Multi-value filters take comma-separated values
(``?ebene=kreis,gemeinde``); the page's selects send one value each. A value that is not allowed (an unknown
Themenfeld or Lage slug included) is an error naming the filter and the value, a 400 on page and API alike.
"""

from django.db.models import Exists, OuterRef
from django.template.loader import get_template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

import django_filters

from core.api.filters import ApiFilterSet, BooleanFilter, CharInFilter, NumberInFilter

from ..choices import Anschlussstatus, EffektiveEbene, UmsetzungsStatus, Vollzug
from ..leistungskatalog import katalog_der_anfrage
from ..models import LeikaLeistung, Leistung


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """Comma-separated choices, each validated: ``?status=geplant,angeschlossen``."""


def _flach(choices):
    for wert, label in choices:
        if isinstance(label, list | tuple):
            yield from _flach(label)
        else:
            yield wert, label


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
OHNE_TYP = "ohne"
TYP_CHOICES = [
    ("1", _("Typ 1: Bund regelt und vollzieht")),
    ("2_3", _("Typ 2/3: Bund regelt, Land oder Kommune vollzieht")),
    ("4", _("Typ 4: Land regelt, Land oder Kommune vollzieht")),
    ("5", _("Typ 5: Kommune regelt und vollzieht")),
    ("6_12", _("Typ 6–12: sonstige (u. a. Informationseinträge)")),
    (OHNE_TYP, _("ohne Typisierung")),
]

KEIN_STAND = "kein_stand"
#: The page groups the statuses (optgroups); the filter and the API schema take the flat list.
STATUS_GRUPPEN = [
    (_("Umsetzungsstand im Land"), [(f"land_{v}", label) for v, label in UmsetzungsStatus.choices]),
    (_("Stand in der Kommune"), [(f"kommune_{v}", label) for v, label in Anschlussstatus.choices]),
    (KEIN_STAND, _("kein Stand erfasst")),
]
STATUS_CHOICES = list(_flach(STATUS_GRUPPEN))

OPTIONEN = "catalog/includes/filter_optionen.html"

#: The filters the page offers as selects, in its order (the others work on the page too, by URL).
SEITEN_FILTER = ("themenfeld", "lage", "ebene", "typ", "status")


class KommuneLeistungFilterSet(ApiFilterSet):
    ozg_id = NumberInFilter(field_name="ozg_id", lookup_expr="in", label=_("OZG-ID, mehrere mit Komma"))
    themenfeld = CharInFilter(
        field_name="lage__themenfeld__slug", lookup_expr="in", label=_("Slug des Themenfelds, mehrere mit Komma")
    )
    lage = CharInFilter(field_name="lage__slug", lookup_expr="in", label=_("Slug der Lage, mehrere mit Komma"))
    vollzug = ChoiceInFilter(
        field_name="vollzug",
        lookup_expr="in",
        choices=Vollzug.choices,
        label=_("Vollzug laut Typisierung, mehrere mit Komma"),
    )
    ebene = ChoiceInFilter(
        field_name="ebene",
        lookup_expr="in",
        choices=EffektiveEbene.choices,
        label=_("Vollziehende Ebene im Land, mehrere mit Komma"),
    )
    abgeleitet = BooleanFilter(
        field_name="zustaendigkeit_erfasst", lookup_expr="isnull", label=_("Ebene nur abgeleitet (true/false)")
    )
    land_status = ChoiceInFilter(
        field_name="land_status",
        lookup_expr="in",
        choices=UmsetzungsStatus.choices,
        label=_("Umsetzungsstand im Land, mehrere mit Komma"),
    )
    kommune_status = ChoiceInFilter(
        field_name="kommune_status",
        lookup_expr="in",
        choices=Anschlussstatus.choices,
        label=_("Anschlussstatus, mehrere mit Komma"),
    )
    typ = ChoiceInFilter(
        choices=TYP_CHOICES, method="filter_typ", label=_("Typisierung (1, 2_3, 4, 5, 6_12, ohne), mehrere mit Komma")
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES,
        method="filter_status",
        label=_("Umsetzungsstand: land_<Status>, kommune_<Status> oder kein_stand"),
    )

    #: Labels of the page's selects (the API's labels describe the parameter format).
    SEITEN_LABELS = {
        "themenfeld": _("Themenfeld"),
        "lage": _("Lage"),
        "ebene": _("Wer vollzieht"),
        "typ": _("Typisierung"),
        "status": _("Umsetzungsstand"),
    }
    LEER_LABELS = {
        "themenfeld": _("alle Themenfelder"),
        "lage": _("alle Lagen"),
        "ebene": _("alle Ebenen"),
        "typ": _("alle Typen"),
        "status": _("alle"),
    }

    class Meta:
        model = Leistung
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.suche(value)

    def filter_typ(self, queryset, name, werte):
        if not werte:
            return queryset
        leika = LeikaLeistung.objects.filter(leistung=OuterRef("pk"))
        muster = "|".join(f"({TYP_MUSTER[w]})" for w in werte if w != OHNE_TYP)
        bedingung = None
        if muster:
            bedingung = Exists(leika.filter(typisierung__regex=muster))
        if OHNE_TYP in werte:
            ohne = ~Exists(leika.exclude(typisierung=""))
            bedingung = ohne if bedingung is None else bedingung | ohne
        return queryset.filter(bedingung)

    def filter_status(self, queryset, name, value):
        if value == KEIN_STAND:
            return queryset.filter(land_status__isnull=True, kommune_status__isnull=True)
        ebene, _sep, status = value.partition("_")
        return queryset.filter(**{f"{ebene}_status": status})

    # --- Catalogue-backed validation and the page's form ------------------------------------------------
    def _katalog(self):
        return katalog_der_anfrage(self.request) if self.request is not None else None

    def is_valid(self):
        gueltig = super().is_valid()
        katalog = self._katalog()
        if not gueltig or katalog is None:
            return gueltig
        erlaubt = {"themenfeld": dict(katalog.themenfelder), "lage": dict(katalog.lagen)}
        for name, slugs in erlaubt.items():
            falsch = [w for w in self.form.cleaned_data.get(name) or [] if w not in slugs]
            if falsch:
                self.form.add_error(name, _("Unbekannt: %(werte)s.") % {"werte": ", ".join(falsch)})
        return not self.form.errors

    def auswahl(self) -> list[dict]:
        """The page's selects for this FilterSet's values and errors (``seiten_auswahl``)."""
        return seiten_auswahl(self._katalog(), self.data, self.form.errors if self.is_bound else {})

    def fehlermeldungen(self) -> list[str]:
        """One German sentence per invalid filter, naming the filter and the value that was sent."""
        meldungen = []
        for name, fehler in self.form.errors.items():
            label = self.SEITEN_LABELS.get(name) or (self.filters[name].label if name in self.filters else name)
            wert = self.data.get(name, "")
            meldungen.append(f"Filter „{label}“: Der Wert „{wert}“ ist nicht zulässig. {' '.join(fehler)}")
        return meldungen

    def aktive_filter(self) -> list[tuple[str, str]]:
        """(label, shown value) of each filter in use, for the page's summary."""
        katalog = self._katalog()
        namen = {"themenfeld": dict(katalog.themenfelder), "lage": dict(katalog.lagen)} if katalog else {}
        aktiv = []
        for name, wert in getattr(self.form, "cleaned_data", {}).items():
            if wert in (None, "", []):
                continue
            werte = wert if isinstance(wert, list) else [wert]
            if name in namen:
                anzeige = [namen[name].get(w, w) for w in werte]
            elif "choices" in self.filters[name].extra:
                labels = dict(_flach(self.filters[name].extra["choices"]))
                anzeige = [labels.get(w, w) for w in werte]
            else:
                anzeige = werte
            label = self.SEITEN_LABELS.get(name) or self.filters[name].label
            aktiv.append((str(label), ", ".join(str(a) for a in anzeige)))
        return aktiv


def _optionen(katalog, name):
    if name == "themenfeld":
        return list(katalog.themenfelder)
    if name == "lage":
        return list(katalog.lagen)
    if name == "status":
        return STATUS_GRUPPEN
    return list(KommuneLeistungFilterSet.base_filters[name].extra["choices"])


def _optionen_html(katalog, name, gewaehlt):
    """The <option>s of one select, rendered once per Katalogstand, language and selected value."""
    schluessel = ("optionen", get_language() or "", name, gewaehlt)
    ablage = katalog.ableitungen
    if schluessel not in ablage:
        optionen = []
        for wert, label in _optionen(katalog, name):
            if isinstance(label, list | tuple):
                optionen.append({"gruppe": wert, "optionen": [(w, lab, w == gewaehlt) for w, lab in label]})
            else:
                optionen.append({"wert": wert, "label": label, "gewaehlt": wert == gewaehlt})
        ablage[schluessel] = get_template(OPTIONEN).render({"optionen": optionen})
    return ablage[schluessel]


def seiten_auswahl(katalog, daten=None, fehler=None) -> list[dict]:
    """The page's selects: name, label, the empty choice and the options (grouped ones as optgroups).

    ``daten``: the request's parameters (the selected values), ``fehler``: the form's errors by field. Without
    them (the unfiltered page) no FilterSet is needed: nothing is selected and nothing is wrong.
    """
    daten, fehler = daten or {}, fehler or {}
    felder = []
    for name in SEITEN_FILTER:
        gewaehlt = daten.get(name, "")
        # Only an allowed value is remembered (a made-up one would grow the store).
        if gewaehlt not in {w for w, _l in _flach(_optionen(katalog, name))}:
            gewaehlt = ""
        felder.append(
            {
                "name": name,
                "label": KommuneLeistungFilterSet.SEITEN_LABELS[name],
                "leer": KommuneLeistungFilterSet.LEER_LABELS[name],
                "optionen": _optionen_html(katalog, name, gewaehlt),
                "fehler": " ".join(fehler.get(name, [])),
            }
        )
    return felder
