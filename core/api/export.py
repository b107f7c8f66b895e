"""Whole-list exports (``?format=csv|xlsx``) streamed in chunks instead of serialised as one list in memory.

16,068 Gebietskörperschaften as one serialised list cost hundreds of MB and seconds before the first byte; here
the queryset is read 2,000 rows at a time (with the list's prefetches per chunk), CSV leaves as it is written,
and XLSX is written row by row by openpyxl's write-only mode. The ETag (``ConditionalGetMixin``)
makes repeating an unchanged export a 304 without a query, and ``ExportThrottle`` bounds how often one client
may ask for a fresh one.
"""

import csv
from itertools import chain, islice

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from core.exports import XLSX_CONTENT_TYPE, entschaerfen, xlsx_bytes

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


class _Zeile:
    def write(self, text):
        return text


def streamen(view, request, dateiname: str):
    queryset = view.filter_queryset(view.get_queryset())
    spalten, zeilen = _spalten_und_zeilen(view, queryset)
    if request.accepted_renderer.format == "csv":
        schreiber = csv.DictWriter(_Zeile(), fieldnames=spalten, extrasaction="ignore", lineterminator="\r\n")

        def inhalt():
            yield schreiber.writeheader().encode()
            for row in zeilen:
                yield schreiber.writerow({k: entschaerfen(v) for k, v in row.items()}).encode()

        antwort = StreamingHttpResponse(inhalt(), content_type="text/csv; charset=utf-8")
        antwort["Content-Disposition"] = f'attachment; filename="{dateiname}.csv"'
        return antwort
    # The compressed workbook is small; what must not be in memory at once is the serialised list.
    inhalt = xlsx_bytes(spalten, ([row.get(s) for s in spalten] for row in zeilen), _("Daten"))
    antwort = HttpResponse(inhalt, content_type=XLSX_CONTENT_TYPE)
    antwort["Content-Disposition"] = f'attachment; filename="{dateiname}.xlsx"'
    return antwort
