"""Building blocks every API serializer shares: nested summaries (``…Kurz``), relations written by public key,
and the model validation with the integer ranges both databases accept (``ModelValidierungMixin``)."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from rest_framework import serializers
from rest_framework.fields import get_error_detail

from catalog.choices import LAND_KUERZEL
from catalog.models import (
    Gebietskoerperschaft,
    Lage,
    LeikaLeistung,
    Leistung,
    Organisation,
    Themenfeld,
)
from core.api.fields import GerundeteDezimalzahl, NestedKeyField, Slug, Text, Wahrheitswert, WebAdresse
from core.bereiche import bereichsfelder


def leika_schluessel(leistung) -> list[str]:
    """The keys from the ``leika_liste`` annotation (see ``catalog.api.views.leika_liste``), sorted."""
    liste = getattr(leistung, "leika_liste", None)
    return sorted(liste.split(",")) if liste else []


# --- Summaries -------------------------------------------------------------------------------------

_TYP_CODE = r"(?:1[0-2]?|2/3[ab]?|[234][ab]?|[5-9])"
#: catalog.typisierung.TYP_CODES, separated by "," or ";" (empty allowed): what typisierung.parse accepts.
TYPISIERUNG_MUSTER = rf"^(?=[\s\S])\s*(?:{_TYP_CODE}(?:\s*[,;]\s*{_TYP_CODE})*)?\s*$"  # "" is the blank branch


class ThemenfeldKurzSerializer(serializers.ModelSerializer):
    class Meta:
        model = Themenfeld
        fields = ["slug", "name"]
        read_only_fields = fields


class LageKurzSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lage
        fields = ["slug", "name"]
        read_only_fields = fields


class LeistungKurzSerializer(serializers.ModelSerializer):
    class Meta:
        model = Leistung
        fields = ["ozg_id", "name"]
        read_only_fields = fields


class LeikaKurzSerializer(serializers.ModelSerializer):
    leika_schluessel = serializers.CharField(source="schluessel", read_only=True, label=_("LeiKa-Schlüssel"))

    class Meta:
        model = LeikaLeistung
        fields = ["zeile", "leika_schluessel", "bezeichnung"]
        read_only_fields = fields


class GebietKurzSerializer(serializers.ModelSerializer):
    class Meta:
        model = Gebietskoerperschaft
        fields = ["ars", "ags", "name", "ebene"]
        read_only_fields = fields


class LandKurzSerializer(serializers.ModelSerializer):
    kuerzel = serializers.SerializerMethodField(help_text=_("Zweibuchstabiges Kürzel, z. B. SH."))

    class Meta:
        model = Gebietskoerperschaft
        fields = ["ars", "kuerzel", "name"]
        read_only_fields = fields

    def get_kuerzel(self, obj) -> str:
        return LAND_KUERZEL.get(obj.ars[:2], "")


class OrganisationKurzSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "kurzname", "name"]
        read_only_fields = fields


class LaborKurzSerializer(serializers.ModelSerializer):
    class Meta:
        # labore sits above catalog: the model is the one behind the reverse relation Leistung.labore.
        model = Leistung._meta.get_field("labore").related_model
        fields = ["slug", "titel", "pilot"]
        read_only_fields = fields


# --- Relations by public key -----------------------------------------------------------------------
def themenfeld_feld(**kwargs):
    return NestedKeyField(ThemenfeldKurzSerializer, "slug", queryset=Themenfeld.objects.all(), **kwargs)


def lage_feld(**kwargs):
    return NestedKeyField(LageKurzSerializer, "slug", queryset=Lage.objects.all(), **kwargs)


def leistung_feld(**kwargs):
    return NestedKeyField(LeistungKurzSerializer, "ozg_id", queryset=Leistung.objects.all(), **kwargs)


def land_feld(**kwargs):
    return NestedKeyField(LandKurzSerializer, "ars", queryset=Gebietskoerperschaft.objects.laender(), **kwargs)


def gebiet_feld(queryset=None, **kwargs):
    queryset = Gebietskoerperschaft.objects.all() if queryset is None else queryset
    return NestedKeyField(GebietKurzSerializer, "ars", queryset=queryset, **kwargs)


def organisation_feld(**kwargs):
    return NestedKeyField(OrganisationKurzSerializer, "slug", queryset=Organisation.objects.all(), **kwargs)


def labor_feld(**kwargs):
    return NestedKeyField(LaborKurzSerializer, "slug", queryset=LaborKurzSerializer.Meta.model.objects.all(), **kwargs)


#: Integer ranges of PostgreSQL (the stricter of the two databases), stated in the schema and checked on both.
GANZZAHL_BEREICHE = {
    "SmallIntegerField": (-32768, 32767),
    "PositiveSmallIntegerField": (0, 32767),
    "IntegerField": (-2147483648, 2147483647),
    "PositiveIntegerField": (0, 2147483647),
    "BigIntegerField": (-9223372036854775808, 9223372036854775807),
    "PositiveBigIntegerField": (0, 9223372036854775807),
}


class ModelValidierungMixin:
    # Runs the model's own validation (fields, CHECK and UNIQUE constraints) before saving; without it a
    # violated constraint would reach the database and end as a 500. (A comment, not a docstring: the schema
    # would show a docstring as the description of every serializer.)
    # URLs and decimals as the schema states them (core.api.fields): a URL pattern, decimals cut to their places;
    # texts only as JSON strings and booleans only as true/false, as the schema's types say.
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.URLField: WebAdresse,
        models.DecimalField: GerundeteDezimalzahl,
        models.CharField: Text,
        models.TextField: Text,
        models.SlugField: Slug,
        models.BooleanField: Wahrheitswert,
    }

    def build_standard_field(self, field_name, model_field):
        # DRF copies the integer range of the connection (unbounded on SQLite, 32 bit on PostgreSQL) into the field:
        # the committed schema and the server would then disagree on one of the two. PostgreSQL's range holds on both.
        klasse, kwargs = super().build_standard_field(field_name, model_field)
        bereich = GANZZAHL_BEREICHE.get(model_field.get_internal_type())
        if bereich and "choices" not in kwargs:
            unten, oben = bereich
            kwargs["min_value"] = max(kwargs.get("min_value", unten), unten)
            kwargs["max_value"] = min(kwargs.get("max_value", oben), oben)
        return klasse, kwargs

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        if self.instance is not None:
            self._bereich_bleibt(model, attrs)
        instance = copy.copy(self.instance) if self.instance is not None else model()
        konkrete = {f.name for f in model._meta.concrete_fields}
        for name, value in attrs.items():
            if name in konkrete:
                setattr(instance, name, value)
        self.geprueftes_objekt = instance  # the views ask the rules again with it
        try:
            instance.full_clean(validate_unique=True, validate_constraints=True)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(get_error_detail(exc)) from exc
        return attrs

    def _bereich_bleibt(self, model, attrs):
        # A change of a field that places the row in its Bereich (core.bereiche.bereichsfelder) is refused, as the
        # admin makes them read-only: the change log names the Bereich after the write, the old one's pages would
        # keep showing the row.
        for name in bereichsfelder(model):
            if name not in attrs:
                continue
            feld = model._meta.get_field(name)
            neu = getattr(attrs[name], "pk", attrs[name])
            if neu != getattr(self.instance, feld.attname):
                raise serializers.ValidationError(
                    {name: _("Kann an einem bestehenden Eintrag nicht geändert werden: löschen und neu anlegen.")}
                )


def schluessel_feld(help_text):
    return serializers.SerializerMethodField(help_text=help_text)
