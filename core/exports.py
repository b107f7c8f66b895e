"""CSV and XLSX downloads: generic writers for a header row plus data rows, used by the pages (and free for the API).

CSV uses ";" and a UTF-8 byte order mark because that is what German spreadsheet programs open correctly with a
double click; XLSX is written with openpyxl in write-only mode so large lists stay cheap.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.functional import Promise

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(response: HttpResponse, dateiname: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{dateiname}"'
    return response


def _wert(wert):
    """Lazy translations and other non-primitive values as text; None as an empty cell."""
    if wert is None:
        return ""
    if isinstance(wert, Promise):
        return str(wert)
    return wert


def csv_bytes(kopfzeile: Sequence[str], zeilen: Iterable[Sequence]) -> bytes:
    puffer = io.StringIO()
    writer = csv.writer(puffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(kopfzeile)
    writer.writerows([_wert(wert) for wert in zeile] for zeile in zeilen)
    return puffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(kopfzeile: Sequence[str], zeilen: Iterable[Sequence], blattname: str = "Daten") -> bytes:
    mappe = Workbook(write_only=True)
    blatt = mappe.create_sheet(title=blattname[:31])
    fett = Font(bold=True)
    kopf = []
    for titel in kopfzeile:
        zelle = WriteOnlyCell(blatt, value=titel)
        zelle.font = fett
        kopf.append(zelle)
    blatt.freeze_panes = "A2"
    blatt.append(kopf)
    for zeile in zeilen:
        blatt.append([_wert(wert) for wert in zeile])
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
