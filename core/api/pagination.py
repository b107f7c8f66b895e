"""Pagination: page numbers for the small lists, a cursor for the large ones (Kommunen, LeiKa-Leistungen).

Exports (``?format=csv``/``xlsx``) are not paginated: they hold the whole filtered list.
Bad ``page``, ``page_size`` or ``cursor`` values are 400 errors naming the parameter.
"""

from django.utils.translation import gettext_lazy as _

from rest_framework import pagination
from rest_framework.exceptions import NotFound

from .exceptions import ParameterError

EXPORT_FORMATE = frozenset({"csv", "xlsx"})


def _ist_export(request) -> bool:
    renderer = getattr(request, "accepted_renderer", None)
    return renderer is not None and renderer.format in EXPORT_FORMATE


def _page_size(request, parameter: str, default: int, maximum: int) -> int:
    roh = request.query_params.get(parameter)
    if roh is None:
        return default
    try:
        wert = int(roh)
    except ValueError:
        wert = 0
    if not 1 <= wert <= maximum:
        raise ParameterError({parameter: [_("Ganze Zahl von 1 bis %(max)d erwartet.") % {"max": maximum}]})
    return wert


def _mit_grenzen(parameter: list[dict], paginator) -> list[dict]:
    """State in the schema the bounds the server enforces, so that no schema-valid value is refused."""
    for p in parameter:
        schema = p.setdefault("schema", {})
        if p["name"] == getattr(paginator, "page_query_param", None):
            schema.update({"type": "integer", "minimum": 1})
        elif p["name"] == paginator.page_size_query_param:
            schema.update({"type": "integer", "minimum": 1, "maximum": paginator.max_page_size})
    return parameter


class SeitenPagination(pagination.PageNumberPagination):
    """``?page=2&page_size=100``; answers ``count``, ``next``, ``previous``, ``results``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
    page_size_query_description = _("Einträge je Seite (1–1000, Standard 50).")
    page_query_description = _("Seitennummer, ab 1.")

    def get_page_size(self, request):
        return _page_size(request, self.page_size_query_param, self.page_size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        # Checked for exports too: a value the schema excludes is refused whatever the format.
        roh = request.query_params.get(self.page_query_param, "1")
        if not roh.isdigit() or int(roh) < 1:
            raise ParameterError({self.page_query_param: [_("Ganze Zahl ab 1 erwartet.")]})
        self.get_page_size(request)
        if _ist_export(request):
            return None
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            # A well-formed page number past the end: the page does not exist (404), the request is not malformed.
            raise NotFound(_("Diese Seite gibt es nicht.")) from None

    def get_schema_operation_parameters(self, view):
        return _mit_grenzen(super().get_schema_operation_parameters(view), self)

    def get_paginated_response_schema(self, schema):
        antwort = super().get_paginated_response_schema(schema)
        antwort["required"] = ["count", "next", "previous", "results"]
        return antwort


class CursorPagination(pagination.CursorPagination):
    """``?cursor=…`` from ``next``/``previous``; stable under inserts, no COUNT over the whole table."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "pk"  # the view's ``ordering`` (via the ordering filter) wins
    page_size_query_description = _("Einträge je Seite (1–1000, Standard 100).")
    cursor_query_description = _("Position in der Liste; aus den Links „next“/„previous“ übernehmen.")

    def get_page_size(self, request):
        return _page_size(request, self.page_size_query_param, self.page_size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        return _mit_grenzen(super().get_schema_operation_parameters(view), self)

    def paginate_queryset(self, queryset, request, view=None):
        self.get_page_size(request)
        if _ist_export(request):
            return None
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            # Any string is a schema-valid cursor; one we did not issue names no position: 404, like a missing page.
            raise NotFound(_("Ungültiger Cursor: nur Werte aus den Links „next“/„previous“.")) from None

    def get_paginated_response_schema(self, schema):
        antwort = super().get_paginated_response_schema(schema)
        antwort["required"] = ["next", "previous", "results"]
        return antwort
