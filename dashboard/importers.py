"""Import of the federal dashboard's format: CSV (``;`` or ``,``), XLSX, the JSON pages of ``GET /v1/data/{ars}``
or a URL of that endpoint.

Like every import of the portal (``core.importers``): the whole input is read and checked first; every bad
row is named with file, line, column and value and then nothing is written. A clean input is written in one
transaction with history and change-log entries (``core.aenderungen.bulk_schreiben``, as every import does);
equal rows are left alone, so a second run changes nothing. An import never deletes.

Mapping (README, "Bundesdashboard"): ``ars`` → Gebietskörperschaft (12 digits; 2/5/9-digit Regionalschlüssel and
the 8-digit AGS too), ``leika_key`` (else ``ozgid``) → LeiKa- and OZG-Leistung, ``art_flaechendeckung`` → where the
row is stored (Bund, Land, Kreis or the Kommune itself), ``aktiv`` → the portal's status.

Files are streamed (CSV line by line, XLSX in read-only mode): memory grows with the number of distinct rows, not
with the file.
"""

import csv
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from catalog.choices import Anschlussstatus, Ebene, UmsetzungsStatus
from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung, LeikaLeistung, Leistung, Umsetzungsstand
from core.aenderungen import bulk_schreiben
from core.importers import Fehler, Fehlerliste, ImportFehler

from .choices import ARS_BUND, Aktiv, Flaechendeckung, OnlineStatus
from .models import Onlinedienst

BATCH = 2000
_URL = URLValidator(schemes=["http", "https"])


def _url_gueltig(url: str) -> bool:
    """Django's URLValidator, with a cheap check first: most federal URLs are plain ASCII http(s) addresses."""
    teile = urllib.parse.urlsplit(url)
    if teile.scheme not in ("http", "https") or not teile.netloc or any(c.isspace() for c in url):
        return False
    if url.isascii() and len(url) <= 2000 and "@" not in teile.netloc and "[" not in teile.netloc:
        return True
    try:
        _URL(url)
    except ValidationError:
        return False
    return True


_ONLINE_STATUS = {c.value for c in OnlineStatus}
_AKTIV = {c.value for c in Aktiv}
_ART = {c.value: c for c in Flaechendeckung}
_KOMMUNAL = {Ebene.KREIS, Ebene.GEMEINDEVERBAND, Ebene.GEMEINDE}


# --- Reading the sources ----------------------------------------------------------------------------------
def _text(wert) -> str:
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
                yield reader.line_num, dict(zip(kopf, zellen, strict=True))
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
        kopf = [_text(w) for w in next(zeilen, ())]
        for nummer, werte in enumerate(zeilen, start=2):
            zellen = [_text(w) for w in werte]
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
        yield nummer, {k: _text(v) for k, v in eintrag.items()}


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


# --- Checking rows ----------------------------------------------------------------------------------
class Nachschlag:
    """Keys to primary keys, loaded once: all Gebietskörperschaften, LeiKa-Schlüssel and OZG-IDs."""

    def __init__(self):
        self.gebiete = {}  # ars → (pk, ebene, land_id, kreis_id)
        self.ags = {}
        for pk, ars, ags, ebene, land_id, kreis_id in Gebietskoerperschaft.objects.values_list(
            "pk", "ars", "ags", "ebene", "land_id", "kreis_id"
        ):
            self.gebiete[ars] = (pk, ebene, land_id, kreis_id)
            if ags:
                self.ags[ags] = ars
        self.nach_pk = {v[0]: (ars, *v[1:]) for ars, v in self.gebiete.items()}
        self.leika: dict[str, list[tuple[int, int | None]]] = {}
        for pk, schluessel, leistung_id in LeikaLeistung.objects.exclude(schluessel="").values_list(
            "pk", "schluessel", "leistung_id"
        ):
            self.leika.setdefault(schluessel, []).append((pk, leistung_id))
        self.leistungen = dict(Leistung.objects.values_list("ozg_id", "pk"))
        self.laender = [v[0] for v in self.gebiete.values() if v[1] == Ebene.LAND]

    def gebiet(self, ars: str):
        """The ars of the most specific Gebietskörperschaft the key names; ARS_BUND for the Bund; None if unknown."""
        if not ars.isdigit():
            return None
        if ars == ARS_BUND:
            return ARS_BUND
        if len(ars) == 8:
            return self.ags.get(ars)
        if len(ars) in (2, 3, 5, 9):
            return ars if ars in self.gebiete else None
        if len(ars) != 12:
            return None
        if ars in self.gebiete:
            return ars
        # A higher level written with trailing zeros: 010510000000 is the Kreis 01051.
        for laenge in (9, 5, 4, 3, 2):
            if ars[laenge:].strip("0") == "" and ars[:laenge] in self.gebiete:
                return ars[:laenge]
        return None

    def gebiets_daten(self, ars: str):
        """(pk, ebene, land_id, kreis_id) of a Regionalschlüssel returned by ``gebiet()``."""
        return self.gebiete[ars]


