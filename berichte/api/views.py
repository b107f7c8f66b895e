"""Read-only API of the stored reports under /api/v1/berichte/: the current (or an earlier) build of each table,
the list of builds, and CSV/XLSX downloads (``?format=csv|xlsx``) of a whole table."""

from django.http import Http404
from django.urls import reverse

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import renderers, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from ..choices import Berichtsart
from ..exports import herunterladen
from ..models import Berichtslauf
from ..tabellen import TABELLEN, lauf_waehlen
from .serializers import ZEILEN_SERIALIZER, BerichtslaufSerializer


class _Datei(renderers.BaseRenderer):
    """Only announces the format; the view answers downloads with a finished file response."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CSVDatei(_Datei):
    media_type = "text/csv"
    format = "csv"


class XLSXDatei(_Datei):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


class Seiten(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class BerichteBasis(APIView):
    renderer_classes = [renderers.JSONRenderer, CSVDatei, XLSXDatei]
    content_negotiation_class = DefaultContentNegotiation
    filter_backends = []


LAUF_PARAMETER = OpenApiParameter("lauf", int, description="ein früherer Berichtslauf statt des aktuellen")


class BerichteListe(BerichteBasis):
    """The reports with their current build and the URLs of their tables."""

    renderer_classes = [renderers.JSONRenderer]

    @extend_schema(
        responses=inline_serializer(
            "Bericht",
            {
                "art": serializers.CharField(),
                "titel": serializers.CharField(),
                "aktueller_lauf": BerichtslaufSerializer(allow_null=True),
                "tabellen": serializers.DictField(child=serializers.URLField()),
            },
            many=True,
        )
    )
    def get(self, request):
        antwort = []
        for art in Berichtsart:
            lauf = Berichtslauf.objects.aktuell(art.value)
            antwort.append(
                {
                    "art": art.value,
                    "titel": str(art.label),
                    "aktueller_lauf": BerichtslaufSerializer(lauf).data if lauf else None,
                    "tabellen": {
                        s: request.build_absolute_uri(reverse(f"berichte-api:{s}"))
                        for s, t in TABELLEN.items()
                        if t.art == art.value
                    },
                }
            )
        return Response(antwort)


class LaeufeListe(BerichteBasis):
    """All builds, newest first (``?art=`` filters); earlier builds are kept with their figures."""

    renderer_classes = [renderers.JSONRenderer]

    @extend_schema(
        parameters=[OpenApiParameter("art", str, enum=Berichtsart.values)],
        responses=BerichtslaufSerializer(many=True),
    )
    def get(self, request):
        qs = Berichtslauf.objects.all()
        if request.query_params.get("art"):
            qs = qs.filter(art=request.query_params["art"])
        seiten = Seiten()
        seite = seiten.paginate_queryset(qs, request, view=self)
        return seiten.get_paginated_response(BerichtslaufSerializer(seite, many=True).data)


class TabelleAnsicht(BerichteBasis):
    """Rows of one report table from one build; the response names the build and its data state."""

    schluessel = None

    def get(self, request):
        tabelle = TABELLEN[self.schluessel]
        lauf = lauf_waehlen(tabelle.art, request.query_params.get("lauf"))
        if lauf is None:
            raise Http404("Dieser Bericht wurde noch nicht gebaut.")
        zeilen, angewandt = tabelle.zeilen(lauf, request.query_params)
        if request.accepted_renderer.format in ("csv", "xlsx"):
            return herunterladen(tabelle, lauf, zeilen, request.accepted_renderer.format, fuer_maschinen=True)
        seiten = Seiten()
        seite = seiten.paginate_queryset(zeilen, request, view=self)
        antwort = seiten.get_paginated_response(ZEILEN_SERIALIZER[self.schluessel](seite, many=True).data)
        antwort.data["lauf"] = BerichtslaufSerializer(lauf).data
        antwort.data["filter"] = {k: str(v) for k, v in angewandt.items()}
        return antwort


def tabellen_ansicht(schluessel):
    tabelle = TABELLEN[schluessel]
    parameter = [LAUF_PARAMETER, OpenApiParameter("format", str, enum=["json", "csv", "xlsx"])]
    parameter += [OpenApiParameter(name, str) for name in tabelle.filter]
    klasse = type(
        "".join(t.capitalize() for t in schluessel.split("-")) + "Ansicht",
        (TabelleAnsicht,),
        {"schluessel": schluessel, "__doc__": f"{tabelle.titel}: Zeilen eines gespeicherten Berichtslaufs."},
    )
    klasse.get = extend_schema(
        operation_id=f"berichte_{schluessel.replace('-', '_')}",
        parameters=parameter,
        responses={
            200: inline_serializer(
                f"{klasse.__name__}Seite",
                {
                    "count": serializers.IntegerField(),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "lauf": BerichtslaufSerializer(),
                    "filter": serializers.DictField(child=serializers.CharField()),
                    "results": ZEILEN_SERIALIZER[schluessel](many=True),
                },
            ),
            (200, "text/csv"): OpenApiTypes.BINARY,
        },
    )(_eigene_get())
    return klasse.as_view()


def _eigene_get():
    # A new function object per table: extend_schema stores its settings on the function it decorates.
    def get(self, request):
        return TabelleAnsicht.get(self, request)

    return get
