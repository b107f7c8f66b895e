"""Whole-list exports (``?format=csv|xlsx``) streamed in chunks instead of serialised as one list in memory.

16,068 Gebietskörperschaften as one serialised list cost hundreds of MB and seconds before the first byte; here
the queryset is read 2,000 rows at a time (with the list's prefetches per chunk), CSV (RFC 4180: the API is read by
machines) leaves as it is written, and XLSX is written row by row by openpyxl's write-only mode; both by the one
writer in ``core.exports``. The ETag (``ConditionalGetMixin``) makes repeating an unchanged export a 304 without a
query, and ``ExportThrottle`` bounds how often one client may ask for a fresh one.
"""

from itertools import chain, islice

from django.utils.translation import gettext as _

from core.exports import RFC_4180, csv_response, xlsx_response

from .renderers import _flatten

STUECK = 2000


def _zeilen(view, queryset):
    start = 0
    while True:
        stueck = list(queryset[start : start + STUECK])
        if not stueck:
            return
        yield from (_flatten(row) for row in view.get_serializer(stueck, many=True).data)
        start += STUECK


def _spalten_und_zeilen(view, queryset):
    zeilen = _zeilen(view, queryset)
    erste = list(islice(zeilen, STUECK))
    spalten: list[str] = []
    for row in erste:  # a nullable summary may be flat in one row and nested in another
        spalten.extend(key for key in row if key not in spalten)
    if not erste:
        spalten = list(view.get_serializer().fields)
    return spalten, chain(erste, zeilen)


def streamen(view, request, dateiname: str):
    queryset = view.filter_queryset(view.get_queryset())
    spalten, zeilen = _spalten_und_zeilen(view, queryset)
    werte = ([row.get(s) for s in spalten] for row in zeilen)
    if request.accepted_renderer.format == "csv":
        return csv_response(f"{dateiname}.csv", spalten, werte, RFC_4180, stream=True)
    # The compressed workbook is small; what must not be in memory at once is the serialised list.
    return xlsx_response(f"{dateiname}.xlsx", spalten, werte, _("Daten"))
