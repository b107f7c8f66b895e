"""API FilterSets of the catalogue. Multi-value filters take comma-separated values: ``?ebene=kreis,gemeinde``.

Relations filter by public key (OZG-ID, slug, ARS/AGS, Land-Kürzel). ``feldfilter`` maps a model field to its
filter where the names differ; ``ohne_filter`` says why a field has none (``tests/api/test_filtersets.py``).
"""

from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

import django_filters

from catalog.choices import (
    KUERZEL_LAND,
    Anschlussstatus,
    Ebene,
    EffektiveEbene,
    OrganisationArt,
    Reifegradmodell,
    Textkennzeichen,
    UmsetzungsStatus,
    Vollzug,
    VollzugsEbene,
)
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
from core.api.filters import ApiFilterSet, BooleanFilter, CharInFilter, IsoZeitraumFilter, NumberInFilter


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """Comma-separated choices, each validated: ``?status=geplant,angeschlossen``."""


def schluessel_in(field_name, label, **kwargs):
    return CharInFilter(field_name=field_name, lookup_expr="in", label=label, **kwargs)


OZG_ID_LABEL = _("OZG-ID, mehrere mit Komma")
LAND_LABEL = _("Land: Regionalschlüssel (01) oder Kürzel (SH), mehrere mit Komma")


def ozg_id_in(field_name="leistung__ozg_id", label=OZG_ID_LABEL):
    return NumberInFilter(field_name=field_name, lookup_expr="in", label=label)


def choices_in(field_name, choices, label):
    return ChoiceInFilter(field_name=field_name, lookup_expr="in", choices=choices, label=label)


def laender_filter(field_name="land", label=LAND_LABEL):
    def filtern(queryset, name, werte):
        ars = [KUERZEL_LAND.get(w.upper(), w) for w in werte]
        return queryset.filter(**{f"{field_name}__ars__in": ars})

    return CharInFilter(method=filtern, label=label)


def gebiet_filter(field_name, label):
    """ARS of any length, or an AGS (8 digits) for a Gemeinde."""

    def filtern(queryset, name, werte):
        ags = [w for w in werte if len(w) == 8]
        ars = [w for w in werte if len(w) != 8]
        return queryset.filter(Q(**{f"{field_name}__ars__in": ars}) | Q(**{f"{field_name}__ags__in": ags}))

    return CharInFilter(method=filtern, label=label)


def datum_bereich(field_name, label):
    return django_filters.DateFromToRangeFilter(field_name=field_name, label=label)


class LageFilterSet(ApiFilterSet):
    suchfelder = ("name", "slug")
    slug = schluessel_in("slug", _("Slug, mehrere mit Komma"))
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("Name enthält"))
    themenfeld = schluessel_in("themenfeld__slug", _("Slug des Themenfelds, mehrere mit Komma"))

    class Meta:
        model = Lage
        fields = []


class LeistungFilterSet(ApiFilterSet):
    ozg_id = ozg_id_in("ozg_id")
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("Name enthält"))
    lage = schluessel_in("lage__slug", _("Slug der Lage, mehrere mit Komma"))
    themenfeld = schluessel_in("lage__themenfeld__slug", _("Slug des Themenfelds, mehrere mit Komma"))
    vollzug = choices_in("vollzug", Vollzug.choices, _("Vollzug laut Typisierung, mehrere mit Komma"))
    leika_schluessel = CharInFilter(method="filter_leika_schluessel", label=_("LeiKa-Schlüssel, mehrere mit Komma"))
    labor = CharInFilter(method="filter_labor", label=_("Slug eines Labors, das die Leistung bearbeitet"))

    class Meta:
        model = Leistung
        fields = []

    def filter_leika_schluessel(self, queryset, name, value):
        return queryset.filter(Exists(LeikaLeistung.objects.filter(leistung=OuterRef("pk"), schluessel__in=value)))

    def filter_labor(self, queryset, name, value):
        return queryset.filter(
            Exists(Leistung.labore.through.objects.filter(leistung=OuterRef("pk"), labor__slug__in=value))
        )

    def filter_q(self, queryset, name, value):
        """Name (all words), OZG-ID or LeiKa-Schlüssel."""
        value = value.strip()
        if value.isdigit():
            return queryset.filter(
                Q(ozg_id=int(value)) | Exists(LeikaLeistung.objects.filter(leistung=OuterRef("pk"), schluessel=value))
            )
        for wort in value.split():
            queryset = queryset.filter(name__icontains=wort)
        return queryset