@dataclass
class Plan:
    """The checked file: one entry per storage place, and the portal statuses to derive."""

    dienste: dict = field(
        default_factory=dict
    )  # (gebiet_id|None, leika_id) → (zeile, leistung_id, url, status, aktiv, art)
    status: dict = field(default_factory=dict)  # (gebiet_id, leistung_id) → (zeile, aktiv_ja: bool, url)
    zeilen: int = 0
    zusammengefasst: int = 0


def _pruefe(
    liste: Fehlerliste, nummer: int, row: dict, nachschlag: Nachschlag, plan: Plan, gesehen: dict, bereich=None
) -> None:
    fehler_vorher = len(liste.fehler)

    def wert(spalte):
        return row.get(spalte, "").strip() if isinstance(row.get(spalte), str) else _text(row.get(spalte))

    # ARS → Gebietskörperschaft
    ars = wert("ars")
    gefunden = nachschlag.gebiet(ars) if ars else None
    if gefunden is None:
        liste.add(
            nummer,
            "ars",
            ars,
            "unbekannter Regionalschlüssel (12 Ziffern; auch 2, 5, 9 Ziffern oder AGS mit 8)"
            if ars
            else "Pflichtangabe fehlt",
        )
    # LeiKa-Schlüssel, else OZG-ID → LeiKa- and OZG-Leistung
    leika_key, ozgid = wert("leika_key"), wert("ozgid")
    leistung_id = leika_id = None
    if ozgid:
        leistung_id = nachschlag.leistungen.get(int(ozgid)) if ozgid.isdigit() else None
        if leistung_id is None:
            liste.add(nummer, "ozgid", ozgid, "keine OZG-ID des Katalogs")
    if leika_key:
        kandidaten = nachschlag.leika.get(leika_key, [])
        if not kandidaten:
            liste.add(nummer, "leika_key", leika_key, "kein LeiKa-Schlüssel des Katalogs")
        elif ozgid:
            passend = [k for k in kandidaten if k[1] == leistung_id]
            if leistung_id is not None and not passend:
                liste.add(nummer, "leika_key", leika_key, f"gehört nicht zur OZG-Leistung {ozgid}")
            elif passend:
                leika_id = passend[0][0]
        else:
            mit_leistung = [k for k in kandidaten if k[1] is not None]
            if len(mit_leistung) == 1:
                leika_id, leistung_id = mit_leistung[0]
            elif not mit_leistung:
                liste.add(nummer, "leika_key", leika_key, "keiner OZG-Leistung zugeordnet; bitte ozgid angeben")
            else:
                liste.add(nummer, "leika_key", leika_key, "gehört zu mehreren OZG-Leistungen; bitte ozgid angeben")
    elif not ozgid:
        liste.add(nummer, "leika_key", "", "Pflichtangabe fehlt (leika_key oder ozgid)")
    # Values
    url = wert("url")
    if url and not _url_gueltig(url):
        liste.add(nummer, "url", url, "keine gültige http(s)-Adresse")
    online_status = wert("online_status")
    if online_status not in _ONLINE_STATUS:
        liste.add(nummer, "online_status", online_status, "erlaubt: ok, nicht ok")
    aktiv = wert("aktiv")
    if aktiv not in _AKTIV and aktiv not in ("", "null"):
        liste.add(nummer, "aktiv", aktiv, "erlaubt: ja, nein oder leer")
    aktiv = aktiv if aktiv in _AKTIV else ""
    art_text = wert("art_flaechendeckung")
    art = _ART.get(art_text)
    if art is None:
        liste.add(nummer, "art_flaechendeckung", art_text, f"erlaubt: {', '.join(_ART)}")
    if len(liste.fehler) > fehler_vorher:
        return

    # Where the row is stored: its coverage decides.
    if gefunden == ARS_BUND:
        pk = ebene = land_id = kreis_id = None
    else:
        pk, ebene, land_id, kreis_id = nachschlag.gebiets_daten(gefunden)
    if art == Flaechendeckung.BUNDESWEIT:
        ort = None
    elif art == Flaechendeckung.LANDESWEIT:
        ort = pk if ebene == Ebene.LAND else land_id
    elif art == Flaechendeckung.KREISWEIT:
        ort = pk if ebene == Ebene.KREIS else kreis_id
    elif art == Flaechendeckung.KOMMUNE:
        ort = pk if ebene in _KOMMUNAL else None
    else:
        ort = pk
    if ort is None and art not in (Flaechendeckung.BUNDESWEIT, Flaechendeckung.NICHT_BERUECKSICHTIGT):
        liste.add(nummer, "art_flaechendeckung", art_text, f"passt nicht zum Regionalschlüssel {ars}")
        return
    if bereich is not None and not bereich(ort, art):
        liste.add(nummer, "ars", ars, "gehört nicht zu Ihrem Bereich (anderes Land oder andere Kommune)")
        return

    plan.zeilen += 1
    if leika_id is not None:
        schluessel = (ort, leika_id)
        eintrag = (nummer, leistung_id, url, online_status, aktiv, art.value)
        frueher = plan.dienste.get(schluessel)
        if frueher is not None:
            if frueher[1:] != eintrag[1:]:
                liste.add(nummer, None, None, f"widerspricht Zeile {frueher[0]} (dieselbe Leistung am selben Ort)")
            else:
                plan.zusammengefasst += 1
            return
        plan.dienste[schluessel] = eintrag
    elif (ort, leistung_id, "ozg") in gesehen:
        frueher = gesehen[(ort, leistung_id, "ozg")]
        if frueher[1:] != (url, online_status, aktiv, art.value):
            liste.add(nummer, None, None, f"widerspricht Zeile {frueher[0]} (dieselbe Leistung am selben Ort)")
        else:
            plan.zusammengefasst += 1
        return
    else:
        gesehen[(ort, leistung_id, "ozg")] = (nummer, url, online_status, aktiv, art.value)

    # The portal's status for the place and the OZG-Leistung: "ja" wins; its URL is the status's URL.
    if art == Flaechendeckung.NICHT_BERUECKSICHTIGT:
        return
    orte = nachschlag.laender if ort is None else [ort]
    for o in orte:
        alt = plan.status.get((o, leistung_id))
        ja = aktiv == Aktiv.JA
        if alt is None or (ja and not alt[1]) or (ja == alt[1] and not alt[2] and url):
            plan.status[(o, leistung_id)] = (nummer, ja, url)


