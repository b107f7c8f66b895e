"""The three file formats of the admin import (Zuständigkeit, Umsetzungsstand per Land and per Kommune).

What one model's file looks like (columns, mandatory ones, the key), how a row becomes field values, each bad value
named with line, column and value, and how an object becomes a row again (the export in the import format).
Reading the file is ``core.importers.lese_tabelle``; planning and writing is ``catalog.importers.verwaltung``.
"""

import datetime

from django.utils import timezone

from ..choices import KUERZEL_LAND, LAND_KUERZEL, Anschlussstatus, Reifegradmodell, UmsetzungsStatus, VollzugsEbene
from ..models import Gebietskoerperschaft, KommunaleUmsetzung, LeikaLeistung, Leistung, Umsetzungsstand, Zustaendigkeit


class Nachschlag:
    """Lookups of keys to primary keys, loaded once per import."""

    def __init__(self):
        self.laender = dict(Gebietskoerperschaft.objects.laender().values_list("ars", "pk"))
        self.leistungen = dict(Leistung.objects.values_list("ozg_id", "pk"))
        self._kommunen: dict[str, int | None] = {}

    def land(self, wert: str):
        wert = wert.strip().upper()
        return self.laender.get(KUERZEL_LAND.get(wert, wert))

    def kommune(self, wert: str):
        wert = wert.strip()
        if not wert.isdigit():
            return None
        if wert not in self._kommunen:
            self._kommunen[wert] = (
                Gebietskoerperschaft.objects.kommunen().by_schluessel(wert).values_list("pk", flat=True).first()
            )
        return self._kommunen[wert]


def _wahl(liste, nummer, row, spalte, choices, pflicht=True, standard=""):
    """A choice given by value or by its German label, case-insensitive."""
    roh = row.get(spalte, "").strip()
    if not roh:
        if pflicht:
            liste.add(nummer, spalte, roh, "Pflichtangabe fehlt")
        return standard
    for wert, label in choices.choices:
        if roh.lower() in (str(wert).lower(), str(label).lower()):
            return wert
    liste.add(nummer, spalte, roh, f"erlaubt: {', '.join(str(w) for w in choices.values)}")
    return standard


def _datum(liste, nummer, row, spalte, pflicht=True):
    roh = row.get(spalte, "").strip()
    if not roh:
        if pflicht:
            liste.add(nummer, spalte, roh, "Pflichtangabe fehlt")
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(roh, fmt).date()
        except ValueError:
            continue
    liste.add(nummer, spalte, roh, "kein Datum (JJJJ-MM-TT oder TT.MM.JJJJ)")
    return None


def _leistung(liste, nummer, row, nachschlag):
    roh = row.get("ozg_id", "").strip()
    pk = nachschlag.leistungen.get(int(roh)) if roh.isdigit() else None
    if pk is None:
        liste.add(nummer, "ozg_id", roh, "keine OZG-ID des Katalogs" if roh else "Pflichtangabe fehlt")
    return pk


def _land(liste, nummer, row, nachschlag, spalte="land", pflicht=True):
    roh = row.get(spalte, "").strip()
    if not roh and not pflicht:
        return None
    pk = nachschlag.land(roh)
    if pk is None:
        liste.add(
            nummer, spalte, roh, "kein Land (Kürzel wie SH oder Schlüssel wie 01)" if roh else "Pflichtangabe fehlt"
        )
    return pk


class ImportFormat:
    """What one model's file looks like, how a row becomes field values, and how an object becomes a row."""

    model = None
    spalten: list[str] = []
    pflicht: list[str] = []
    schluesselfelder: list[str] = []
    #: Columns the export writes after ``spalten``, which the import does not read (flags nobody may set).
    nur_export: list[str] = []

    @property
    def export_spalten(self) -> list[str]:
        return [*self.spalten, *self.nur_export]

    def werte(self, liste, nummer, row, nachschlag) -> dict:
        raise NotImplementedError

    def export(self, obj) -> dict:
        raise NotImplementedError

    def vor_dem_speichern(self, obj):
        """Fields the database would fill in on save(), which bulk_update leaves alone."""


class ZustaendigkeitFormat(ImportFormat):
    model = Zustaendigkeit
    spalten = ["land", "ozg_id", "leika_schluessel", "ebene", "rechtsgrundlage", "bemerkung"]
    pflicht = ["land", "ozg_id", "ebene"]
    schluesselfelder = ["land_id", "leistung_id", "leika_leistung_id"]

    def werte(self, liste, nummer, row, nachschlag):
        leistung_id = _leistung(liste, nummer, row, nachschlag)
        leika_id = None
        schluessel = row.get("leika_schluessel", "").strip()
        if schluessel and leistung_id:
            leika_id = (
                LeikaLeistung.objects.filter(schluessel=schluessel, leistung_id=leistung_id)
                .values_list("pk", flat=True)
                .first()
            )
            if leika_id is None:
                liste.add(nummer, "leika_schluessel", schluessel, "keine LeiKa-Leistung dieser OZG-Leistung")
        return {
            "land_id": _land(liste, nummer, row, nachschlag),
            "leistung_id": leistung_id,
            "leika_leistung_id": leika_id,
            "ebene": _wahl(liste, nummer, row, "ebene", VollzugsEbene),
            "rechtsgrundlage": row.get("rechtsgrundlage", "").strip(),
            "bemerkung": row.get("bemerkung", "").strip(),
        }

    def export(self, obj):
        return {
            "land": obj.land.land_kuerzel,
            "ozg_id": obj.leistung.ozg_id,
            "leika_schluessel": obj.leika_leistung.schluessel if obj.leika_leistung_id else "",
            "ebene": obj.ebene,
            "rechtsgrundlage": obj.rechtsgrundlage,
            "bemerkung": obj.bemerkung,
        }

    def vor_dem_speichern(self, obj):
        obj.geaendert_am = timezone.now()


