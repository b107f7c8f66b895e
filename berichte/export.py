"""CSV and XLSX downloads of a report table, with the build's provenance (built when, from which data state)."""

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from core.exports import entschaerfen

from .tabellen import wert

HINWEIS_SYNTHETISCH = "Enthält synthetische Daten: nur für Lasttests erzeugt, keine echten Angaben."


def _dateiname(tabelle, lauf, endung):
    return f"{tabelle.schluessel}_{timezone.localtime(lauf.gebaut_am):%Y-%m-%d}_lauf-{lauf.pk}.{endung}"


def _herkunft(lauf) -> list[tuple[str, str]]:
    zeilen = [
        ("Bericht", lauf.get_art_display()),
        ("Berichtslauf", str(lauf.pk)),
        ("gebaut am", timezone.localtime(lauf.gebaut_am).isoformat(timespec="seconds")),
        ("Auslöser", lauf.get_ausloeser_display()),
        ("Datenstand (SHA-256)", lauf.datenstand_hash),
    ]
    if lauf.synthetisch:
        zeilen.append(("Achtung", HINWEIS_SYNTHETISCH))
    return zeilen


class _Puffer:
    def write(self, text):
        return text


def csv_antwort(tabelle, lauf, zeilen):
    """Streamed CSV (UTF-8, comma); provenance in the response headers, so the file stays a plain table."""
    schreiber = csv.writer(_Puffer())
    spalten = tabelle.spalten

    def erzeugen():
        yield "\ufeff" + schreiber.writerow([titel for _, titel in spalten])
        for zeile in zeilen.iterator(chunk_size=2000):
            yield schreiber.writerow([entschaerfen(wert(zeile, name)) for name, _ in spalten])

    antwort = StreamingHttpResponse(erzeugen(), content_type="text/csv; charset=utf-8")
    antwort["Content-Disposition"] = f'attachment; filename="{_dateiname(tabelle, lauf, "csv")}"'
    antwort["X-Berichtslauf"] = str(lauf.pk)
    antwort["X-Gebaut-Am"] = lauf.gebaut_am.isoformat()
    antwort["X-Datenstand"] = lauf.datenstand_hash
    antwort["X-Synthetisch"] = "ja" if lauf.synthetisch else "nein"
    return antwort


def xlsx_antwort(tabelle, lauf, zeilen):
    """XLSX with the table on sheet "Daten" and the build's provenance on sheet "Herkunft"."""
    from io import BytesIO

    from openpyxl import Workbook

    mappe = Workbook(write_only=True)
    daten = mappe.create_sheet("Daten")
    spalten = tabelle.spalten
    daten.append([titel for _, titel in spalten])
    for zeile in zeilen.iterator(chunk_size=2000):
        daten.append([entschaerfen(wert(zeile, name)) for name, _ in spalten])
    herkunft = mappe.create_sheet("Herkunft")
    for eintrag in _herkunft(lauf):
        herkunft.append([entschaerfen(teil) for teil in eintrag])
    puffer = BytesIO()
    mappe.save(puffer)
    antwort = HttpResponse(
        puffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    antwort["Content-Disposition"] = f'attachment; filename="{_dateiname(tabelle, lauf, "xlsx")}"'
    antwort["X-Berichtslauf"] = str(lauf.pk)
    return antwort


def herunterladen(tabelle, lauf, zeilen, format_):
    return xlsx_antwort(tabelle, lauf, zeilen) if format_ == "xlsx" else csv_antwort(tabelle, lauf, zeilen)