def plane(quellen: list[tuple[str, Path]], bereich=None) -> Plan:
    """Read and check every source; return the plan or raise ImportFehler naming every bad row."""
    nachschlag = Nachschlag()
    plan = Plan()
    fehler: list[Fehler] = []
    gesehen: dict = {}
    for name, pfad in quellen:
        liste = Fehlerliste(name, fehler)
        erste = True
        for nummer, row in datei_zeilen(pfad, liste, name):
            if erste:
                fehlend = [s for s in ("ars", "online_status", "art_flaechendeckung") if s not in row]
                if "leika_key" not in row and "ozgid" not in row:
                    fehlend.append("leika_key oder ozgid")
                if fehlend:
                    liste.add(1, None, None, f"Spalten fehlen: {', '.join(fehlend)}")
                    break
                erste = False
            _pruefe(liste, nummer, row, nachschlag, plan, gesehen, bereich)
        if erste and not any(f.datei == name for f in fehler) and plan.zeilen == 0 and len(quellen) == 1:
            liste.add(None, None, None, "die Datei enthält keine Zeilen")
    if fehler:
        raise ImportFehler(fehler)
    return plan


# --- Writing -----------------------------------------------------------------------------------------
@dataclass
class Ergebnis:
    zahlen: dict = field(default_factory=dict)  # model label → {"neu": n, "geändert": n, "unverändert": n}

    def zeilen(self) -> list[str]:
        return [
            f"{label}: {z['neu']} neu, {z['geändert']} geändert, {z['unverändert']} unverändert"
            for label, z in self.zahlen.items()
        ]

    @property
    def geaendert(self) -> bool:
        return any(z["neu"] or z["geändert"] for z in self.zahlen.values())


