"""The catalogue's resources: Lage, OZG-Leistung, LeiKa-Leistung, Gebietskörperschaft, Organisation,
Zuständigkeit, Umsetzungsstand (Land and Kommune) and the Leistungen of one Kommune."""

from functools import cache, cached_property

from django.core.validators import RegexValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from rest_framework import serializers

from catalog import typisierung
from catalog.choices import Ebene, EffektiveEbene
from catalog.models import (
    Gebietskoerperschaft,
    KommunaleUmsetzung,
    Lage,
    LeikaLeistung,
    Leistung,
    Organisation,
    Umsetzungsstand,
    Zustaendigkeit,
)
from catalog.zustaendigkeit import Zustaendigkeitsangabe
from core.api.fields import NestedKeyField, Text

from .bausteine import (
    TYPISIERUNG_MUSTER,
    LaborKurzSerializer,
    LageKurzSerializer,
    LeikaKurzSerializer,
    ModelValidierungMixin,
    ThemenfeldKurzSerializer,
    gebiet_feld,
    lage_feld,
    land_feld,
    leika_schluessel,
    leistung_feld,
    schluessel_feld,
    themenfeld_feld,
)


# --- Resources -------------------------------------------------------------------------------------
class LageSerializer(ModelValidierungMixin, serializers.ModelSerializer):
    themenfeld = themenfeld_feld(help_text=_("Slug des Themenfelds."))
    leistungen_anzahl = serializers.IntegerField(read_only=True, label=_("Zahl der OZG-Leistungen"))

    class Meta:
        model = Lage
        fields = ["slug", "name", "themenfeld", "leistungen_anzahl"]


class LeistungSerializer(ModelValidierungMixin, serializers.ModelSerializer):
    lage = lage_feld(help_text=_("Slug der primären Lage."))
    themenfeld = ThemenfeldKurzSerializer(source="lage.themenfeld", read_only=True)
    leika_schluessel = serializers.SerializerMethodField(
        help_text=_("LeiKa-Schlüssel der gebündelten LeiKa-Leistungen (ohne leere), sortiert.")
    )
    labore = LaborKurzSerializer(many=True, read_only=True)

    class Meta:
        model = Leistung
        fields = ["ozg_id", "name", "lage", "themenfeld", "vollzug", "leika_schluessel", "labore"]
        read_only_fields = ["vollzug"]

    def get_leika_schluessel(self, obj) -> list[str]:
        return leika_schluessel(obj)

    def to_representation(self, instance):
        # Hand-written for speed (DRF's per-field machinery costs more than the queries on a list page);
        # tests/api/test_serializers.py proves it equal to the generic representation.
        lage = instance.lage
        themenfeld = lage.themenfeld
        return {
            "ozg_id": instance.ozg_id,
            "name": instance.name,
            "lage": {"slug": lage.slug, "name": lage.name},
            "themenfeld": {"slug": themenfeld.slug, "name": themenfeld.name},
            "vollzug": instance.vollzug,
            "leika_schluessel": leika_schluessel(instance),
            "labore": [
                {"slug": labor.slug, "titel": labor.titel, "pilot": labor.pilot} for labor in instance.labore.all()
            ],
        }


