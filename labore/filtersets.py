"""API FilterSet of the Digitalisierungslabore (see ``catalog/api/filtersets.py`` for the conventions)."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

import django_filters

from catalog.filtersets.api import choices_in, datum_bereich, schluessel_in
from core.api.filters import ApiFilterSet, BooleanFilter, NumberInFilter
from labore.choices import Methodenphase
from labore.models import Labor
from themenfelder.models import Teilnahme


class LaborFilterSet(ApiFilterSet):
    suchfelder = ("titel", "bemerkung", "zuordnung")
    # Labor.teilnahmen (the link LaborTeilnahme, issue 12) is filtered by who takes part, by public key.
    feldfilter = {"teilnahmen": "teilnehmer"}
    slug = schluessel_in("slug", _("Slug, mehrere mit Komma"))
    titel = django_filters.CharFilter(lookup_expr="icontains", label=_("Titel enthält"))
    themenfeld = schluessel_in("themenfeld__slug", _("Slug des Themenfelds, mehrere mit Komma"))
    pilot = BooleanFilter(label=_("Pilotlabor (true/false)"))
    methodenphase = choices_in("methodenphase", Methodenphase.choices, _("Methodenphase, mehrere mit Komma"))
    leistungen = NumberInFilter(
        method="filter_leistungen", label=_("Bearbeitet die OZG-Leistung (OZG-ID), mehrere mit Komma")
    )
    teilnehmer = django_filters.CharFilter(
        method="filter_teilnehmer", label=_("Kommune (ARS/AGS) oder Organisation (Slug) nimmt teil")
    )
    bemerkung = django_filters.CharFilter(lookup_expr="icontains", label=_("Bemerkung enthält"))
    zuordnung = django_filters.CharFilter(lookup_expr="icontains", label=_("Zuordnung enthält"))
    gestartet_bis = datum_bereich("gestartet_bis", _("Gestartet zwischen: gestartet_bis_after, gestartet_bis_before"))

    class Meta:
        model = Labor
        fields = []

    def filter_leistungen(self, queryset, name, value):
        return queryset.filter(
            Exists(Labor.leistungen.through.objects.filter(labor=OuterRef("pk"), leistung__ozg_id__in=value))
        )

    def filter_teilnehmer(self, queryset, name, value):
        feld = "gebiet__ags" if len(value) == 8 else ("gebiet__ars" if value.isdigit() else "organisation__slug")
        return queryset.filter(Exists(Teilnahme.objects.filter(labore=OuterRef("pk"), **{feld: value})))
