"""A relation that reads as a nested summary and writes as a public key.

``leistung`` answers ``{"ozg_id": 10000, "name": "Elterngeld"}`` and accepts ``10000`` (or the same object) on
write, so a dashboard needs no second request and an editor no integer primary key.
"""

import re
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext_lazy as _

from rest_framework import serializers


class NestedKeyField(serializers.SlugRelatedField):
    def __init__(self, summary, slug_field, **kwargs):
        self.summary = summary
        super().__init__(slug_field=slug_field, **kwargs)

    def to_representation(self, obj):
        # One summary serializer per field, not per row: building a ModelSerializer's fields costs ~1 ms.
        summary = getattr(self, "_summary_instance", None)
        if summary is None:
            summary = self._summary_instance = self.summary(context=self.context)
        return summary.to_representation(obj)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get(self.slug_field)
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        if isinstance(data, str) and "\x00" in data:
            # No key holds a NUL, and PostgreSQL refuses one even in a lookup (a 500): an unknown key, as it is.
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class _NurText:
    """A text that is a JSON string: DRF's CharField would also take 5 or 1.5 and store "5", where the schema
    says string (a generated client never sends a number there, and the server now agrees)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Text(_NurText, serializers.CharField):
    pass


class Slug(_NurText, serializers.SlugField):
    pass


class Wahrheitswert(serializers.BooleanField):
    """Only JSON true/false, as the schema says boolean: DRF's BooleanField also takes 0, 1, "yes", "off" …"""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class GerundeteDezimalzahl(serializers.DecimalField):
    """A decimal cut to the field's decimal places instead of refused for more of them.

    A coordinate with 15 digits after the point (as a float from a map library sends it) is the same place as the
    stored 6 digits (0.1 m); refusing it would only make clients round. Too many whole digits are still refused.
    """

    def validate_precision(self, value):
        if self.decimal_places is not None and value.is_finite():
            # Toward zero: a value inside the bounds stays inside them (999.9999999 → 999.999999, not 1000).
            value = value.quantize(Decimal(1).scaleb(-self.decimal_places), rounding=ROUND_DOWN)
        return super().validate_precision(value)


#: The web addresses the API accepts, stated as a pattern the schema carries verbatim: http(s), a host of
#: lower-case labels and a top-level domain, an optional port, path and query of unreserved and sub-delimiter
#: characters. Every address it matches passes Django's URLValidator too, so schema and server agree exactly;
#: percent escapes are left out because the schema's regex dialects could not say "% and two hex digits" alike.
URL_MUSTER = (
    # Not empty (the schema's second branch is the empty string); spaces around it are trimmed by the server.
    r"^(?=[\s\S])\s*(?:https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,4}[a-z]{2,63}(?::[0-9]{1,5})?"
    r"(?:/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)?(?:\?[A-Za-z0-9._~!$&'()*+,;=:@/?-]*)?)?\s*$"
)
URL_MAX = 200  # models.URLField's default max_length
_URL = re.compile(URL_MUSTER)


class WebAdresse(serializers.CharField):
    """A model URLField in the API: the pattern ``URL_MUSTER`` (empty allowed), at most 200 characters."""

    # Checked here, not as a validator: the schema states the pattern for requests only (core.api.schema).
    def to_internal_value(self, data):
        wert = super().to_internal_value(data)
        if not _URL.match(wert):
            raise serializers.ValidationError(_("Keine gültige http(s)-Adresse."), code="invalid")
        return wert
