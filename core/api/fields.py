"""A relation that reads as a nested summary and writes as a public key.

``leistung`` answers ``{"ozg_id": 10000, "name": "Elterngeld"}`` and accepts ``10000`` (or the same object) on
write, so a dashboard needs no second request and an editor no integer primary key.
"""

from decimal import ROUND_DOWN, Decimal

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
        return super().to_internal_value(data)


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