class LeikaLeistungFilterSet(ApiFilterSet):
    suchfelder = ("bezeichnung", "schluessel", "gesetzeskuerzel")
    feldfilter = {"schluessel": "leika_schluessel"}

    zeile = ozg_id_in("zeile", _("Zeile im Katalog, mehrere mit Komma"))
    leika_schluessel = schluessel_in("schluessel", _("LeiKa-Schlüssel, mehrere mit Komma"))
    im_leika = BooleanFilter(
        field_name="schluessel", method="filter_im_leika", label=_("Hat einen LeiKa-Schlüssel (true/false)")
    )
    bezeichnung = django_filters.CharFilter(lookup_expr="icontains", label=_("Bezeichnung enthält"))
    leistung = ozg_id_in()
    ohne_leistung = BooleanFilter(
        field_name="leistung", lookup_expr="isnull", label=_("Keiner OZG-Leistung zugeordnet (true/false)")
    )
    themenfeld = schluessel_in("leistung__lage__themenfeld__slug", _("Slug des Themenfelds, mehrere mit Komma"))
    typisierung = schluessel_in("typisierung", _("Typisierung wie geschrieben, mehrere mit Komma"))
    vollzug = choices_in("vollzug", Vollzug.choices, _("Vollzug laut Typisierung, mehrere mit Komma"))
    sdg1 = BooleanFilter()
    sdg2 = BooleanFilter()
    gesetze = django_filters.CharFilter(lookup_expr="icontains", label=_("Gesetze enthalten"))
    gesetzeskuerzel = schluessel_in("gesetzeskuerzel", _("Gesetzeskürzel, mehrere mit Komma"))
    rechtsgrundlage = django_filters.CharFilter(lookup_expr="icontains", label=_("Rechtsgrundlage enthält"))

    class Meta:
        model = LeikaLeistung
        fields = []

    def filter_im_leika(self, queryset, name, value):
        return queryset.exclude(schluessel="") if value else queryset.filter(schluessel="")


class GebietskoerperschaftFilterSet(ApiFilterSet):
    suchfelder = ("name",)
    ars = schluessel_in("ars", _("Regionalschlüssel, mehrere mit Komma"))
    ags = schluessel_in("ags", _("Gemeindeschlüssel, mehrere mit Komma"))
    ebene = choices_in("ebene", Ebene.choices, _("Ebene, mehrere mit Komma"))
    textkennzeichen = ChoiceInFilter(
        field_name="textkennzeichen",
        choices=Textkennzeichen.choices,
        label=_("Art (Textkennzeichen), mehrere mit Komma"),
    )
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("Name enthält"))
    parent = gebiet_filter("parent", _("Übergeordnete Gebietskörperschaft (ARS), mehrere mit Komma"))
    land = laender_filter()
    kreis = gebiet_filter("kreis", _("Kreis (ARS, 5 Ziffern), mehrere mit Komma"))
    plz = schluessel_in("plz", _("Postleitzahl des Verwaltungssitzes, mehrere mit Komma"))

    class Meta:
        model = Gebietskoerperschaft
        fields = {
            "einwohner": ["gte", "lte"],
            "flaeche": ["gte", "lte"],
            "laengengrad": ["gte", "lte"],
            "breitengrad": ["gte", "lte"],
        }

    def filter_q(self, queryset, name, value):
        """Name (all words), ARS or AGS."""
        value = value.strip()
        if value.isdigit():
            return queryset.filter(Q(ars__startswith=value) | Q(ags=value))
        return super().filter_q(queryset, name, value)


class OrganisationFilterSet(ApiFilterSet):
    suchfelder = ("kurzname", "name")
    slug = schluessel_in("slug", _("Slug, mehrere mit Komma"))
    kurzname = schluessel_in("kurzname", _("Kurzname, mehrere mit Komma"))
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("Name enthält"))
    art = choices_in("art", OrganisationArt.choices, _("Art, mehrere mit Komma"))
    land = laender_filter()

    class Meta:
        model = Organisation
        fields = []