class LeikaLeistungSerializer(ModelValidierungMixin, serializers.ModelSerializer):
    # Defaults, not only "not required": the UNIQUE (schluessel, leistung) constraint's validator would require
    # both fields, where the schema (and the model) let them be left out.
    leika_schluessel = Text(
        source="schluessel",
        default="",
        allow_blank=True,
        max_length=14,
        # The model's constraint (14 digits or empty) as a pattern the schema states; spaces around are trimmed.
        validators=[RegexValidator(r"^(?=[\s\S])\s*(?:[0-9]{14})?\s*$")],  # "" is the blank branch
        label=_("LeiKa-Schlüssel"),
        help_text=LeikaLeistung._meta.get_field("schluessel").help_text,
    )
    leistung = leistung_feld(default=None, allow_null=True, help_text=_("OZG-ID der OZG-Leistung."))

    class Meta:
        model = LeikaLeistung
        fields = [
            "zeile",
            "leika_schluessel",
            "bezeichnung",
            "leistung",
            "typisierung",
            "vollzug",
            "sdg1",
            "sdg2",
            "gesetze",
            "gesetzeskuerzel",
            "rechtsgrundlage",
        ]
        read_only_fields = ["vollzug"]
        # The codes catalog.typisierung.parse accepts, separated by "," or ";": stated in the schema as a pattern.
        extra_kwargs = {"typisierung": {"validators": [RegexValidator(TYPISIERUNG_MUSTER)]}}

    def validate_typisierung(self, value):
        try:
            typisierung.parse(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return value

    def validate(self, attrs):
        if "typisierung" in attrs:
            attrs["vollzug"] = typisierung.vollzug(attrs["typisierung"])
        return super().validate(attrs)


class GebietskoerperschaftSerializer(ModelValidierungMixin, serializers.ModelSerializer):
    schluessel = serializers.CharField(
        read_only=True, help_text=_("Der bekannte Schlüssel: AGS bei Gemeinden, sonst der Regionalschlüssel.")
    )
    parent = gebiet_feld(required=False, allow_null=True, help_text=_("Regionalschlüssel der übergeordneten Ebene."))
    land = land_feld(required=False, allow_null=True, help_text=_("Regionalschlüssel des Landes (2 Ziffern)."))
    kreis = gebiet_feld(
        queryset=Gebietskoerperschaft.objects.filter(ebene=Ebene.KREIS),
        required=False,
        allow_null=True,
        help_text=_("Regionalschlüssel des Kreises (5 Ziffern)."),
    )

    class Meta:
        model = Gebietskoerperschaft
        fields = [
            "ars",
            "ags",
            "schluessel",
            "ebene",
            "textkennzeichen",
            "name",
            "parent",
            "land",
            "kreis",
            "einwohner",
            "flaeche",
            "plz",
            "laengengrad",
            "breitengrad",
        ]


class OrganisationSerializer(ModelValidierungMixin, serializers.ModelSerializer):
    land = land_feld(required=False, allow_null=True, help_text=_("Regionalschlüssel des Sitzlandes."))

    class Meta:
        model = Organisation
        fields = ["slug", "kurzname", "name", "art", "land"]


class ZustaendigkeitSerializer(ModelValidierungMixin, serializers.ModelSerializer):
    schluessel = schluessel_feld(_("Öffentlicher Schlüssel: <Land-ARS>.<OZG-ID>[.<LeiKa-Zeile>], z. B. 01.10000."))
    land = land_feld(help_text=_("Regionalschlüssel des Landes."))
    leistung = leistung_feld(help_text=_("OZG-ID."))
    leika_leistung = NestedKeyField(
        LeikaKurzSerializer,
        "zeile",
        queryset=LeikaLeistung.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Zeile der LeiKa-Leistung; leer: gilt für die ganze OZG-Leistung."),
    )

    class Meta:
        model = Zustaendigkeit
        fields = [
            "schluessel",
            "land",
            "leistung",
            "leika_leistung",
            "ebene",
            "rechtsgrundlage",
            "bemerkung",
            "geaendert_am",
        ]
        read_only_fields = ["geaendert_am"]

    def get_schluessel(self, obj) -> str:
        teile = [obj.land.ars, str(obj.leistung.ozg_id)]
        if obj.leika_leistung_id:
            teile.append(str(obj.leika_leistung.zeile))
        return ".".join(teile)


class UmsetzungsstandSerializer(ModelValidierungMixin, serializers.ModelSerializer):
    schluessel = schluessel_feld(_("Öffentlicher Schlüssel: <Land-ARS>.<OZG-ID>, z. B. 01.10000."))
    land = land_feld(help_text=_("Regionalschlüssel des Landes."))
    leistung = leistung_feld(help_text=_("OZG-ID."))
    efa_anbieter = land_feld(required=False, allow_null=True, help_text=_("Regionalschlüssel des EfA-Landes."))
    nachnutzend = serializers.BooleanField(
        read_only=True, help_text=_("Wahr, wenn das Land den EfA-Dienst eines anderen Landes nachnutzt.")
    )

    class Meta:
        model = Umsetzungsstand
        fields = [
            "schluessel",
            "land",
            "leistung",
            "status",
            "reifegradmodell",
            "reifegrad",
            "efa_anbieter",
            "nachnutzend",
            "online_url",
            "stand",
            "bemerkung",
        ]

    def get_schluessel(self, obj) -> str:
        return f"{obj.land.ars}.{obj.leistung.ozg_id}"


class KommunaleUmsetzungSerializer(ModelValidierungMixin, serializers.ModelSerializer):
    schluessel = schluessel_feld(_("Öffentlicher Schlüssel: <ARS der Kommune>.<OZG-ID>."))
    kommune = gebiet_feld(
        queryset=Gebietskoerperschaft.objects.kommunen(), help_text=_("Regionalschlüssel der Kommune.")
    )
    leistung = leistung_feld(help_text=_("OZG-ID."))

    class Meta:
        model = KommunaleUmsetzung
        fields = ["schluessel", "kommune", "leistung", "status", "geplant_bis", "online_url", "stand", "synthetisch"]
        # Set only by `generate_synthetic` (load tests); a client cannot relabel real rows or fake ones.
        read_only_fields = ["synthetisch"]

    def get_schluessel(self, obj) -> str:
        return f"{obj.kommune.ars}.{obj.leistung.ozg_id}"


@cache
def _ebene_text(sprache: str | None, ebene: str, abgeleitet: bool) -> str:
    """The label of a level as the portal shows it, in ``sprache`` (the active language: called with it as the key).

    A handful of (ebene, abgeleitet) pairs per language: each label is translated once per process, not once per
    answer; the catalogues do not change while the process runs.
    """
    return Zustaendigkeitsangabe(EffektiveEbene(ebene), abgeleitet).text


class KommuneLeistungSerializer(serializers.ModelSerializer):
    """One OZG-Leistung as a Kommune sees it (read-only), named like the federal dashboard where it applies."""

    ars = serializers.SerializerMethodField(help_text=_("Regionalschlüssel der Kommune."))
    themenfeld = ThemenfeldKurzSerializer(source="lage.themenfeld", read_only=True)
    lage = LageKurzSerializer(read_only=True)
    ebene = serializers.ChoiceField(
        choices=EffektiveEbene.choices,
        read_only=True,
        help_text=_("Vollziehende Ebene im Land der Kommune: erfasst, sonst aus der Typisierung abgeleitet."),
    )
    ebene_text = serializers.SerializerMethodField(help_text=_("Die Ebene als Text, wie das Portal sie zeigt."))
    abgeleitet = serializers.SerializerMethodField(
        help_text=_("Wahr, wenn die Ebene aus der Typisierung abgeleitet und nicht für das Land erfasst ist.")
    )
    land_status = serializers.ChoiceField(
        choices=Umsetzungsstand._meta.get_field("status").choices,
        read_only=True,
        allow_null=True,
        help_text=_("Umsetzungsstand im Land; leer, wenn nicht erfasst."),
    )
    land_reifegrad = serializers.IntegerField(read_only=True, allow_null=True, help_text=_("Reifegrad im Land."))
    kommune_status = serializers.ChoiceField(
        choices=KommunaleUmsetzung._meta.get_field("status").choices,
        read_only=True,
        allow_null=True,
        help_text=_("Anschlussstatus der Kommune; leer, wenn nicht erfasst."),
    )
    kommune_synthetisch = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "Wahr, wenn der Anschlussstatus der Kommune synthetisch ist (nur für Lasttests erzeugt, keine echten "
            "Daten); leer, wenn kein Status erfasst ist."
        ),
    )
    leika_schluessel = serializers.SerializerMethodField(
        help_text=_("LeiKa-Schlüssel der gebündelten LeiKa-Leistungen (ohne leere), sortiert.")
    )

    class Meta:
        model = Leistung
        fields = [
            "ars",
            "ozg_id",
            "name",
            "themenfeld",
            "lage",
            "vollzug",
            "ebene",
            "ebene_text",
            "abgeleitet",
            "land_status",
            "land_reifegrad",
            "kommune_status",
            "kommune_synthetisch",
            "leika_schluessel",
        ]
        read_only_fields = fields

    # Reads rows of ``catalog.kommunenliste`` (catalogue Leistung + what holds in the Land and Kommune), not model
    # instances: the declared fields above are the schema, this builds the same dict per row without field objects.
    def get_ars(self, obj) -> str:
        return self.context["gebiet"].ars

    def get_ebene_text(self, obj) -> str:
        return _ebene_text(get_language(), obj.ebene, obj.abgeleitet)

    def get_abgeleitet(self, obj) -> bool:
        return obj.abgeleitet

    def get_leika_schluessel(self, obj) -> list[str]:
        return list(obj.leistung.leika_schluessel)

    @cached_property
    def _ars(self) -> str:
        return self.context["gebiet"].ars

    @cached_property
    def _sprache(self) -> str | None:
        return get_language()

    def to_representation(self, zeile):
        leistung = zeile.leistung
        ebene, abgeleitet, kommune_status = zeile.ebene, zeile.abgeleitet, zeile.kommune_status
        return {
            "ars": self._ars,
            "ozg_id": leistung.ozg_id,
            "name": leistung.name,
            "themenfeld": {"slug": leistung.themenfeld_slug, "name": leistung.themenfeld_name},
            "lage": {"slug": leistung.lage_slug, "name": leistung.lage_name},
            "vollzug": leistung.vollzug,
            "ebene": ebene,
            "ebene_text": _ebene_text(self._sprache, ebene, abgeleitet),
            "abgeleitet": abgeleitet,
            "land_status": zeile.land_status,
            "land_reifegrad": zeile.land_reifegrad,
            "kommune_status": kommune_status,
            "kommune_synthetisch": zeile.synthetisch if kommune_status is not None else None,
            "leika_schluessel": list(leistung.leika_schluessel),
        }
