"""CSV and XLSX downloads of a report table, with the build's provenance (built when, from which data state).

Written by the one tabular writer (``core.exports``). The dialect follows the reader: the report pages
(``/berichte/<tabelle>.csv``) are downloaded by people (German Excel), the API (``?format=csv``) is read by machines
(RFC 4180), like every other list of the API.
"""

from django.utils import timezone

from core import exports
from core.exports import DEUTSCHES_EXCEL, RFC_4180

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


def _werte(tabelle, zeilen):
    spalten = tabelle.spalten
    return ([wert(zeile, name) for name, _ in spalten] for zeile in zeilen.iterator(chunk_size=2000))


def csv_response(tabelle, lauf, zeilen, dialect=DEUTSCHES_EXCEL):
    """Streamed CSV; provenance in the response headers, so the file stays a plain table."""
    kopf = [titel for _, titel in tabelle.spalten]
    name = _dateiname(tabelle, lauf, "csv")
    antwort = exports.csv_response(name, kopf, _werte(tabelle, zeilen), dialect, stream=True)
    antwort["X-Berichtslauf"] = str(lauf.pk)
    antwort["X-Gebaut-Am"] = lauf.gebaut_am.isoformat()
    antwort["X-Datenstand"] = lauf.datenstand_hash
    antwort["X-Synthetisch"] = "ja" if lauf.synthetisch else "nein"
    return antwort


def xlsx_response(tabelle, lauf, zeilen):
    """XLSX with the table on sheet "Daten" and the build's provenance on sheet "Herkunft"."""
    kopf = [titel for _, titel in tabelle.spalten]
    antwort = exports.xlsx_response(
        _dateiname(tabelle, lauf, "xlsx"), kopf, _werte(tabelle, zeilen), "Daten", {"Herkunft": _herkunft(lauf)}
    )
    antwort["X-Berichtslauf"] = str(lauf.pk)
    return antwort


def herunterladen(tabelle, lauf, zeilen, format_, *, fuer_maschinen: bool = False):
    """The download in ``format_``; ``fuer_maschinen`` (the API) writes CSV as RFC 4180 instead of German Excel."""
    if format_ == "xlsx":
        return xlsx_response(tabelle, lauf, zeilen)
    return csv_response(tabelle, lauf, zeilen, RFC_4180 if fuer_maschinen else DEUTSCHES_EXCEL)
