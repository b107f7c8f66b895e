"""Reading the federal dashboard's format: CSV (``;`` or ``,``), XLSX, the JSON pages of ``GET /v1/data/{ars}``,
and a URL of that endpoint followed through all pages (bounded in pages, bytes and time).

Files are streamed (CSV line by line, XLSX in read-only mode) as (line, row) pairs; problems with a file as a whole
go to its ``Fehlerliste``. Nothing here knows the database.
"""

import csv
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from core.exports import zurueck_entschaerfen
from core.importers import Fehlerliste


# --- Files ----------------------------------------------------------------------------------
def text(wert) -> str:
    if wert is None:
        return ""
    if isinstance(wert, float) and wert == int(wert):
        return str(int(wert))
    return str(wert).strip()


class _ZeilenVersatz:
    """A csv.reader whose ``line_num`` counts the comment lines skipped before it."""

    def __init__(self, reader, versatz: int):
        self.reader, self.versatz = reader, versatz

    def __iter__(self):
        return self

    def __next__(self):
        return next(self.reader)

    @property
    def line_num(self) -> int:
        return self.reader.line_num + self.versatz


def _csv_zeilen(pfad: Path, name: str, liste: Fehlerliste) -> Iterator[tuple[int, dict]]:
    try:
        handle = pfad.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        liste.add(None, None, None, f"Datei nicht lesbar: {exc.strerror}")
        return
    with handle:
        try:
            # Lines starting with "#" before the header are comments (e.g. "# TESTDATEN …").
            kommentare = 0
            while True:
                position = handle.tell()
                erste = handle.readline()
                if not erste.lstrip("\ufeff").startswith("#"):
                    break
                kommentare += 1
            trenner = ";" if erste.count(";") > erste.count(",") else ","
            handle.seek(position)
            reader = _ZeilenVersatz(csv.reader(handle, delimiter=trenner), kommentare)
            kopf = [h.strip() for h in next(reader, [])]
            if not kopf:
                liste.add(1, None, None, "Datei ist leer, Kopfzeile fehlt")
                return
            for zellen in reader:
                if not any(z.strip() for z in zellen):
                    continue
                if len(zellen) != len(kopf):
                    liste.add(
                        reader.line_num, None, None, f"{len(zellen)} Zellen statt {len(kopf)} wie in der Kopfzeile"
                    )
                    continue
                # The portal's own exports prefix formula-like text with "'" (core.exports): read it back as written.
                yield reader.line_num, dict(zip(kopf, map(zurueck_entschaerfen, zellen), strict=True))
        except UnicodeDecodeError as exc:
            liste.add(None, None, None, f"keine gültige UTF-8-Datei (Byte {exc.start})")
        except csv.Error as exc:
            liste.add(reader.line_num, None, None, f"CSV-Fehler: {exc}")


