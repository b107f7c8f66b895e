"""The federal dashboard's API over the portal's data: ``GET v1/data``, ``v1/data/{ars}``, ``v1/ars``.

Speaks exactly the federal interface (``dashboard/spec/openapi.yaml``): its parameter names, its paging envelope
in the Spring style (``page`` starts at 0), its field names and value sets, and JSON errors with a Spring-like
body. Paging parameters are read as Spring reads them: a value that is no number, or out of range, falls back
to the default (page 0, size 100; size at most 2000). Enumerated parameters (``order``, ``includeAbove``,
``includeBelow``, ``filetype``) and the 12-digit ``ars`` are checked: anything else is a 400.
ETag, Last-Modified and 304 come from the portal's Datenstand, as everywhere in the API.
"""

import math

from django.http import JsonResponse
from django.utils import timezone

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, renderers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import Gebietskoerperschaft
from core.api.views import ConditionalGetMixin
from core.datenstand import datenstand_der_anfrage
from core.exports import DEUTSCHES_EXCEL, csv_response, xlsx_response

from .. import querysets
from ..choices import ARS_BUND, SPALTEN
from .serializers import FehlerSerializer, PageArsSerializer, PageDvDataSerializer

# The federal API answers files as a plain byte stream.
DATEI_TYP = "application/octet-stream"

GROESSE_STANDARD = 100
GROESSE_MAX = 2000  # Spring Data's default max page size
SEITE_MAX = 2**31 - 1


