"""Filtering and ordering of every list, strict about parameters: a bad or unknown one is a 400 naming it."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter

from .exceptions import ParameterError

#: Parameters every list understands besides its filters.
ALLGEMEINE_PARAMETER = frozenset({"format", "page", "page_size", "cursor", "ordering"})


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        erlaubt = set(ALLGEMEINE_PARAMETER)
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            erlaubt.update(filterset_class.base_filters)
        unbekannt = sorted(set(request.query_params) - erlaubt)
        if unbekannt:
            raise ParameterError({name: [_("Unbekannter Parameter.")] for name in unbekannt})
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ParameterError(filterset.errors)
        return filterset.qs


class StrictOrderingFilter(OrderingFilter):
    """DRF's ordering filter silently ignores unknown fields; we answer 400 naming ``ordering``."""

    ordering_description = _("Sortierung: Feldname, absteigend mit „-“ davor; mehrere mit Komma.")

    def get_ordering(self, request, queryset, view):
        roh = request.query_params.get(self.ordering_param)
        if roh:
            erlaubt = {name for name, _label in self.get_valid_fields(queryset, view, {"request": request})}
            begriffe = [term.strip() for term in roh.split(",")]
            falsch = [t for t in begriffe if t.lstrip("-") not in erlaubt]
            if falsch or not all(begriffe):
                raise ParameterError(
                    {
                        self.ordering_param: [
                            _("Unbekannte Sortierung %(falsch)s; möglich: %(erlaubt)s.")
                            % {"falsch": ", ".join(falsch) or "''", "erlaubt": ", ".join(sorted(erlaubt))}
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """Comma-separated values: ``?ebene=kreis,gemeinde``."""


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    pass


class ApiFilterSet(django_filters.FilterSet):
    """Base of every API FilterSet: a full-text search ``q`` over ``suchfelder`` (case-insensitive)."""

    suchfelder: tuple[str, ...] = ()

    q = django_filters.CharFilter(method="filter_q", label=_("Volltextsuche"))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        bedingung = Q()
        for wort in value.split():
            teil = Q()
            for feld in self.suchfelder:
                teil |= Q(**{f"{feld}__icontains": wort})
            bedingung &= teil
        return queryset.filter(bedingung)


class StrictBooleanField(forms.NullBooleanField):
    """Only true/false (or 1/0); django-filter's default silently ignores anything else."""

    WERTE = {"true": True, "1": True, "false": False, "0": False}
    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.WERTE[str(value).lower()]
        except KeyError:
            raise forms.ValidationError(_("true oder false erwartet."), code="invalid") from None

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField
