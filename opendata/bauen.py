"""Write the dataset files: each format to a temporary file in OPENDATA_DIR, then an atomic rename.

A reader therefore sees the old file or the new one, never half a file; concurrent builds of the same dataset
are harmless (the last rename wins, both are complete). Dates and numbers are written as ISO strings in JSON.
"""

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from catalog.exports import csv_bytes, xlsx_bytes

from .choices import Format
from .datensaetze import LIZENZEN, alle

CONTENT_TYPES = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.JSON: "application/json",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def verzeichnis() -> Path:
    return Path(settings.OPENDATA_DIR)


def pfad(name: str, format_: str) -> Path:
    return verzeichnis() / f"{name}.{format_}"


@dataclass(frozen=True)
class Datei:
    name: str
    format: str
    groesse: int
    geaendert: datetime

    @property
    def etag(self) -> str:
        return f'"{self.groesse:x}-{int(self.geaendert.timestamp() * 1_000_000):x}"'


def datei(name: str, format_: str) -> Datei | None:
    """Size and modification time of a built file, or None if it is not built yet."""
    try:
        st = pfad(name, format_).stat()
    except FileNotFoundError:
        return None
    return Datei(name, format_, st.st_size, datetime.fromtimestamp(st.st_mtime, tz=UTC))


def lesen(name: str, format_: str) -> bytes:
    """The bytes of a built file."""
    return pfad(name, format_).read_bytes()


def _schreiben(ziel: Path, inhalt: bytes) -> None:
    ziel.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{ziel.name}.", suffix=".tmp", dir=ziel.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(inhalt)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, ziel)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _json_wert(wert):
    if isinstance(wert, Decimal):
        return float(wert)
    return wert


def bauen(name: str) -> dict:
    """Build all formats of dataset ``name``; returns {format: size}."""
    datensatz = alle()[name]
    spalten, zeilen = datensatz.zeilen()
    zeilen = [tuple(z) for z in zeilen]
    schluessel = [s for s, _ in spalten]
    ueberschriften = [t for _, t in spalten]
    lizenz = LIZENZEN[datensatz.lizenz]
    json_inhalt = json.dumps(
        {
            "datensatz": name,
            "titel": datensatz.titel,
            "beschreibung": datensatz.beschreibung,
            "lizenz": lizenz["name"],
            "lizenz_uri": lizenz["uri"],
            "namensnennung": datensatz.namensnennung,
            "erzeugt_am": timezone.now().isoformat(timespec="seconds"),
            "spalten": [{"name": s.replace("__", "_"), "titel": t} for s, t in spalten],
            "daten": [
                {s.replace("__", "_"): _json_wert(w) for s, w in zip(schluessel, z, strict=True)} for z in zeilen
            ],
        },
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        indent=None,
    ).encode()
    inhalte = {
        Format.CSV: csv_bytes(ueberschriften, zeilen),
        Format.JSON: json_inhalt,
        Format.XLSX: xlsx_bytes(ueberschriften, zeilen, blattname=name),
    }
    for format_, inhalt in inhalte.items():
        _schreiben(pfad(name, format_), inhalt)
    return {str(f): len(i) for f, i in inhalte.items()}


def alle_bauen(namen=None) -> dict:
    """Build the given datasets (all if None)."""
    return {name: bauen(name) for name in (namen or alle())}