def _xlsx_zeilen(pfad: Path, name: str, liste: Fehlerliste) -> Iterator[tuple[int, dict]]:
    from openpyxl import load_workbook

    try:
        buch = load_workbook(pfad, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        liste.add(None, None, None, f"keine lesbare XLSX-Datei ({type(exc).__name__})")
        return
    try:
        zeilen = buch.worksheets[0].iter_rows(values_only=True)
        kopf = [text(w) for w in next(zeilen, ())]
        for nummer, werte in enumerate(zeilen, start=2):
            zellen = [zurueck_entschaerfen(text(w)) for w in werte]
            if any(zellen):
                yield nummer, dict(zip(kopf, zellen, strict=False))
    finally:
        buch.close()


def _json_zeilen(daten, liste: Fehlerliste) -> Iterator[tuple[int, dict]]:
    """Rows of one page of ``GET /v1/data/{ars}`` (``content``) or of a plain list; "Zeile" is the entry's number."""
    inhalt = daten.get("content") if isinstance(daten, dict) else daten
    if not isinstance(inhalt, list):
        liste.add(None, "content", None, "erwartet eine Seite der API mit „content“ oder eine Liste von Zeilen")
        return
    for nummer, eintrag in enumerate(inhalt, start=1):
        if not isinstance(eintrag, dict):
            liste.add(nummer, None, None, "Eintrag ist kein Objekt")
            continue
        yield nummer, {k: text(v) for k, v in eintrag.items()}


def _art_der_datei(pfad: Path) -> str:
    with pfad.open("rb") as f:
        anfang = f.read(64)
    if anfang.startswith(b"PK"):
        return "xlsx"
    if anfang.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return "json"
    return "csv"


def datei_zeilen(pfad: Path, liste: Fehlerliste, name: str | None = None) -> Iterator[tuple[int, dict]]:
    """(line, row) of a CSV, XLSX or JSON file, recognised by its content."""
    art = _art_der_datei(pfad) if pfad.exists() else "csv"
    if art == "xlsx":
        yield from _xlsx_zeilen(pfad, name or pfad.name, liste)
    elif art == "json":
        try:
            with pfad.open(encoding="utf-8-sig") as f:
                daten = json.load(f)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            liste.add(getattr(exc, "lineno", None), None, None, f"kein gültiges JSON ({exc})")
            return
        yield from _json_zeilen(daten, liste)
    else:
        yield from _csv_zeilen(pfad, name or pfad.name, liste)


# --- A URL of the federal API, followed through all pages -----------------------------------------------
class AbrufFehler(Exception):
    """The URL could not be read completely; nothing has been written."""


def _mit_seite(url: str, seite: int) -> str:
    teile = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(teile.query, keep_blank_values=True) if k != "page"]
    query.append(("page", str(seite)))
    return urllib.parse.urlunsplit(teile._replace(query=urllib.parse.urlencode(query)))


def seiten_laden(url: str, ziel: Path, *, max_seiten=None, max_bytes=None, timeout=None) -> list[Path]:
    """Download every page of a ``/v1/data[/{ars}]`` URL into ``ziel``; bounded in pages, bytes and time."""
    max_seiten = max_seiten or settings.DASHBOARD_IMPORT_MAX_SEITEN
    max_bytes = max_bytes or settings.DASHBOARD_IMPORT_MAX_BYTES
    timeout = timeout or settings.DASHBOARD_IMPORT_TIMEOUT
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise AbrufFehler(f"{url}: nur http- und https-Adressen")
    dateien, gesamt, seite = [], 0, 0
    while True:
        if seite >= max_seiten:
            raise AbrufFehler(f"{url}: mehr als {max_seiten} Seiten (DASHBOARD_IMPORT_MAX_SEITEN)")
        adresse = _mit_seite(url, seite)
        anfrage = urllib.request.Request(adresse, headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(anfrage, timeout=timeout) as antwort:
                rest = max_bytes - gesamt
                daten = antwort.read(rest + 1)
        except urllib.error.HTTPError as exc:
            raise AbrufFehler(f"{adresse}: HTTP {exc.code} {exc.reason}") from exc
        except (urllib.error.URLError, OSError) as exc:
            grund = getattr(exc, "reason", exc)
            if isinstance(grund, TimeoutError) or isinstance(exc, TimeoutError):
                raise AbrufFehler(f"{adresse}: keine Antwort innerhalb von {timeout} s") from exc
            raise AbrufFehler(f"{adresse}: nicht erreichbar ({grund})") from exc
        gesamt += len(daten)
        if gesamt > max_bytes:
            raise AbrufFehler(f"{url}: mehr als {max_bytes} Bytes (DASHBOARD_IMPORT_MAX_BYTES)")
        try:
            inhalt = json.loads(daten)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise AbrufFehler(f"{adresse}: keine JSON-Seite der API ({exc})") from exc
        pfad = ziel / f"seite-{seite}.json"
        pfad.write_bytes(daten)
        dateien.append(pfad)
        if not isinstance(inhalt, dict) or inhalt.get("last", True) or not inhalt.get("content"):
            return dateien
        seite += 1
