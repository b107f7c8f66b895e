"""Serializers of the programme: Themenfelder with their tandem and current phases, tandem roles, phase
statuses and Teilnahmen of Kommunen and IT-Dienstleister."""

from django.utils.translation import gettext_lazy as _

from rest_framework import serializers

from catalog.api.serializers import (
    ModelValidierungMixin,
    gebiet_feld,
    labor_feld,
    land_feld,
    organisation_feld,
    schluessel_feld,
    themenfeld_feld,
)
from catalog.choices import LAND_KUERZEL
from catalog.models import Themenfeld
from themenfelder.choices import Phase
from themenfelder.models import PhasenStatus, TandemRolle, Teilnahme


def partner_kurz(rolle) -> str:
    return LAND_KUERZEL.get(rolle.land.ars, "") if rolle.land_id else rolle.organisation.kurzname


def partner_schluessel(rolle) -> str:
    return rolle.land.ars if rolle.land_id else rolle.organisation.slug


class TandemKurzSerializer(serializers.ModelSerializer):
    partner = serializers.SerializerMethodField(help_text=_("Land-Kürzel oder Kurzname der Organisation."))

    class Meta:
        model = TandemRolle
        fields = ["partner", "rolle", "umfang"]
        read_only_fields = fields

    def get_partner(self, obj) -> str:
        return partner_kurz(obj)


class PhasenInProgrammReihenfolge(serializers.ListSerializer):
    """A Themenfeld's phases in the programme's order (``themenfelder.choices.Phase``), not alphabetically."""

    def to_representation(self, data):
        reihenfolge = {phase: index for index, phase in enumerate(Phase.values)}
        eintraege = data.all() if hasattr(data, "all") else data
        return super().to_representation(sorted(eintraege, key=lambda p: reihenfolge.get(p.phase, len(reihenfolge))))


class PhaseKurzSerializer(serializers.ModelSerializer):
    class Meta:
        model = PhasenStatus
        fields = ["phase", "status", "stand"]
        read_only_fields = fields
        list_serializer_class = PhasenInProgrammReihenfolge


class ThemenfeldSerializer(ModelValidierungMixin, serializers.ModelSerializer):
    lagen_anzahl = serializers.IntegerField(read_only=True, label=_("Zahl der Lagen"))
    leistungen_anzahl = serializers.IntegerField(read_only=True, label=_("Zahl der OZG-Leistungen"))
    labore_anzahl = serializers.IntegerField(read_only=True, label=_("Zahl der Digitalisierungslabore"))
    tandem = TandemKurzSerializer(many=True, read_only=True, help_text=_("Bund-Länder-Tandem: FF und MA."))
    phasen = PhaseKurzSerializer(
        source="aktuelle_phasen",
        many=True,
        read_only=True,
        help_text=_(
            "Letzter Stand jeder Phase, in der Reihenfolge des Programms: Vorgespräche, Kickoff, Analyse/Planung, "
            "Durchführung Digitalisierungslabore, Umsetzungsplanung Nicht-Laborleistungen, TF-Abschluss."
        ),
    )

    class Meta:
        model = Themenfeld
        fields = ["slug", "name", "lagen_anzahl", "leistungen_anzahl", "labore_anzahl", "tandem", "phasen"]


class TandemRolleSerializer(ModelValidierungMixin, serializers.ModelSerializer):
    schluessel = schluessel_feld(
        _(
            "Öffentlicher Schlüssel: <Themenfeld>.<Land-ARS oder Organisation>.<Umfang>, "
            "z. B. familie-kind.01.themenfeld."
        )
    )
    themenfeld = themenfeld_feld(help_text=_("Slug des Themenfelds."))
    land = land_feld(required=False, allow_null=True, help_text=_("Regionalschlüssel des Landes."))
    organisation = organisation_feld(required=False, allow_null=True, help_text=_("Slug der Organisation."))
    partner = serializers.SerializerMethodField(help_text=_("Land-Kürzel oder Kurzname der Organisation."))

    class Meta:
        model = TandemRolle
        fields = ["schluessel", "themenfeld", "land", "organisation", "partner", "rolle", "umfang", "bemerkung"]

    def get_schluessel(self, obj) -> str:
        return f"{obj.themenfeld.slug}.{partner_schluessel(obj)}.{obj.umfang}"

    def get_partner(self, obj) -> str:
        return partner_kurz(obj)


class PhasenStatusSerializer(ModelValidierungMixin, serializers.ModelSerializer):
    schluessel = schluessel_feld(
        _("Öffentlicher Schlüssel: <Themenfeld>.<Phase>.<Stand>, z. B. bildung.kickoff.2019-04-11.")
    )
    themenfeld = themenfeld_feld(help_text=_("Slug des Themenfelds."))

    class Meta:
        model = PhasenStatus
        fields = ["schluessel", "themenfeld", "phase", "status", "stand", "quelle"]

    def get_schluessel(self, obj) -> str:
        return f"{obj.themenfeld.slug}.{obj.phase}.{obj.stand.isoformat()}"


class TeilnahmeSerializer(ModelValidierungMixin, serializers.ModelSerializer):
    schluessel = schluessel_feld(
        _("Öffentlicher Schlüssel: <Themenfeld>.<Stand>.<Position>, z. B. bildung.2019-04-11.3.")
    )
    themenfeld = themenfeld_feld(help_text=_("Slug des Themenfelds."))
    gebiet = gebiet_feld(required=False, allow_null=True, help_text=_("Regionalschlüssel der Kommune oder des Landes."))
    organisation = organisation_feld(required=False, allow_null=True, help_text=_("Slug der Organisation."))
    # The link belongs to labore (LaborTeilnahme, reverse relation "laborzuordnung"); read and written here so the
    # API keeps its field. A Teilnahme without Labor has no link: DRF reads the missing relation as null.
    labor = labor_feld(source="laborzuordnung.labor", required=False, allow_null=True, help_text=_("Slug des Labors."))

    class Meta:
        model = Teilnahme
        fields = [
            "schluessel",
            "themenfeld",
            "gebiet",
            "organisation",
            "art",
            "labor",
            "name_im_dokument",
            "land_im_dokument",
            "befund",
            "position",
            "stand",
        ]

    def get_schluessel(self, obj) -> str:
        return f"{obj.themenfeld.slug}.{obj.stand.isoformat()}.{obj.position}"

    def create(self, validated_data):
        zuordnung = validated_data.pop("laborzuordnung", None)
        teilnahme = super().create(validated_data)
        if zuordnung is not None:
            self._labor_setzen(teilnahme, zuordnung["labor"])
        return teilnahme

    def update(self, instance, validated_data):
        zuordnung = validated_data.pop("laborzuordnung", None)
        teilnahme = super().update(instance, validated_data)
        if zuordnung is not None:
            self._labor_setzen(teilnahme, zuordnung["labor"])
        return teilnahme

    @staticmethod
    def _labor_setzen(teilnahme, labor):
        # One save or delete of the link, so its history records the change (a bulk .set() would not).
        zuordnung = Teilnahme._meta.get_field("laborzuordnung").related_model
        if labor is None:
            for link in zuordnung.objects.filter(teilnahme=teilnahme):
                link.delete()
        else:
            zuordnung.objects.update_or_create(teilnahme=teilnahme, defaults={"labor": labor})
        # The cached reverse relation would still show the old Labor in the response.
        if Teilnahme.laborzuordnung.is_cached(teilnahme):
            Teilnahme.laborzuordnung.related.delete_cached_value(teilnahme)