class ImmerJSON(BaseContentNegotiation):
    """The federal API answers JSON whatever ``Accept`` says (files are asked for with ``filetype``)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class Fehler(Exception):
    def __init__(self, meldung: str):
        self.meldung = meldung


def _ganzzahl(wert, standard: int, kleinste: int, groesste: int) -> int:
    try:
        zahl = int(str(wert).strip())
    except (TypeError, ValueError):
        return standard
    if zahl < kleinste:
        return standard if kleinste > 0 else kleinste
    return min(zahl, groesste)


def _wahl(request, name: str, erlaubt: tuple[str, ...], standard: str) -> str:
    wert = request.query_params.get(name, standard)
    if wert not in erlaubt:
        raise Fehler(f"Parameter {name}: erlaubt sind {', '.join(erlaubt)}, nicht „{wert}“")
    return wert


def _seite_groesse(request) -> tuple[int, int]:
    seite = _ganzzahl(request.query_params.get("page"), 0, 0, SEITE_MAX)
    groesse = _ganzzahl(request.query_params.get("size"), GROESSE_STANDARD, 1, GROESSE_MAX)
    return seite, groesse


def seite(inhalt: list, gesamt: int, nummer: int, groesse: int) -> dict:
    """The Spring ``Page`` envelope of the federal API."""
    sortierung = {"unsorted": False, "sorted": True, "empty": False}
    seiten = math.ceil(gesamt / groesse) if groesse else 0
    return {
        "totalPages": seiten,
        "totalElements": gesamt,
        "pageable": {
            "paged": True,
            "unpaged": False,
            "pageNumber": nummer,
            "pageSize": groesse,
            "offset": nummer * groesse,
            "sort": sortierung,
        },
        "numberOfElements": len(inhalt),
        "size": groesse,
        "content": inhalt,
        "number": nummer,
        "sort": sortierung,
        "first": nummer == 0,
        "last": nummer >= seiten - 1,
        "empty": not inhalt,
    }


_PAGING = [
    OpenApiParameter("order", str, enum=["asc", "desc"], default="asc", description="Sortierung (ARS, LeiKa)"),
    OpenApiParameter("page", str, default="0", description="Seite, ab 0; keine Zahl: 0"),
    OpenApiParameter("size", str, default="100", description="Zeilen je Seite, 1–2000; sonst 100"),
]
_FEHLER = OpenApiResponse(FehlerSerializer, description="Ungültiger Parameter")


class BundesApiView(ConditionalGetMixin, APIView):
    """Shared behaviour: JSON always, Spring-like JSON errors, conditional GET."""

    http_method_names = ["get", "head", "options"]
    # Read-only: every other method is answered 405 by dispatch, not 403 by the portal's write permission.
    permission_classes = [permissions.AllowAny]
    renderer_classes = [renderers.JSONRenderer]
    content_negotiation_class = ImmerJSON
    pagination_class = None

    def handle_exception(self, exc):
        if isinstance(exc, Fehler):
            return Response(self._fehler(400, exc.meldung), status=400)
        return super().handle_exception(exc)

    def _fehler(self, status: int, meldung: str) -> dict:
        return {
            "timestamp": timezone.now().isoformat(),
            "status": status,
            "error": "Bad Request" if status == 400 else "Error",
            "message": meldung,
            "path": self.request.path,
        }

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and isinstance(response, Response):
            # The federal interface documents its errors as application/json, not problem details.
            response.accepted_renderer = renderers.JSONRenderer()
            response.accepted_media_type = "application/json"
            response.content_type = "application/json"
        return response


def _datenseite(request, bereich) -> Response:
    absteigend = _wahl(request, "order", ("asc", "desc"), "asc") == "desc"
    nummer, groesse = _seite_groesse(request)
    # Counted once per Datenstand (the token the ETag names), then each page reads only the Gebietskörperschaften
    # it touches: no count and no sort over all rows of a Land per page.
    gruppen = querysets.gruppen_gecacht(bereich, datenstand_der_anfrage(request))
    gesamt = sum(g.anzahl for g in gruppen)
    inhalt = []
    if nummer * groesse < gesamt:
        inhalt = querysets.seite_lesen(bereich, gruppen, absteigend=absteigend, offset=nummer * groesse, limit=groesse)
    return Response(seite(inhalt, gesamt, nummer, groesse))


class DataView(BundesApiView):
    @extend_schema(
        operation_id="dashboard_findAll",
        tags=["Bundesdashboard"],
        summary="Alle Zeilen im Format des Dashboards Digitale Verwaltung",
        description="OZG-Leistungen mit Status je Gebietskörperschaft, seitenweise (Format der Bundes-API).",
        parameters=_PAGING,
        responses={200: PageDvDataSerializer, 400: _FEHLER},
    )
    def get(self, request):
        return _datenseite(request, querysets.Bereich(alle=True, bund=True))


def _gebiet_zu_ars12(ars: str):
    """The Gebietskörperschaft of a 12-digit ARS (or None for the Bund); raises Fehler if unknown."""
    if ars == ARS_BUND:
        return None
    kandidaten = [ars] + [ars[:n] for n in (9, 5, 4, 3, 2) if ars[n:].strip("0") == ""]
    gefunden = {g.ars: g for g in Gebietskoerperschaft.objects.filter(ars__in=kandidaten)}
    for k in kandidaten:
        if k in gefunden:
            return gefunden[k]
    return False


class DataArsView(BundesApiView):
    @extend_schema(
        operation_id="dashboard_findByFilter",
        tags=["Bundesdashboard"],
        summary="Zeilen einer Gebietskörperschaft, mit darüber- und darunterliegenden",
        description=(
            "Wie `/v1/data/{ars}` der Bundes-API. `includeAbove`: auch Zeilen von Land, Kreis, Gemeindeverband und "
            "bundesweite; `includeBelow`: auch alle Gebietskörperschaften darunter. `filetype=csv|xlsx`: die ganze "
            "Ergebnismenge als Datei (CSV mit Semikolon, UTF-8 mit BOM), ohne Seiten. Unbekannter, aber gültiger "
            "Regionalschlüssel: leere Seite."
        ),
        parameters=[
            OpenApiParameter("ars", str, OpenApiParameter.PATH, pattern=r"^\d{12}$", description="12-stelliger ARS"),
            OpenApiParameter("filetype", str, enum=["csv", "xlsx"], description="Datei statt JSON-Seite"),
            *_PAGING,
            OpenApiParameter("includeAbove", str, enum=["true", "false"], default="true"),
            OpenApiParameter("includeBelow", str, enum=["true", "false"], default="true"),
        ],
        responses={
            (200, "application/json"): PageDvDataSerializer,
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            (400, "application/json"): FehlerSerializer,
        },
    )
    def get(self, request, ars):
        if not (len(ars) == 12 and ars.isdigit()):
            raise Fehler(f"ars: 12 Ziffern erwartet, nicht „{ars}“")
        oberhalb = _wahl(request, "includeAbove", ("true", "false"), "true") == "true"
        unterhalb = _wahl(request, "includeBelow", ("true", "false"), "true") == "true"
        dateityp = request.query_params.get("filetype")
        if dateityp is not None:
            _wahl(request, "filetype", ("csv", "xlsx"), "csv")
        gebiet = _gebiet_zu_ars12(ars)
        if gebiet is False:
            # A well-formed key the Gemeindeverzeichnis does not know: no rows, as the federal API answers.
            _wahl(request, "order", ("asc", "desc"), "asc")
            nummer, groesse = _seite_groesse(request)
            if dateityp:
                return datei(dateityp, [], ars)
            return Response(seite([], 0, nummer, groesse))
        bereich = querysets.Bereich.fuer(gebiet, oberhalb=oberhalb, unterhalb=unterhalb)
        if dateityp:
            absteigend = _wahl(request, "order", ("asc", "desc"), "asc") == "desc"
            return datei(dateityp, querysets.zeilen(bereich, absteigend=absteigend), ars)
        return _datenseite(request, bereich)


def datei(dateityp: str, zeilen, ars: str):
    """The rows as a CSV (German Excel: ``;``, UTF-8 with BOM, streamed) or XLSX file, with the federal column names."""
    name = f"dashboard-{ars}.{dateityp}"
    werte = ([zeile[s] for s in SPALTEN] for zeile in zeilen)
    if dateityp == "csv":
        return csv_response(name, SPALTEN, werte, DEUTSCHES_EXCEL, stream=True, content_type=DATEI_TYP)
    return xlsx_response(name, SPALTEN, werte, "data", content_type=DATEI_TYP)


class ArsView(BundesApiView):
    @extend_schema(
        operation_id="dashboard_findAllArs",
        tags=["Bundesdashboard"],
        summary="Regionalschlüssel und Namen aller Gebietskörperschaften",
        description="Wie `/v1/ars` der Bundes-API; der Regionalschlüssel ist auf 12 Stellen mit Nullen aufgefüllt.",
        parameters=_PAGING,
        responses={200: PageArsSerializer, 400: _FEHLER},
    )
    def get(self, request):
        absteigend = _wahl(request, "order", ("asc", "desc"), "asc") == "desc"
        nummer, groesse = _seite_groesse(request)
        qs = Gebietskoerperschaft.objects.order_by("-ars" if absteigend else "ars")
        gesamt = qs.count()
        inhalt = [
            {"ars": ars.ljust(12, "0"), "arsName": name}
            for ars, name in qs.values_list("ars", "name")[nummer * groesse : (nummer + 1) * groesse]
        ]
        return Response(seite(inhalt, gesamt, nummer, groesse))


def nicht_gefunden_view(request, *args, **kwargs):
    return JsonResponse(
        {"status": 404, "error": "Not Found", "message": "Diese Adresse gibt es nicht.", "path": request.path},
        status=404,
    )
