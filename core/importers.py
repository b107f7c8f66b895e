"""The machinery every importer shares: reading CSV/XLSX with positions, collecting errors, syncing rows.

An import first reads and checks the whole input; if anything is wrong it writes nothing and names every
problem with file, line, column and value. Only then it writes, in one transaction, creating new rows, updating
changed ones and leaving equal ones alone, so a second run reports everything unchanged.
"""

import csv
import datetime
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import models

from openpyxl import load_workbook

from core.aenderungen import bulk_schreiben
from core.exports import zurueck_entschaerfen


@dataclass(frozen=True)
class Fehler:
    datei: str
    zeile: int | None
    spalte: str | None
    wert: str | None
    meldung: str

    def __str__(self):
        ort = self.datei + (f", Zeile {self.zeile}" if self.zeile else "")
        if self.spalte:
            ort += f", Spalte „{self.spalte}“"
        if self.wert is not None:
            ort += f", Wert „{self.wert}“"
        return f"{ort}: {self.meldung}"


class ImportFehler(Exception):
    """Raised with every problem found; nothing has been written when it is raised."""

    def __init__(self, fehler: list[Fehler]):
        self.fehler = fehler
        super().__init__(self.bericht())

    def bericht(self, hoechstens: int = 50) -> str:
        zeilen = [str(f) for f in self.fehler[:hoechstens]]
        if len(self.fehler) > hoechstens:
            zeilen.append(f"… und {len(self.fehler) - hoechstens} weitere Fehler")
        return f"{len(self.fehler)} Fehler, nichts wurde geändert:\n" + "\n".join(zeilen)


@dataclass
class Fehlerliste:
    """Collects errors while a file is read, so one run reports all of them."""

    datei: str
    fehler: list[Fehler] = field(default_factory=list)

    def add(self, zeile, spalte, wert, meldung):
        self.fehler.append(Fehler(self.datei, zeile, spalte, wert, meldung))


