"""API FilterSets of the programme, the Themenfeld list included (conventions: ``catalog/filtersets/api.py``)."""

import re
from datetime import date

from django.utils.translation import gettext_lazy as _

import django_filters

from catalog.filtersets.api import choices_in, datum_bereich, gebiet_filter, laender_filter, ozg_id_in, schluessel_in
from catalog.models import Themenfeld
from core.api.exceptions import ParameterError
from core.api.filters import ApiFilterSet, BooleanFilter
from themenfelder.choices import Phase, Rolle, TeilnahmeArt, Umfang
from themenfelder.choices import PhasenStatus as PhasenStatusWert
from themenfelder.models import PhasenStatus, TandemRolle, Teilnahme

_TAG = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class ThemenfeldFilterSet(ApiFilterSet):
    suchfelder = ("name", "slug")
    slug = schluessel_in("slug", _("Slug, mehrere mit Komma"))
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("Name enthält"))
    land = laender_filter("tandem__land", _("Land im Tandem: ARS oder Kürzel, mehrere mit Komma"))
    organisation = schluessel_in("tandem__organisation__slug", _("Organisation im Tandem (Slug), mehrere mit Komma"))
    leistung = ozg_id_in("lagen__leistungen__ozg_id", _("Enthält die OZG-Leistung (OZG-ID), mehrere mit Komma"))

    class Meta:
        model = Themenfeld
        fields = []

    @property
    def qs(self):
        # Tandem and Leistung filters join to-many relations.
        qs = super().qs
        if any(self.form.cleaned_data.get(name) for name in ("land", "organisation", "leistung")):
            qs = qs.distinct()
        return qs


class TandemRolleFilterSet(ApiFilterSet):
    suchfelder = ("bemerkung", "organisation__kurzname", "land__name", "themenfeld__name")
    themenfeld = schluessel_in("themenfeld__slug", _("Slug des Themenfelds, mehrere mit Komma"))
    land = laender_filter()
    organisation = schluessel_in("organisation__slug", _("Slug der Organisation, mehrere mit Komma"))
    rolle = choices_in("rolle", Rolle.choices, _("Rolle (FF, MA), mehrere mit Komma"))
    umfang = choices_in("umfang", Umfang.choices, _("Umfang, mehrere mit Komma"))
    bemerkung = django_filters.CharFilter(lookup_expr="icontains", label=_("Bemerkung enthält"))

    class Meta:
        model = TandemRolle
        fields = []


class PhasenStatusFilterSet(ApiFilterSet):
    suchfelder = ("quelle", "themenfeld__name")
    themenfeld = schluessel_in("themenfeld__slug", _("Slug des Themenfelds, mehrere mit Komma"))
    phase = choices_in("phase", Phase.choices, _("Phase, mehrere mit Komma"))
    status = choices_in("status", PhasenStatusWert.choices, _("Status, mehrere mit Komma"))
    stand = datum_bereich("stand", _("Stand zwischen: stand_after, stand_before (JJJJ-MM-TT)"))
    stand_am = django_filters.CharFilter(
        method="filter_stand_am",
        label=_("Je Themenfeld und Phase der letzte Stand bis zu diesem Tag (JJJJ-MM-TT) oder „aktuell“"),
    )
    quelle = django_filters.CharFilter(lookup_expr="icontains", label=_("Quelle enthält"))

    class Meta:
        model = PhasenStatus
        fields = []

    def filter_stand_am(self, queryset, name, value):
        if value == "aktuell":
            stichtag = None
        else:
            try:
                # Only JJJJ-MM-TT, as the schema says (format: date); Python would also read 20190411 or 2019-W15.
                if not _TAG.match(value):
                    raise ValueError(value)
                stichtag = date.fromisoformat(value)
            except ValueError:
                raise ParameterError({name: [_("Datum JJJJ-MM-TT oder „aktuell“ erwartet.")]}) from None
        return queryset & PhasenStatus.objects.stand_am(stichtag)


class TeilnahmeFilterSet(ApiFilterSet):
    suchfelder = ("name_im_dokument", "befund", "gebiet__name", "organisation__kurzname")
    themenfeld = schluessel_in("themenfeld__slug", _("Slug des Themenfelds, mehrere mit Komma"))
    gebiet = gebiet_filter("gebiet", _("Kommune oder Land: ARS oder AGS, mehrere mit Komma"))
    land = laender_filter("gebiet__land", _("Land der Kommune: ARS oder Kürzel, mehrere mit Komma"))
    organisation = schluessel_in("organisation__slug", _("Slug der Organisation, mehrere mit Komma"))
    art = choices_in("art", TeilnahmeArt.choices, _("Art der Mitarbeit, mehrere mit Komma"))
    labor = schluessel_in("labore__slug", _("Slug des Labors, mehrere mit Komma"))
    name_im_dokument = django_filters.CharFilter(lookup_expr="icontains", label=_("Name in der Quelle enthält"))
    land_im_dokument = schluessel_in("land_im_dokument", _("Land in der Quelle, wie geschrieben"))
    befund = django_filters.CharFilter(lookup_expr="icontains", label=_("Befund enthält"))
    mit_befund = BooleanFilter(method="filter_mit_befund", label=_("Hat einen Befund (true/false)"))
    stand = datum_bereich("stand", _("Stand zwischen: stand_after, stand_before (JJJJ-MM-TT)"))

    class Meta:
        model = Teilnahme
        fields = {"position": ["exact"]}

    def filter_mit_befund(self, queryset, name, value):
        return queryset.exclude(befund="") if value else queryset.filter(befund="")
