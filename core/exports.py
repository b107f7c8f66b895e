"""The one tabular writer: every CSV and XLSX the portal writes (pages, API, reports, open data, admin export,
federal dashboard) goes through this module.

CSV comes in two named dialects, chosen by who reads the file:

- ``DEUTSCHES_EXCEL`` (``;``, UTF-8 with byte order mark, CRLF) for people: German spreadsheet programs open it
  correctly with a double click. Page downloads, reports on their pages, open-data files, the admin's export in the
  import format, the federal dashboard's ``filetype=csv``.
- ``RFC_4180`` (``,``, UTF-8 without BOM, CRLF) for machines: the API's ``?format=csv``.

XLSX has no dialect: openpyxl in write-only mode, bold frozen header row, aware datetimes as local wall-clock time.

Every text cell passes through ``entschaerfen``: editors' text (a Bemerkung starting with ``=``) must never become a
live formula in somebody's spreadsheet (CSV/formula injection, OWASP).
"""

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A streamed CSV leaves in pieces of this many rows: few enough writes, small enough never to hold a list at once.
STUECK_ZEILEN = 500


@dataclass(frozen=True)
class Dialect:
    """A CSV dialect with the name of its purpose; the only two are below."""

    name: str
    delimiter: str
    bom: bool
    lineterminator: str = "\r\n"


DEUTSCHES_EXCEL = Dialect("deutsches Excel (für Menschen)", delimiter=";", bom=True)
RFC_4180 = Dialect("RFC 4180 (für Maschinen)", delimiter=",", bom=False)


# Spreadsheet programs read a cell starting with one of these as a formula (or DDE call). Tab and CR too, since
# some programs strip them first.
FORMEL_ZEICHEN = ("=", "+", "-", "@", "\t", "\r")


def entschaerfen(wert):
    """Text that a spreadsheet would run as a formula, prefixed with ``'`` so it stays text; other values as they are.

    The one escaping function for every CSV/XLSX cell this module writes; the admin import strips the prefix again
    (``zurueck_entschaerfen``), so an exported file re-imports unchanged.
    """
    if isinstance(wert, str) and wert.startswith(FORMEL_ZEICHEN):
        return "'" + wert
    return wert


def zurueck_entschaerfen(text: str) -> str:
    """The inverse of ``entschaerfen`` for a cell read back from a file the portal wrote."""
    if text.startswith("'") and text[1:].startswith(FORMEL_ZEICHEN):
        return text[1:]
    return text


def _wert(wert):
    """Lazy translations and other non-primitive values as text; None as an empty cell; formulas defused."""
    if wert is None:
        return ""
    if isinstance(wert, Promise):
        wert = str(wert)
    return entschaerfen(wert)


def _xlsx_wert(wert):
    if isinstance(wert, datetime) and wert.tzinfo is not None:
        # XLSX has no time zones (openpyxl refuses aware datetimes): local time, as the pages show it.
        wert = timezone.localtime(wert).replace(tzinfo=None)
    return _wert(wert)


def csv_stuecke(kopfzeile: Sequence, zeilen: Iterable[Sequence], dialect: Dialect) -> Iterator[bytes]:
    """The CSV in pieces (header first, then every ``STUECK_ZEILEN`` rows), for streamed and whole files alike."""
    puffer = io.StringIO()
    schreiber = csv.writer(puffer, delimiter=dialect.delimiter, lineterminator=dialect.lineterminator)
    if dialect.bom:
        puffer.write("\ufeff")
    schreiber.writerow([_wert(titel) for titel in kopfzeile])
    for nummer, zeile in enumerate(zeilen, start=1):
        schreiber.writerow([_wert(wert) for wert in zeile])
        if nummer % STUECK_ZEILEN == 0:
            yield puffer.getvalue().encode("utf-8")
            puffer.seek(0)
            puffer.truncate()
    yield puffer.getvalue().encode("utf-8")


def csv_bytes(kopfzeile: Sequence, zeilen: Iterable[Sequence], dialect: Dialect) -> bytes:
    return b"".join(csv_stuecke(kopfzeile, zeilen, dialect))


def xlsx_bytes(
    kopfzeile: Sequence,
    zeilen: Iterable[Sequence],
    blattname: str = "Daten",
    weitere_blaetter: Mapping[str, Iterable[Sequence]] | None = None,
) -> bytes:
    """A workbook with the table on ``blattname`` (bold, frozen header) and optional further sheets without header.

    Rows are written one by one (write-only mode); the compressed workbook is what is held in memory at the end.
    """
    mappe = Workbook(write_only=True)
    blatt = mappe.create_sheet(title=str(blattname)[:31])
    fett = Font(bold=True)
    kopf = []
    for titel in kopfzeile:
        zelle = WriteOnlyCell(blatt, value=_wert(titel))
        zelle.font = fett
        kopf.append(zelle)
    blatt.freeze_panes = "A2"
    blatt.append(kopf)
    for zeile in zeilen:
        blatt.append([_xlsx_wert(wert) for wert in zeile])
    for name, weitere_zeilen in (weitere_blaetter or {}).items():
        weiteres = mappe.create_sheet(title=str(name)[:31])
        for zeile in weitere_zeilen:
            weiteres.append([_xlsx_wert(wert) for wert in zeile])
    puffer = io.BytesIO()
    mappe.save(puffer)
    return puffer.getvalue()


def _attachment(response, dateiname: str):
    response["Content-Disposition"] = f'attachment; filename="{dateiname}"'
    return response


def csv_response(
    dateiname: str,
    kopfzeile: Sequence,
    zeilen: Iterable[Sequence],
    dialect: Dialect,
    *,
    stream: bool = False,
    content_type: str = CSV_CONTENT_TYPE,
):
    """A CSV download; ``stream=True`` for whole lists whose rows come from an iterator (nothing held at once)."""
    if stream:
        antwort = StreamingHttpResponse(csv_stuecke(kopfzeile, zeilen, dialect), content_type=content_type)
    else:
        antwort = HttpResponse(csv_bytes(kopfzeile, zeilen, dialect), content_type=content_type)
    return _attachment(antwort, dateiname)


def xlsx_response(
    dateiname: str,
    kopfzeile: Sequence,
    zeilen: Iterable[Sequence],
    blattname: str = "Daten",
    weitere_blaetter: Mapping[str, Iterable[Sequence]] | None = None,
    *,
    content_type: str = XLSX_CONTENT_TYPE,
) -> HttpResponse:
    inhalt = xlsx_bytes(kopfzeile, zeilen, blattname, weitere_blaetter)
    return _attachment(HttpResponse(inhalt, content_type=content_type), dateiname)