class ZustaendigkeitFilterSet(ApiFilterSet):
    suchfelder = ("leistung__name", "rechtsgrundlage", "bemerkung")
    land = laender_filter()
    leistung = ozg_id_in()
    leika_leistung = NumberInFilter(
        field_name="leika_leistung__zeile", lookup_expr="in", label=_("Zeile der LeiKa-Leistung, mehrere mit Komma")
    )
    ganze_leistung = BooleanFilter(
        field_name="leika_leistung", lookup_expr="isnull", label=_("Gilt für die ganze OZG-Leistung (true/false)")
    )
    ebene = choices_in("ebene", VollzugsEbene.choices, _("Vollziehende Ebene, mehrere mit Komma"))
    rechtsgrundlage = django_filters.CharFilter(lookup_expr="icontains", label=_("Rechtsgrundlage enthält"))
    bemerkung = django_filters.CharFilter(lookup_expr="icontains", label=_("Bemerkung enthält"))
    geaendert_am = IsoZeitraumFilter(label=_("Geändert zwischen: geaendert_am_after, geaendert_am_before (ISO 8601)"))

    class Meta:
        model = Zustaendigkeit
        fields = []


class UmsetzungsstandFilterSet(ApiFilterSet):
    suchfelder = ("leistung__name", "bemerkung")
    land = laender_filter()
    leistung = ozg_id_in()
    themenfeld = schluessel_in("leistung__lage__themenfeld__slug", _("Slug des Themenfelds, mehrere mit Komma"))
    status = choices_in("status", UmsetzungsStatus.choices, _("Status, mehrere mit Komma"))
    reifegradmodell = choices_in("reifegradmodell", Reifegradmodell.choices, _("Reifegradmodell"))
    efa_anbieter = laender_filter("efa_anbieter", _("EfA-Land: ARS oder Kürzel, mehrere mit Komma"))
    nachnutzend = BooleanFilter(method="filter_nachnutzend", label=_("Nutzt den EfA-Dienst eines anderen Landes"))
    online_url = django_filters.CharFilter(lookup_expr="icontains", label=_("Adresse enthält"))
    stand = datum_bereich("stand", _("Stand zwischen: stand_after, stand_before (JJJJ-MM-TT)"))
    bemerkung = django_filters.CharFilter(lookup_expr="icontains", label=_("Bemerkung enthält"))

    class Meta:
        model = Umsetzungsstand
        fields = {"reifegrad": ["exact", "gte", "lte"]}

    def filter_nachnutzend(self, queryset, name, value):
        nachnutzend = Q(efa_anbieter__isnull=False) & ~Q(efa_anbieter=F("land"))
        return queryset.filter(nachnutzend) if value else queryset.exclude(nachnutzend)


class KommunaleUmsetzungFilterSet(ApiFilterSet):
    suchfelder = ("leistung__name", "kommune__name")
    kommune = gebiet_filter("kommune", _("Kommune: ARS oder AGS, mehrere mit Komma"))
    land = laender_filter("kommune__land")
    leistung = ozg_id_in()
    status = choices_in("status", Anschlussstatus.choices, _("Status, mehrere mit Komma"))
    geplant_bis = datum_bereich("geplant_bis", _("Geplant bis zwischen: geplant_bis_after, geplant_bis_before"))
    online_url = django_filters.CharFilter(lookup_expr="icontains", label=_("Adresse enthält"))
    stand = datum_bereich("stand", _("Stand zwischen: stand_after, stand_before (JJJJ-MM-TT)"))
    synthetisch = BooleanFilter(label=_("Nur für Lasttests erzeugt (true/false)"))

    class Meta:
        model = KommunaleUmsetzung
        fields = []


class KommuneLeistungFilterSet(ApiFilterSet):
    """Filters of ``/kommunen/<schlüssel>/leistungen/`` (over ``Leistung.objects.fuer_kommune``)."""

    ozg_id = ozg_id_in("ozg_id")
    themenfeld = schluessel_in("lage__themenfeld__slug", _("Slug des Themenfelds, mehrere mit Komma"))
    lage = schluessel_in("lage__slug", _("Slug der Lage, mehrere mit Komma"))
    vollzug = choices_in("vollzug", Vollzug.choices, _("Vollzug laut Typisierung, mehrere mit Komma"))
    ebene = choices_in("ebene", EffektiveEbene.choices, _("Vollziehende Ebene im Land, mehrere mit Komma"))
    abgeleitet = BooleanFilter(
        field_name="zustaendigkeit_erfasst", lookup_expr="isnull", label=_("Ebene nur abgeleitet (true/false)")
    )
    land_status = choices_in("land_status", UmsetzungsStatus.choices, _("Umsetzungsstand im Land, mehrere mit Komma"))
    kommune_status = choices_in("kommune_status", Anschlussstatus.choices, _("Anschlussstatus, mehrere mit Komma"))

    class Meta:
        model = Leistung
        fields = []

    filter_q = LeistungFilterSet.filter_q
