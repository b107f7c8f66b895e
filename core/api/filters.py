"""Filtering and ordering of every list, strict about parameters: a bad or unknown one is a 400 naming it."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

import django_filters
from django_filters.filters import FilterMethod
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter

from .exceptions import ParameterError

#: Parameters every list understands besides its filters.
ALLGEMEINE_PARAMETER = frozenset({"format", "page", "page_size", "cursor", "ordering"})


def bekannte_parameter(filterset_class) -> set[str]:
    """Every query parameter a FilterSet reads; range filters read ``x_after``/``x_before`` or ``x_min``/``x_max``."""
    namen = set()
    for name, filter_ in filterset_class.base_filters.items():
        suffixe = getattr(filter_.field.widget, "suffixes", None)
        if suffixe:
            namen.update(f"{name}_{suffix}" if suffix else name for suffix in suffixe)
        else:
            namen.add(name)
    return namen


_GANZZAHL = re.compile(r"^-?[0-9]+$")

#: The bound the schema states for number (non-integer) filters; Django's DecimalField itself has none.
ZAHL_GRENZE = Decimal("1e50")


def _jenseits_der_grenze(wert: str) -> bool:
    try:
        return abs(Decimal(wert.strip())) > ZAHL_GRENZE
    except InvalidOperation:
        return False  # not a number at all: the form field names it


def _ist_ganzzahlfeld(filterset_class, filter_) -> bool:
    model = filterset_class._meta.model
    try:
        feld = model._meta.get_field(filter_.field_name) if model is not None else None
    except FieldDoesNotExist:
        return False
    return isinstance(feld, models.IntegerField) and not isinstance(feld, models.AutoField)


def _typfehler(filterset_class, parameter) -> dict:
    """Values the schema's types exclude but django-filter would let through: "" for a date or number (it
    silently drops the filter), a fraction for an integer field (it would compare as a decimal)."""
    fehler = {}
    for name, filter_ in filterset_class.base_filters.items():
        if isinstance(filter_, django_filters.BaseInFilter) or isinstance(filter_.field, forms.CharField):
            continue
        suffixe = getattr(filter_.field.widget, "suffixes", None) or [""]
        for suffix in suffixe:
            param = f"{name}_{suffix}" if suffix else name
            if param not in parameter:
                continue
            wert = parameter[param]
            if wert == "" and not isinstance(filter_.field, forms.NullBooleanField):
                fehler[param] = [_("Wert fehlt.")]
            elif (
                isinstance(filter_, django_filters.NumberFilter)
                and _ist_ganzzahlfeld(filterset_class, filter_)
                and not _GANZZAHL.match(wert)
            ):
                fehler[param] = [_("Ganze Zahl erwartet.")]
            elif (
                isinstance(filter_, django_filters.NumberFilter)
                and not _ist_ganzzahlfeld(filterset_class, filter_)
                and _jenseits_der_grenze(wert)
            ):
                fehler[param] = [_("Zahl von -1e50 bis 1e50 erwartet.")]
    return fehler


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        erlaubt = set(ALLGEMEINE_PARAMETER)
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            erlaubt.update(bekannte_parameter(filterset_class))
        unbekannt = sorted(set(request.query_params) - erlaubt)
        if unbekannt:
            raise ParameterError({name: [_("Unbekannter Parameter.")] for name in unbekannt})
        if filterset_class is not None:
            fehler = _typfehler(filterset_class, request.query_params)
            if fehler:
                raise ParameterError(fehler)
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ParameterError(filterset.errors)
        return filterset.qs


class StrictOrderingFilter(OrderingFilter):
    """DRF's ordering filter silently ignores unknown fields; we answer 400 naming ``ordering``."""

    ordering_description = _("Sortierung: Feldname, absteigend mit „-“ davor; mehrere mit Komma.")

    def get_schema_operation_parameters(self, view):
        parameter = super().get_schema_operation_parameters(view)
        try:
            queryset = view.get_queryset()
            felder = sorted(name for name, _label in self.get_valid_fields(queryset, view, {"request": None}))
        except Exception:  # noqa: BLE001 - schema generation without a request; keep the plain parameter
            return parameter
        if felder:
            # The server accepts exactly these: one or more known fields, each optionally with "-".
            eins = "-?(" + "|".join(re.escape(f) for f in felder) + ")"
            for p in parameter:
                if p["name"] == self.ordering_param:
                    p["schema"] = {"type": "string", "pattern": f"^({eins}(,{eins})*)?$"}
        return parameter

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


#: The integers a database column can hold; a larger number matches no row (rather than overflowing the query).
INT64 = (-(2**63), 2**63 - 1)


def _moegliche(value):
    """The given values a column can hold; ``[]`` if values were given but none can be (then no row matches)."""
    if not value:
        return value
    return [v for v in value if INT64[0] <= v <= INT64[1]]


class _BegrenzteMethode(FilterMethod):
    # A filter with ``method=`` bypasses ``filter()``: the same bound for it (a huge number was a 500 on SQLite).
    def __call__(self, qs, value):
        moeglich = _moegliche(value)
        return qs.none() if value and not moeglich else super().__call__(qs, moeglich)


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    def filter(self, qs, value):
        moeglich = _moegliche(value)
        return qs.none() if value and not moeglich else super().filter(qs, moeglich)

    @property
    def method(self):
        return self._method

    @method.setter
    def method(self, value):
        self._method = value
        if isinstance(self.filter, FilterMethod):
            del self.filter
        if value is not None:
            self.filter = _BegrenzteMethode(self)


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


#: An RFC 3339 time (``format: date-time``) whose UTC offset exists on Earth; the schema states it as the pattern.
ZEITPUNKT_MUSTER_TEXT = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
    r"(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)$"
)
ZEITPUNKT_MUSTER = re.compile(ZEITPUNKT_MUSTER_TEXT)


class _IsoZeitpunktFeld(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 time whose UTC offset exists on Earth (±14:00).

    Python accepts offsets up to ±23:59, PostgreSQL only up to ±15:59: without this check ``…+16:40`` is a 500 on
    PostgreSQL and a silent answer on SQLite. Now both answer 400 naming the parameter.
    """

    def to_python(self, value):
        if value not in self.empty_values and not ZEITPUNKT_MUSTER.match(str(value)):
            # Python reads more than RFC 3339 (any separator, no seconds, offsets beyond Earth's): the schema
            # states this pattern, so the server checks exactly it.
            raise forms.ValidationError(
                _("Zeitpunkt nach RFC 3339 erwartet (JJJJ-MM-TTThh:mm:ss, Zeitzone Z oder -14:00 bis +14:00)."),
                code="invalid",
            )
        zeitpunkt = super().to_python(value)
        versatz = zeitpunkt.utcoffset() if zeitpunkt is not None else None
        if versatz is not None and abs(versatz.total_seconds()) > 14 * 3600:
            raise forms.ValidationError(_("Die Zeitzone muss zwischen -14:00 und +14:00 liegen."), code="invalid")
        return zeitpunkt


class _IsoZeitraumFeld(django_filters.fields.RangeField):
    widget = django_filters.widgets.DateRangeWidget

    def __init__(self, *args, **kwargs):
        super().__init__((_IsoZeitpunktFeld(), _IsoZeitpunktFeld()), *args, **kwargs)


class IsoZeitraumFilter(django_filters.IsoDateTimeFromToRangeFilter):
    """``x_after``/``x_before`` as ISO 8601 times with a real UTC offset (see ``_IsoZeitpunktFeld``)."""

    field_class = _IsoZeitraumFeld
