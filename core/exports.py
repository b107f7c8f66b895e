"""CSV and XLSX downloads: generic writers for a header row plus data rows, used by the pages (and free for the API).

CSV uses ";" and a UTF-8 byte order mark because that is what German spreadsheet programs open correctly with a
double click; XLSX is written with openpyxl in write-only mode so large lists stay cheap.

Every CSV and XLSX the portal writes passes its text cells through ``entschaerfen``: editors' text (a Bemerkung
starting with ``=``) must never become a live formula in somebody's spreadsheet (CSV/formula injection, OWASP).
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(response: HttpResponse, dateiname: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{dateiname}"'
    return response


# Spreadsheet programs read a cell starting with one of these as a formula (or DDE call). Tab and CR too, since
# some programs strip them first.
FORMEL_ZEICHEN = ("=", "+", "-", "@", "\t", "\r")


def entschaerfen(wert):
    """Text that a spreadsheet would run as a formula, prefixed with ``'`` so it stays text; other values as they are.

    The one escaping function for every CSV/XLSX writer (pages, API, reports, open data, admin export); the admin
    import strips the prefix again (``zurueck_entschaerfen``), so an exported file re-imports unchanged.
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


def csv_bytes(kopfzeile: Sequence[str], zeilen: Iterable[Sequence]) -> bytes:
    puffer = io.StringIO()
    writer = csv.writer(puffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_wert(titel) for titel in kopfzeile])
    writer.writerows([_wert(wert) for wert in zeile] for zeile in zeilen)
    return puffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(kopfzeile: Sequence[str], zeilen: Iterable[Sequence], blattname: str = "Daten") -> bytes:
    mappe = Workbook(write_only=True)
    blatt = mappe.create_sheet(title=blattname[:31])
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
    puffer = io.BytesIO()
    mappe.save(puffer)
    return puffer.getvalue()


def csv_response(dateiname: str, kopfzeile: Sequence[str], zeilen: Iterable[Sequence]) -> HttpResponse:
    return _attachment(HttpResponse(csv_bytes(kopfzeile, zeilen), content_type=CSV_CONTENT_TYPE), dateiname)


def xlsx_response(
    dateiname: str, kopfzeile: Sequence[str], zeilen: Iterable[Sequence], blattname: str = "Daten"
) -> HttpResponse:
    inhalt = xlsx_bytes(kopfzeile, zeilen, blattname)
    return _attachment(HttpResponse(inhalt, content_type=XLSX_CONTENT_TYPE), dateiname)