def read_csv(
    path: Path, columns: Iterable[str], fehler: list[Fehler], delimiter: str = ","
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) of a UTF-8 CSV (BOM allowed) whose header has at least ``columns``.

    Problems with the file as a whole (missing, not UTF-8, wrong header, wrong number of cells) are added to
    ``fehler`` with their line.
    """
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        fehler.append(Fehler(path.name, None, None, None, f"Datei nicht lesbar: {exc.strerror}"))
        return
    with handle:
        yield from _csv_rows(handle, path.name, columns, fehler, delimiter)


def _csv_rows(handle, name: str, columns: Iterable[str], fehler: list[Fehler], delimiter: str):
    try:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            fehler.append(Fehler(name, 1, None, None, "Datei ist leer, Kopfzeile fehlt"))
            return
        header = [h.strip() for h in header]
        missing = [c for c in columns if c not in header]
        if missing:
            fehler.append(Fehler(name, 1, None, None, f"Spalten fehlen in der Kopfzeile: {', '.join(missing)}"))
            return
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                meldung = f"{len(cells)} Zellen statt {len(header)} wie in der Kopfzeile"
                fehler.append(Fehler(name, reader.line_num, None, None, meldung))
                continue
            yield reader.line_num, dict(zip(header, cells, strict=True))
    except UnicodeDecodeError as exc:
        fehler.append(Fehler(name, None, None, None, f"keine gültige UTF-8-Datei (Byte {exc.start})"))
    except csv.Error as exc:
        fehler.append(Fehler(name, reader.line_num, None, None, f"CSV-Fehler: {exc}"))


# --- An uploaded table: CSV (comma or semicolon, as Excel writes it) or XLSX -----------------------------
def _zelle(wert) -> str:
    if wert is None:
        return ""
    if isinstance(wert, datetime.datetime):
        return wert.date().isoformat()
    if isinstance(wert, datetime.date):
        return wert.isoformat()
    if isinstance(wert, float | Decimal) and wert == int(wert):
        return str(int(wert))
    return str(wert).strip()


def lese_tabelle(name: str, daten: bytes, spalten: list[str], fehler: list[Fehler]) -> list[tuple[int, dict]]:
    """(line, row) of an uploaded CSV or XLSX file whose header has at least ``spalten``; problems into ``fehler``.

    Cells the portal's own export defused (``'=…``, ``core.exports``) come back as written, so export → import
    is lossless.
    """
    return [
        (nummer, {k: zurueck_entschaerfen(v) if isinstance(v, str) else v for k, v in zeile.items()})
        for nummer, zeile in _tabelle(name, daten, spalten, fehler)
    ]


def _tabelle(name: str, daten: bytes, spalten: list[str], fehler: list[Fehler]) -> list[tuple[int, dict]]:
    if name.lower().endswith(".xlsx"):
        return _xlsx_zeilen(name, daten, spalten, fehler)
    if not name.lower().endswith(".csv"):
        fehler.append(Fehler(name, None, None, None, "nur CSV- oder XLSX-Dateien"))
        return []
    try:
        text = daten.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        fehler.append(Fehler(name, None, None, None, f"keine gültige UTF-8-Datei (Byte {exc.start})"))
        return []
    erste = text.split("\n", 1)[0]
    # Excel in German writes semicolons (as does the portal's own export for people, core.exports.DEUTSCHES_EXCEL).
    trenner = ";" if erste.count(";") > erste.count(",") else ","
    return list(_csv_rows(io.StringIO(text, newline=""), Path(name).name, spalten, fehler, trenner))


def _xlsx_zeilen(name: str, daten: bytes, spalten: list[str], fehler: list[Fehler]) -> list[tuple[int, dict]]:
    try:
        blatt = load_workbook(io.BytesIO(daten), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        fehler.append(Fehler(name, None, None, None, f"keine lesbare XLSX-Datei ({type(exc).__name__})"))
        return []
    zeilen = blatt.iter_rows(values_only=True)
    kopf = [_zelle(w) for w in next(zeilen, ())]
    fehlend = [s for s in spalten if s not in kopf]
    if fehlend:
        fehler.append(Fehler(name, 1, None, None, f"Spalten fehlen in der Kopfzeile: {', '.join(fehlend)}"))
        return []
    ergebnis = []
    for nummer, werte in enumerate(zeilen, start=2):
        zellen = [_zelle(w) for w in werte]
        if any(zellen):
            ergebnis.append((nummer, dict(zip(kopf, zellen, strict=False))))
    return ergebnis


class Zaehler(Counter):
    """Created/updated/unchanged counts per model, for the import report."""

    def zeilen(self) -> list[str]:
        modelle = sorted({m for m, _ in self})
        return [
            f"{m}: {self[(m, 'neu')]} neu, {self[(m, 'geändert')]} geändert, {self[(m, 'unverändert')]} unverändert"
            for m in modelle
        ]

    @property
    def geaendert(self) -> bool:
        return any(n for (m, art), n in self.items() if art != "unverändert")


def sync(
    model: type[models.Model],
    key: str,
    records: dict,
    zaehler: Zaehler,
    scope: models.QuerySet | None = None,
    key_of: Callable[[models.Model], object] | None = None,
) -> dict:
    """Make the rows of ``model`` match ``records`` ({natural key: {field: value}}); return {key: pk}.

    Rows in the database that ``records`` does not mention are left alone: an import never deletes silently.
    """
    label = str(model._meta.verbose_name_plural)
    fields = sorted({f for values in records.values() for f in values})
    key_of = key_of or (lambda obj: getattr(obj, key))
    qs = scope if scope is not None else model.objects.all()
    only = ["pk", *fields] if callable(key) or "__" in key else ["pk", key, *fields]
    existing = {key_of(obj): obj for obj in qs.only(*only)} if records else {}

    to_create, to_update, changed_fields, before = [], [], set(), {}
    for natural_key, values in records.items():
        obj = existing.get(natural_key)
        if obj is None:
            to_create.append(model(**values))
            continue
        diff = [f for f, v in values.items() if getattr(obj, f) != v]
        if diff:
            before[obj.pk] = {f: getattr(obj, f) for f in diff}
            for f in diff:
                setattr(obj, f, values[f])
            changed_fields.update(diff)
            to_update.append(obj)
        else:
            zaehler[(label, "unverändert")] += 1

    # With history (for tracked models) and one change-log entry per row: as_of() stays right after re-imports.
    bulk_schreiben(model, to_create, to_update, sorted(changed_fields), vorher=before, grund="Import")
    zaehler[(label, "neu")] += len(to_create)
    zaehler[(label, "geändert")] += len(to_update)

    result = {k: obj.pk for k, obj in existing.items()}
    result.update({key_of(obj): obj.pk for obj in to_create})
    return result