def _zaehle(ergebnis, label, art, n=1):
    ergebnis.zahlen.setdefault(label, {"neu": 0, "geändert": 0, "unverändert": 0})[art] += n


def vergleiche(plan: Plan) -> Ergebnis:
    """What writing the plan would change, without writing (``--dry-run`` and the admin's preview)."""
    return schreibe(plan, user=None, grund="", nur_zaehlen=True)


def schreibe(plan: Plan, *, user, grund: str, nur_zaehlen: bool = False) -> Ergebnis:
    ergebnis = Ergebnis()
    grund = grund[:100]  # simple_history's change reason holds 100 characters
    if nur_zaehlen:
        _schreibe(plan, ergebnis, user, grund, True)
    else:
        with transaction.atomic():
            _schreibe(plan, ergebnis, user, grund, False)
    return ergebnis


def _schreibe(plan: Plan, ergebnis: Ergebnis, user, grund: str, nur_zaehlen: bool) -> None:
    felder = ["leistung_id", "url", "online_status", "aktiv", "art_flaechendeckung"]
    label = str(Onlinedienst._meta.verbose_name_plural)
    offen = dict(plan.dienste)
    aendern = []

    def flush_update(force=False):
        if aendern and (force or len(aendern) >= BATCH) and not nur_zaehlen:
            bulk_schreiben(Onlinedienst, geaendert=aendern, felder=felder, user=user, grund=grund, batch_size=BATCH)
        if force or len(aendern) >= BATCH:
            aendern.clear()

    # Existing rows: stream them once, compare in memory.
    gebiete = {k[0] for k in plan.dienste}
    bestand = Onlinedienst.objects.all()
    if len(gebiete) < 1000:
        from django.db.models import Q

        q = Q(gebiet__in=[g for g in gebiete if g is not None])
        if None in gebiete:
            q |= Q(gebiet__isnull=True)
        bestand = bestand.filter(q)
    # Compare plain tuples (no model instances for the unchanged majority); build an instance only to update.
    for pk, gebiet_id, leika_id, *werte in bestand.values_list("pk", "gebiet_id", "leika_id", *felder).iterator(
        chunk_size=BATCH
    ):
        eintrag = offen.pop((gebiet_id, leika_id), None)
        if eintrag is None:
            continue
        if tuple(werte) == eintrag[1:]:
            _zaehle(ergebnis, label, "unverändert")
            continue
        obj = Onlinedienst(pk=pk, gebiet_id=gebiet_id, leika_id=leika_id, **dict(zip(felder, eintrag[1:], strict=True)))
        obj._state.adding = False
        aendern.append(obj)
        _zaehle(ergebnis, label, "geändert")
        flush_update()
    flush_update(force=True)

    neu_objekte = []
    for (gebiet_id, leika_id), eintrag in offen.items():
        _zaehle(ergebnis, label, "neu")
        if nur_zaehlen:
            continue
        neu_objekte.append(
            Onlinedienst(gebiet_id=gebiet_id, leika_id=leika_id, **dict(zip(felder, eintrag[1:], strict=True)))
        )
        if len(neu_objekte) >= BATCH:
            bulk_schreiben(Onlinedienst, neu=neu_objekte, user=user, grund=grund, batch_size=BATCH)
            neu_objekte = []
    if neu_objekte:
        bulk_schreiben(Onlinedienst, neu=neu_objekte, user=user, grund=grund, batch_size=BATCH)
    _schreibe_status(plan, ergebnis, user, grund, nur_zaehlen)


