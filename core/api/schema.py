"""drf-spectacular glue: nested-summary fields, problem-details errors, export formats, cache validators."""

from django.db import models

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes

from .fields import URL_MAX, URL_MUSTER
from .filters import ZEITPUNKT_MUSTER_TEXT

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Fehler nach RFC 9457 (Problem Details).",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "parameter": {"type": "string", "description": "Name des fehlerhaften Query-Parameters."},
                    "field": {"type": "string", "description": "Name des fehlerhaften Feldes im Body."},
                    "code": {"type": "string"},
                    "detail": {"type": "string"},
                },
                "required": ["code", "detail"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}

FEHLER = {
    "400": "Ungültige Anfrage; `errors` nennt jeden fehlerhaften Parameter bzw. jedes Feld.",
    "401": "Nicht angemeldet.",
    "403": "Keine Berechtigung.",
    "404": "Nicht gefunden.",
    "406": "Format nicht verfügbar.",
    "409": "Konflikt mit den gespeicherten Daten: Schlüssel vergeben, Verweis ins Leere, Eintrag noch in Gebrauch.",
    "415": "Medientyp nicht unterstützt.",
    "429": "Zu viele Anfragen; `Retry-After` nennt die Wartezeit in Sekunden.",
}

VALIDATOR_HEADERS = {
    "ETag": {"schema": {"type": "string"}, "description": "Schwacher Validator des Datenstands."},
    "Last-Modified": {"schema": {"type": "string"}, "description": "Zeitpunkt der letzten Änderung."},
}

EXPORT_MEDIA = {
    "text/csv": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}
    },
}

API_KEY_SCHEME = {
    "type": "apiKey",
    "in": "header",
    "name": "Authorization",
    "description": "API-Schlüssel aus der Verwaltung, als `Api-Key <Schlüssel>`. Nötig nur zum Schreiben.",
}

FORMAT_PARAMETER = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": "Ausgabeformat: json (Standard), csv oder xlsx. Exporte enthalten die ganze gefilterte Liste.",
    # "" is read as the default (JSON), as DRF reads an empty format.
    "schema": {"type": "string", "enum": ["json", "csv", "xlsx", ""]},
}


class NestedKeyFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "core.api.fields.NestedKeyField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            return auto_schema.resolve_serializer(self.target.summary, direction).ref
        model_field = self.target.queryset.model._meta.get_field(self.target.slug_field)
        if isinstance(model_field, models.IntegerField):
            return build_basic_type(OpenApiTypes.INT)
        schema = build_basic_type(OpenApiTypes.STR)
        if not self.target.allow_null:
            # "" would be read as null, which a required reference refuses.
            schema["minLength"] = 1
        return schema


class WebAdresseExtension(OpenApiSerializerFieldExtension):
    """A web address: the pattern in requests (the server checks it); in answers any stored address, as rows
    written before or by an import were checked by Django's URLValidator only."""

    target_class = "core.api.fields.WebAdresse"

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "string", "maxLength": URL_MAX}
        if direction == "request":
            schema["pattern"] = URL_MUSTER
        return schema


#: Integer bounds that come from the database backend (SQLite: 64 bit, PostgreSQL: 32/16 bit), not from the domain.
DB_GRENZEN = {32767, 2147483647, 9223372036854775807, -32768, -2147483648, -9223372036854775808}
#: What a request may send: PostgreSQL's range, checked on both databases (``catalog.api.serializers``).
ANFRAGE_GRENZEN = DB_GRENZEN - {9223372036854775807, -9223372036854775808}


def _ohne_db_grenzen(knoten, behalten=frozenset()):
    """Drop backend-specific integer bounds, so the schema is the same on SQLite and PostgreSQL; request bodies keep
    PostgreSQL's range (``behalten``), which the server checks on both."""
    if isinstance(knoten, dict):
        for grenze in ("maximum", "minimum"):
            wert = knoten.get(grenze)
            if isinstance(wert, int) and wert in DB_GRENZEN and wert not in behalten:
                del knoten[grenze]
        if knoten.get("type") == "integer" and knoten.get("format") == "int64":
            del knoten["format"]
        for wert in knoten.values():
            _ohne_db_grenzen(wert, behalten)
    elif isinstance(knoten, list):
        for wert in knoten:
            _ohne_db_grenzen(wert, behalten)


#: A reference day as themenfelder's ``stand_am`` reads it: a date (JJJJ-MM-TT) or the word "aktuell"; empty is
#: no filter (as for every django-filter parameter).
STICHTAG_PARAMETER = {"stand_am"}
STICHTAG_SCHEMA = {"oneOf": [{"type": "string", "format": "date"}, {"type": "string", "enum": ["aktuell", ""]}]}


