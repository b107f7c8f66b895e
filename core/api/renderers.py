"""Output formats of every list: JSON (default), CSV and XLSX (``?format=csv``, ``?format=xlsx``).

CSV and XLSX flatten nested summaries into dotted columns (``lage.slug``, ``lage.name``) and join lists with
"; ". An export holds the whole filtered list, not one page (see ``pagination``).
"""

from django.utils.translation import gettext_lazy as _

import orjson
from rest_framework import renderers
from rest_framework.utils import encoders

from core.exports import RFC_4180, csv_bytes, xlsx_bytes


class SchnellJSONRenderer(renderers.JSONRenderer):
    """DRF's JSON byte for byte, written by orjson (several times faster than ``json.dumps`` on a list page).

    The same as ``renderers.JSONRenderer`` for data of strings, integers, booleans, None, lists and dicts with string
    keys: compact, UTF-8, the same escapes, U+2028/U+2029 escaped as DRF does. Anything else goes to DRF's
    encoder (``default``: lazy texts, dates, decimals). Floats are not: orjson writes 1e16 where ``json`` writes
    1e+16, and NaN as null, so answers with floats keep DRF's renderer; so do indented answers (``; indent=4``).
    """

    _encoder = encoders.JSONEncoder()
    OPTIONEN = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS

    def render(self, data, accepted_media_type=None, renderer_context=None):
        eigen = data is None or self.ensure_ascii or not self.compact  # settings orjson does not follow
        if eigen or self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        inhalt = orjson.dumps(data, default=self._encoder.default, option=self.OPTIONEN)
        if b"\xe2\x80\xa8" in inhalt or b"\xe2\x80\xa9" in inhalt:  # U+2028, U+2029 in UTF-8
            inhalt = inhalt.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return inhalt


class ProblemJSONRenderer(renderers.JSONRenderer):
    media_type = "application/problem+json"
    format = "problem"


def _scalar(value):
    if isinstance(value, dict):
        # A nested summary inside a list: its first value is its public key.
        return _scalar(next(iter(value.values()), ""))
    if isinstance(value, list):
        return "; ".join(str(_scalar(item)) for item in value)
    return value


def _flatten(row: dict, prefix: str = "") -> dict:
    flach = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flach.update(_flatten(value, f"{name}."))
        else:
            flach[name] = _scalar(value)
    return flach


def _rows(data, renderer_context) -> tuple[list[str], list[dict]]:
    if isinstance(data, dict) and "results" in data:
        data = data["results"]
    if isinstance(data, dict):
        data = [data]
    rows = [_flatten(row) for row in data or []]
    if rows:
        spalten = list(rows[0])
        for row in rows[1:]:  # a nullable summary may be flat in one row and nested in another
            spalten.extend(key for key in row if key not in spalten)
    else:
        view = (renderer_context or {}).get("view")
        spalten = list(view.get_serializer().fields) if view is not None and hasattr(view, "get_serializer") else []
    return spalten, rows


def _dateiname(renderer_context, endung: str) -> str:
    view = (renderer_context or {}).get("view")
    name = getattr(view, "basename", None) or "export"
    if getattr(view, "action", None) not in (None, "list"):
        name = f"{name}-{view.action}"
    return f"{name}.{endung}"


def _als_anhang(renderer_context, endung: str) -> None:
    response = (renderer_context or {}).get("response")
    if response is not None and response.status_code == 200:
        response["Content-Disposition"] = f'attachment; filename="{_dateiname(renderer_context, endung)}"'


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # The API is read by machines: RFC 4180; the one writer defuses editors' text (formula injection).
        spalten, rows = _rows(data, renderer_context)
        inhalt = csv_bytes(spalten, ([row.get(spalte) for spalte in spalten] for row in rows), RFC_4180)
        _als_anhang(renderer_context, "csv")
        return inhalt


class XLSXRenderer(renderers.BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # The same XLSX writer as the page downloads (bold, frozen header row).
        spalten, rows = _rows(data, renderer_context)
        inhalt = xlsx_bytes(spalten, ([row.get(spalte) for spalte in spalten] for row in rows), str(_("Daten")))
        _als_anhang(renderer_context, "xlsx")
        return inhalt
