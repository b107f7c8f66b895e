"""API views of the catalogue. Declarative: a prefetching queryset, serializer, FilterSet, ordering, lookup."""

from django.db.models import Aggregate, CharField, Count, F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

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
from core.api.pagination import CursorPagination, SeitenPagination
from core.api.renderers import CSVRenderer, SchnellJSONRenderer, XLSXRenderer
from core.api.views import ReadWriteViewSet, SchluesselLookupMixin
from core.datenstand import datenstand_der_anfrage

from .. import kommunenliste, listenbereiche
from ..filtersets import api as filtersets
from ..leistungskatalog import katalog_der_anfrage
from . import serializers


class KommaListe(Aggregate):
    """Comma-joined values of a group: GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="STRING_AGG", **extra_context)


def leika_liste():
    """The LeiKa-Schlüssel of each Leistung as one column: no prefetch query, no model instance per key."""
    return Subquery(
        LeikaLeistung.objects.filter(leistung=OuterRef("pk"))
        .exclude(schluessel="")
        .order_by()
        .values("leistung")
        .annotate(liste=KommaListe("schluessel"))
        .values("liste")
    )


#: Parameters that leave a Kommune's list whole and in its default order (paging and format only).
GANZE_LISTE_PARAMETER = frozenset({"format", "page", "page_size"})

#: Labore of a Leistung, through the reverse relation: labore sits above catalog and is not imported here.
LABORE = Leistung.labore.rel.related_model.objects


def anzahl(model, feld, **filter):
    """A correlated COUNT subquery: cheaper than JOIN + GROUP BY on a paginated list."""
    return Coalesce(
        Subquery(
            model.objects.filter(**{feld: OuterRef("pk")}, **filter)
            .order_by()
            .values(feld)
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


class LageViewSet(ReadWriteViewSet):
    queryset = Lage.objects.select_related("themenfeld").annotate(leistungen_anzahl=anzahl(Leistung, "lage"))
    serializer_class = serializers.LageSerializer
    filterset_class = filtersets.LageFilterSet
    lookup_field = "slug"
    ordering_fields = ["slug", "name", "leistungen_anzahl"]
    ordering = ["themenfeld__name", "name"]

    def datenstand_bereich(self):
        return listenbereiche.katalog()


class LeistungViewSet(ReadWriteViewSet):
    queryset = (
        Leistung.objects.select_related("lage__themenfeld")
        .annotate(leika_liste=leika_liste())
        .prefetch_related(Prefetch("labore", queryset=LABORE.only("slug", "titel", "pilot").order_by("slug")))
    )
    serializer_class = serializers.LeistungSerializer
    filterset_class = filtersets.LeistungFilterSet
    lookup_field = "ozg_id"
    lookup_value_regex = r"[0-9]{5}"
    ordering_fields = ["ozg_id", "name", "vollzug"]
    ordering = ["ozg_id"]

    def datenstand_bereich(self):
        return listenbereiche.katalog()


class LeikaLeistungViewSet(ReadWriteViewSet):
    """LeiKa-Leistungen, addressed by their line in the 2019 catalogue (``zeile``).

    A LeiKa-Schlüssel is no usable address: 436 rows have none and a key can appear under several
    OZG-Leistungen. ``zeile`` is the unique key the import keeps stable; find rows by key with
    ``?leika_schluessel=…``.
    """

    queryset = LeikaLeistung.objects.select_related("leistung").annotate(leika_schluessel=F("schluessel"))
    serializer_class = serializers.LeikaLeistungSerializer
    filterset_class = filtersets.LeikaLeistungFilterSet
    pagination_class = CursorPagination
    lookup_field = "zeile"
    lookup_value_regex = r"[0-9]+"
    ordering_fields = ["zeile", "leika_schluessel", "bezeichnung"]
    ordering = ["zeile"]

    def datenstand_bereich(self):
        return listenbereiche.katalog()


@extend_schema_view(
    leistungen=extend_schema(
        responses=serializers.KommuneLeistungSerializer(many=True),
        summary="OZG-Leistungen einer Kommune",
        description=(
            "Dieselbe Liste wie die Seite der Kommune: jede OZG-Leistung mit der vollziehenden Ebene im Land der "
            "Kommune (erfasst, sonst aus der Typisierung abgeleitet), dem Umsetzungsstand im Land und dem "
            "Anschlussstatus der Kommune."
        ),
    )
)
class GebietskoerperschaftViewSet(ReadWriteViewSet):
    """All Gebietskörperschaften: Länder, Regierungsbezirke, Kreise, Gemeindeverbände, Gemeinden.

    Addressed by AGS (8 digits, Gemeinden) or Regionalschlüssel (2, 3, 4, 5, 9 or 12 digits).
    Read-only: Destatis reference data, loaded by ``import_gemeindeverzeichnis``.
    """

    # Of the portal's roles only FITKO may change reference data, and it does so by that import: no write in the
    # API is least privilege (405; the schema declares none, so a write's ARS-per-Ebene rules need no statement).
    http_method_names = ["get", "head", "options"]

    queryset = Gebietskoerperschaft.objects.select_related("parent", "land", "kreis")
    serializer_class = serializers.GebietskoerperschaftSerializer
    filterset_class = filtersets.GebietskoerperschaftFilterSet
    pagination_class = CursorPagination
    lookup_field = "schluessel"
    lookup_value_regex = r"[0-9]{2,12}"
    ordering_fields = ["ars", "name"]
    ordering = ["ars"]

    def get_object(self):
        gebiet = get_object_or_404(self.get_queryset().by_schluessel(self.kwargs["schluessel"]))
        self.check_object_permissions(self.request, gebiet)
        return gebiet

    def datenstand_bereich(self):
        # One body's answers change only with writes in its Bereich (core.datenstand), a list narrowed to Länder
        # only with the structural entries there; other lists stay global.
        if self.action in ("retrieve", "leistungen") and "schluessel" in self.kwargs:
            return kommunenliste.gebiet_bereich(self.kwargs["schluessel"])
        if self.action == "list":
            return listenbereiche.in_den_laendern(self.request)
        return None

    @action(
        detail=True,
        methods=["get"],
        # The action lists Leistungen: the FilterSet and the schema look at this queryset's model.
        queryset=Leistung.objects.all(),
        serializer_class=serializers.KommuneLeistungSerializer,
        filterset_class=filtersets.KommuneLeistungFilterSet,
        pagination_class=SeitenPagination,
        # The formats of every list; JSON by orjson (the answer has no floats, see SchnellJSONRenderer).
        renderer_classes=[SchnellJSONRenderer, CSVRenderer, XLSXRenderer],
        ordering_fields=["ozg_id", "name", "ebene", "vollzug", "land_status", "kommune_status"],
        ordering=["ozg_id"],
    )
    def leistungen(self, request, schluessel=None, format=None):  # noqa: A002 - format suffix from the router
        """The page's list as JSON: one query of tuples (``catalog.kommunenliste``), the rest from the catalogue.

        Without filter or ordering parameters the list is the whole list in its default order (OZG-ID): the
        Land's part from memory, the body's statuses by one query, paged in Python (no COUNT)."""
        gebiet = kommunenliste.gebiet_zum_schluessel(schluessel)
        if gebiet is None:
            raise Http404
        katalog = katalog_der_anfrage(request)
        context = {**self.get_serializer_context(), "gebiet": gebiet}
        if set(request.query_params) <= GANZE_LISTE_PARAMETER:
            stand = datenstand_der_anfrage(request)
            # Rows are built for the page only; the body's statuses by one query (none past the last page).
            alle = kommunenliste.ganze_liste_nach_ozg_id(gebiet, katalog, stand)
            page = self.paginate_queryset(alle)
            zeilen = alle if page is None else page
        else:
            tupel = kommunenliste.werte(self.filter_queryset(Leistung.objects.fuer_kommune(gebiet)))
            page = self.paginate_queryset(tupel)
            zeilen = kommunenliste.zeilen(tupel if page is None else page, katalog, sortiert=False)
        daten = serializers.KommuneLeistungSerializer(zeilen, many=True, context=context).data
        if page is None:  # an export: the whole list
            return Response(daten)
        return self.get_paginated_response(daten)


class OrganisationViewSet(ReadWriteViewSet):
    queryset = Organisation.objects.select_related("land")
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filtersets.OrganisationFilterSet
    lookup_field = "slug"
    ordering_fields = ["kurzname", "name", "art"]
    ordering = ["kurzname"]


class ZustaendigkeitViewSet(SchluesselLookupMixin, ReadWriteViewSet):
    """Who executes an OZG-Leistung in a Land, as recorded; key ``<Land-ARS>.<OZG-ID>[.<LeiKa-Zeile>]``."""

    queryset = Zustaendigkeit.objects.select_related("land", "leistung", "leika_leistung")
    serializer_class = serializers.ZustaendigkeitSerializer
    filterset_class = filtersets.ZustaendigkeitFilterSet
    ordering_fields = ["geaendert_am", "ebene"]
    ordering = ["land__ars", "leistung__ozg_id", "leika_leistung__zeile"]

    def datenstand_bereich(self):
        return listenbereiche.der_laender(self.request) if self.action == "list" else None

    def schluessel_filter(self, teile):
        if len(teile) == 2:
            return {"land__ars": teile[0], "leistung__ozg_id": int(teile[1]), "leika_leistung__isnull": True}
        if len(teile) == 3:
            return {"land__ars": teile[0], "leistung__ozg_id": int(teile[1]), "leika_leistung__zeile": int(teile[2])}
        return None


class UmsetzungsstandViewSet(SchluesselLookupMixin, ReadWriteViewSet):
    """Umsetzungsstand of an OZG-Leistung in a Land; key ``<Land-ARS>.<OZG-ID>``."""

    queryset = Umsetzungsstand.objects.select_related("land", "leistung", "efa_anbieter")
    serializer_class = serializers.UmsetzungsstandSerializer
    filterset_class = filtersets.UmsetzungsstandFilterSet
    ordering_fields = ["stand", "status", "reifegrad"]
    ordering = ["land__ars", "leistung__ozg_id"]

    def datenstand_bereich(self):
        return listenbereiche.der_laender(self.request) if self.action == "list" else None

    def schluessel_filter(self, teile):
        if len(teile) != 2:
            return None
        return {"land__ars": teile[0], "leistung__ozg_id": int(teile[1])}


class KommunaleUmsetzungViewSet(SchluesselLookupMixin, ReadWriteViewSet):
    """Whether a Kommune offers an OZG-Leistung online; key ``<ARS der Kommune>.<OZG-ID>``."""

    queryset = KommunaleUmsetzung.objects.select_related("kommune", "leistung")
    serializer_class = serializers.KommunaleUmsetzungSerializer
    filterset_class = filtersets.KommunaleUmsetzungFilterSet
    ordering_fields = ["stand", "status", "geplant_bis"]
    ordering = ["kommune__ars", "leistung__ozg_id"]

    def datenstand_bereich(self):
        return listenbereiche.der_kommunen(self.request) if self.action == "list" else None

    def schluessel_filter(self, teile):
        if len(teile) != 2:
            return None
        return {"kommune__ars": teile[0], "leistung__ozg_id": int(teile[1])}
