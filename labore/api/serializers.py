"""Serializers of the Digitalisierungslabore: their OZG-Leistungen and participants in one answer."""

from django.utils.translation import gettext_lazy as _

from rest_framework import serializers

from catalog.api.serializers import ModelValidierungMixin, leistung_feld, themenfeld_feld
from labore.models import Labor
from themenfelder.models import Teilnahme


class TeilnehmerKurzSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField(help_text=_("Name der Kommune oder Kurzname der Organisation."))
    ars = serializers.SerializerMethodField(help_text=_("Regionalschlüssel der Kommune; leer bei Organisationen."))
    organisation = serializers.SerializerMethodField(help_text=_("Slug der Organisation; leer bei Kommunen."))

    class Meta:
        model = Teilnahme
        fields = ["name", "ars", "organisation"]
        read_only_fields = fields

    def get_name(self, obj) -> str:
        return obj.gebiet.name if obj.gebiet_id else obj.organisation.kurzname

    def get_ars(self, obj) -> str | None:
        return obj.gebiet.ars if obj.gebiet_id else None

    def get_organisation(self, obj) -> str | None:
        return obj.organisation.slug if obj.organisation_id else None


class LaborSerializer(ModelValidierungMixin, serializers.ModelSerializer):
    themenfeld = themenfeld_feld(help_text=_("Slug des Themenfelds."))
    leistungen = leistung_feld(many=True, required=False, help_text=_("OZG-IDs der bearbeiteten Leistungen."))
    teilnehmer = TeilnehmerKurzSerializer(
        source="teilnahmen", many=True, read_only=True, help_text=_("Kommunen und IT-Dienstleister im Labor.")
    )

    class Meta:
        model = Labor
        fields = [
            "slug",
            "titel",
            "themenfeld",
            "pilot",
            "methodenphase",
            "leistungen",
            "teilnehmer",
            "bemerkung",
            "zuordnung",
            "gestartet_bis",
        ]