class UmsetzungsstandFormat(ImportFormat):
    model = Umsetzungsstand
    spalten = [
        "land",
        "ozg_id",
        "status",
        "reifegradmodell",
        "reifegrad",
        "efa_anbieter",
        "online_url",
        "stand",
        "bemerkung",
    ]
    pflicht = ["land", "ozg_id", "status", "stand"]
    schluesselfelder = ["land_id", "leistung_id"]

    def werte(self, liste, nummer, row, nachschlag):
        modell = _wahl(liste, nummer, row, "reifegradmodell", Reifegradmodell, False, Reifegradmodell.V1_1)
        roh = row.get("reifegrad", "").strip()
        reifegrad = None
        if roh:
            hoechstens = 4 if modell == Reifegradmodell.V1_1 else 7
            if roh.isdigit() and int(roh) <= hoechstens:
                reifegrad = int(roh)
            else:
                liste.add(nummer, "reifegrad", roh, f"Stufe 0–{hoechstens} im Reifegradmodell {modell}")
        return {
            "land_id": _land(liste, nummer, row, nachschlag),
            "leistung_id": _leistung(liste, nummer, row, nachschlag),
            "status": _wahl(liste, nummer, row, "status", UmsetzungsStatus),
            "reifegradmodell": modell,
            "reifegrad": reifegrad,
            "efa_anbieter_id": _land(liste, nummer, row, nachschlag, "efa_anbieter", pflicht=False),
            "online_url": row.get("online_url", "").strip(),
            "stand": _datum(liste, nummer, row, "stand"),
            "bemerkung": row.get("bemerkung", "").strip(),
        }

    def export(self, obj):
        return {
            "land": obj.land.land_kuerzel,
            "ozg_id": obj.leistung.ozg_id,
            "status": obj.status,
            "reifegradmodell": obj.reifegradmodell,
            "reifegrad": "" if obj.reifegrad is None else obj.reifegrad,
            "efa_anbieter": LAND_KUERZEL.get(obj.efa_anbieter.ars, "") if obj.efa_anbieter_id else "",
            "online_url": obj.online_url,
            "stand": obj.stand.isoformat(),
            "bemerkung": obj.bemerkung,
        }


class KommunaleUmsetzungFormat(ImportFormat):
    model = KommunaleUmsetzung
    spalten = ["kommune", "ozg_id", "status", "geplant_bis", "online_url", "stand"]
    pflicht = ["kommune", "ozg_id", "status", "stand"]
    schluesselfelder = ["kommune_id", "leistung_id"]
    # Load-test rows (``generate_synthetic``) are flagged in the export; the import never sets the flag.
    nur_export = ["synthetisch"]

    def werte(self, liste, nummer, row, nachschlag):
        roh = row.get("kommune", "").strip()
        kommune_id = nachschlag.kommune(roh)
        if kommune_id is None:
            liste.add(
                nummer,
                "kommune",
                roh,
                "keine Kommune (AGS mit 8 oder Regionalschlüssel mit 5, 9, 12 Ziffern)"
                if roh
                else "Pflichtangabe fehlt",
            )
        status = _wahl(liste, nummer, row, "status", Anschlussstatus)
        geplant_bis = _datum(liste, nummer, row, "geplant_bis", pflicht=False)
        if geplant_bis and status != Anschlussstatus.GEPLANT:
            liste.add(nummer, "geplant_bis", row["geplant_bis"], "ein Datum „geplant bis“ nur beim Status „geplant“")
        return {
            "kommune_id": kommune_id,
            "leistung_id": _leistung(liste, nummer, row, nachschlag),
            "status": status,
            "geplant_bis": geplant_bis,
            "online_url": row.get("online_url", "").strip(),
            "stand": _datum(liste, nummer, row, "stand"),
        }

    def export(self, obj):
        return {
            "kommune": obj.kommune.schluessel,
            "ozg_id": obj.leistung.ozg_id,
            "status": obj.status,
            "geplant_bis": obj.geplant_bis.isoformat() if obj.geplant_bis else "",
            "online_url": obj.online_url,
            "stand": obj.stand.isoformat(),
            "synthetisch": "ja" if obj.synthetisch else "",
        }


#: Field → column of the file, where they differ.
SPALTE = {
    "land_id": "land",
    "leistung_id": "ozg_id",
    "leika_leistung_id": "leika_schluessel",
    "kommune_id": "kommune",
    "efa_anbieter_id": "efa_anbieter",
}

FORMATE = {f.model: f() for f in (ZustaendigkeitFormat, UmsetzungsstandFormat, KommunaleUmsetzungFormat)}
