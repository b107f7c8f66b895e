"""Write the dataset files through Django's storage API, so every node serves the same bytes.

The storage is ``STORAGES["opendata"]`` when configured (e.g. S3-compatible object storage via django-storages),
else ``AtomareAblage`` in OPENDATA_DIR, a directory all web and worker nodes share (a volume). On a file system
each format is written to a temporary file, then renamed into place: a reader sees the old file or the new one,
never half a file; concurrent builds of the same dataset are harmless (the last rename wins, both are complete).
Object stores replace an object atomically by themselves. Dates and numbers are written as ISO strings in JSON.
"""

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from core.exports import CSV_CONTENT_TYPE, DEUTSCHES_EXCEL, XLSX_CONTENT_TYPE, csv_bytes, xlsx_bytes

from .choices import Format
from .datensaetze import LIZENZEN, alle

CONTENT_TYPES = {
    Format.CSV: CSV_CONTENT_TYPE,
    Format.JSON: "application/json",
    Format.XLSX: XLSX_CONTENT_TYPE,
}


class AtomareAblage(FileSystemStorage):
    """FileSystemStorage that replaces a file atomically (temporary file + rename) instead of picking a new name."""

    def get_available_name(self, name, max_length=None):
        return name

    def _save(self, name, content):
        _schreiben(Path(self.path(name)), content.read())
        return name


def speicher() -> Storage:
    if "opendata" in settings.STORAGES:
        return storages["opendata"]
    # Read per call: the directory is a setting (and tests point it elsewhere).
    return AtomareAblage(location=settings.OPENDATA_DIR)


def dateiname(name: str, format_: str) -> str:
    return f"{name}.{format_}"


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
    ablage, ziel = speicher(), dateiname(name, format_)
    try:
        groesse, geaendert = ablage.size(ziel), ablage.get_modified_time(ziel)
    except (FileNotFoundError, OSError):
        return None
    if timezone.is_naive(geaendert):
        geaendert = timezone.make_aware(geaendert, UTC)
    return Datei(name, format_, groesse, geaendert.astimezone(UTC))


def oeffnen(name: str, format_: str):
    """The built file, opened for reading (binary)."""
    return speicher().open(dateiname(name, format_), "rb")


def lesen(name: str, format_: str) -> bytes:
    """The bytes of a built file."""
    with oeffnen(name, format_) as f:
        return f.read()


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
        # Open data is downloaded by people first (a double click opens it in German Excel); JSON is for machines.
        Format.CSV: csv_bytes(ueberschriften, zeilen, DEUTSCHES_EXCEL),
        Format.JSON: json_inhalt,
        # Excel knows no time zones: the writer gives local wall-clock time (e.g. "geändert am" of Zuständigkeiten).
        Format.XLSX: xlsx_bytes(ueberschriften, zeilen, blattname=name),
    }
    ablage = speicher()
    for format_, inhalt in inhalte.items():
        ablage.save(dateiname(name, format_), ContentFile(inhalt))
    return {str(f): len(i) for f, i in inhalte.items()}


def alle_bauen(namen=None) -> dict:
    """Build the given datasets (all if None)."""
    return {name: bauen(name) for name in (namen or alle())}