#: The federal dashboard's API (``dashboard/``) speaks the federal interface: JSON errors, no ``format``.
BUNDESDASHBOARD = "/api/dashboard/"


def _bundesdashboard(operation):
    operation["security"] = [{}]
    antworten = operation.setdefault("responses", {})
    antworten.setdefault(
        "429", {"description": FEHLER["429"], "content": {"application/json": {"schema": {"type": "object"}}}}
    )
    ok = antworten.get("200")
    if ok:
        ok.setdefault("headers", {}).update(VALIDATOR_HEADERS)
    antworten["304"] = {
        "description": "Nicht geändert (If-None-Match oder If-Modified-Since passt).",
        "headers": VALIDATOR_HEADERS,
    }


def _anfrage_exakt(komponente: dict) -> None:
    """State in a request body's schema what the server checks beyond the serializer's own field types.

    DRF's CharField refuses NUL characters and trims spaces before it checks for blank, so a free text says both
    with a pattern. (Unknown fields are ignored, as DRF does, so the body may carry others.)
    """
    if komponente.get("type") != "object":
        return
    for eigenschaft in komponente.get("properties", {}).values():
        for teil in (eigenschaft, *eigenschaft.get("oneOf", []), eigenschaft.get("items") or {}):
            frei = teil.get("type") == "string" and not teil.keys() & {"enum", "pattern", "format"}
            if frei and not teil.get("readOnly") and teil.get("maxLength") != 0:
                # A required text is trimmed, then must not be empty: it needs one character that is no space.
                teil["pattern"] = "^[^\\x00]*[^\\s\\x00][^\\x00]*$" if teil.get("minLength") else "^[^\\x00]*$"


def postprocess(result, generator, request, public):
    """Add problem-details errors, 304 with validators, and the export formats to every operation."""
    for name, komponente in result.get("components", {}).get("schemas", {}).items():
        _ohne_db_grenzen(komponente, ANFRAGE_GRENZEN if name.endswith("Request") else frozenset())
    _ohne_db_grenzen(result.get("paths", {}))
    for name, komponente in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            _anfrage_exakt(komponente)
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    problem_ref = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    result["components"].setdefault("securitySchemes", {})["ApiKey"] = API_KEY_SCHEME
    for pfad, operationen in result.get("paths", {}).items():
        for methode, operation in operationen.items():
            if pfad.startswith(BUNDESDASHBOARD):
                _bundesdashboard(operation)
                continue
            if methode == "get":
                operation["security"] = [{}]  # public read
            else:
                operation["security"] = [{"ApiKey": []}, {"cookieAuth": []}]
            antworten = operation.setdefault("responses", {})
            codes = ["400", "404", "406", "429"]
            if methode != "get":
                codes += ["401", "403", "409", "415"]
            for code in codes:
                antworten.setdefault(code, {"description": FEHLER[code], "content": problem_ref})
            parameter = operation.setdefault("parameters", [])
            # Writes answer in JSON: a write has no export format.
            parameter[:] = [p for p in parameter if not (p.get("in") == "query" and p.get("name") == "format")]
            if methode != "get":
                continue
            for p in parameter:
                if p.get("in") != "query":
                    continue
                schema = p.get("schema", {})
                # Django's form fields refuse NUL characters; say so, so that no client sends one.
                if schema.get("type") == "number":
                    # core.api.filters refuses numbers beyond ±1e50 (ZAHL_GRENZE).
                    schema.setdefault("maximum", 1e50)
                    schema.setdefault("minimum", -1e50)
                if schema.get("format") == "date-time":
                    schema["pattern"] = ZEITPUNKT_MUSTER_TEXT  # what core.api.filters checks
                if p.get("name") in STICHTAG_PARAMETER:
                    p["schema"] = STICHTAG_SCHEMA
                    continue
                for teil in (schema, schema.get("items") or {}):
                    if teil.get("type") == "string" and not teil.keys() & {"enum", "pattern", "format"}:
                        teil["pattern"] = "^[^\\x00]*$"
            parameter.append(FORMAT_PARAMETER)
            ok = antworten.get("200")
            if ok:
                ok.setdefault("headers", {}).update(VALIDATOR_HEADERS)
                ok.setdefault("content", {}).update(EXPORT_MEDIA)
            antworten["304"] = {
                "description": "Nicht geändert (If-None-Match oder If-Modified-Since passt).",
                "headers": VALIDATOR_HEADERS,
            }
    return result