def _schreibe_status(plan: Plan, ergebnis: Ergebnis, user, grund: str, nur_zaehlen: bool) -> None:
    """Umsetzungsstand (Land) and KommunaleUmsetzung (Kreis, Gemeindeverband, Gemeinde) from the rows."""
    heute = timezone.localdate()
    ebenen = dict(Gebietskoerperschaft.objects.filter(pk__in={g for g, _ in plan.status}).values_list("pk", "ebene"))
    for model, ort_feld, ja, nein, im_land in (
        (Umsetzungsstand, "land_id", UmsetzungsStatus.ONLINE, UmsetzungsStatus.IN_UMSETZUNG, True),
        (KommunaleUmsetzung, "kommune_id", Anschlussstatus.ANGESCHLOSSEN, Anschlussstatus.GEPLANT, False),
    ):
        label = str(model._meta.verbose_name_plural)
        wunsch = {
            (g, leistung): (ja if ist_ja else nein, url)
            for (g, leistung), (_, ist_ja, url) in plan.status.items()
            if (ebenen.get(g) == Ebene.LAND) == im_land
        }
        if not wunsch:
            continue
        orte = {g for g, _ in wunsch}
        leistungen = {leistung for _, leistung in wunsch}
        neu, aendern = [], []
        bestand = model.objects.filter(**{f"{ort_feld}__in": orte, "leistung_id__in": leistungen})
        for obj in bestand.iterator(chunk_size=BATCH):
            ziel = wunsch.pop((getattr(obj, ort_feld), obj.leistung_id), None)
            if ziel is None:
                continue
            status, url = ziel
            if obj.status == status and obj.online_url == url:
                _zaehle(ergebnis, label, "unverändert")
                continue
            obj.status, obj.online_url, obj.stand = status, url, heute
            if model is KommunaleUmsetzung and status != Anschlussstatus.GEPLANT:
                obj.geplant_bis = None
            aendern.append(obj)
            _zaehle(ergebnis, label, "geändert")
        for (g, leistung), (status, url) in wunsch.items():
            neu.append(model(**{ort_feld: g}, leistung_id=leistung, status=status, online_url=url, stand=heute))
            _zaehle(ergebnis, label, "neu")
        if nur_zaehlen:
            continue
        if neu:
            bulk_schreiben(model, neu=neu, user=user, grund=grund, batch_size=BATCH)
        if aendern:
            bulk_schreiben(
                model,
                geaendert=aendern,
                felder=["status", "online_url", "stand", *(["geplant_bis"] if model is KommunaleUmsetzung else [])],
                user=user,
                grund=grund,
                batch_size=BATCH,
            )


def importiere(quellen: list[tuple[str, Path]], *, user=None, grund: str = "", dry_run: bool = False, bereich=None):
    """Check all sources, then write them (or only count, ``dry_run``); raises ImportFehler on any bad row."""
    plan = plane(quellen, bereich)
    grund = grund or "Import Bundesdashboard " + ", ".join(n for n, _ in quellen)
    if dry_run:
        return plan, vergleiche(plan)
    return plan, schreibe(plan, user=user, grund=grund)
