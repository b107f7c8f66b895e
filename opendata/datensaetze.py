"""The published datasets: name, German title and description, licence, and the rows (read in SQL, no N+1).

Each dataset is a header of (key, heading) pairs plus rows; ``bauen`` writes it as CSV (";" and BOM, as the
portal's other downloads), JSON and XLSX. The names are the stable file names under /opendaten/.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.db.models.functions import Coalesce

from berichte.models import Berichtslauf
from berichte.tabellen import TABELLEN, wert
from catalog.models import Gebietskoerperschaft, LeikaLeistung, Leistung, Zustaendigkeit
from labore.models import Labor
from themenfelder.models import PhasenStatus, TandemRolle, Teilnahme

#: Licences in the DCAT catalogue. Destatis data: Datenlizenz Deutschland – Namensnennung 2.0 (required by the
#: source). The catalogue extract comes from kdn-nrw/OZG-Datenbank-NRW under MIT. Our own transcriptions and
#: everything derived from several sources (tandems, phases, Labore, reports): also dl-by-de/2.0, the licence
#: GovData recommends for German public-sector data, so one attribution rule covers derived tables.
LIZENZEN = {
    "dl-by-de": {
        "uri": "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
        "name": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
        "url": "https://www.govdata.de/dl-de/by-2-0",
    },
    "mit": {
        "uri": "http://publications.europa.eu/resource/authority/licence/MIT",
        "name": "MIT-Lizenz",
        "url": "https://opensource.org/license/mit",
    },
}

QUELLE_DESTATIS = "© Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-Informationssystem GV-ISys, 4. Quartal"
QUELLE_KATALOG = "OZG-Umsetzungskatalog 2019 (Inhalt BMI/FITKO), extrahiert aus kdn-nrw/OZG-Datenbank-NRW (MIT)"
QUELLE_SEED = "OZG-Portal: Transkription der Tabellen „Stand 11.04.2019“ (IT-Planungsrat, Seed 000)"
QUELLE_PORTAL = "OZG-Portal, erfasst von der Redaktion"
QUELLE_BERICHT = "OZG-Portal, berechnet aus Katalog, Gemeindeverzeichnis (© Destatis) und Seed-Tabellen"

#: EU data themes (http://publications.europa.eu/resource/authority/data-theme/…).
THEMA_REGIERUNG = "GOVE"
THEMA_REGIONEN = "REGI"


@dataclass(frozen=True)
class Datensatz:
    name: str
    titel: str
    beschreibung: str
    lizenz: str  # key of LIZENZEN
    namensnennung: str
    zeilen: Callable[[], tuple[list[tuple[str, str]], Iterable[tuple]]]
    beginn: date = date(2019, 1, 1)
    thema: str = THEMA_REGIERUNG
    schlagworte: tuple[str, ...] = ("OZG", "Onlinezugangsgesetz")


def _werte(qs, spalten):
    return spalten, qs.values_list(*[name for name, _ in spalten]).iterator(chunk_size=2000)


def leistungen():
    spalten = [
        ("ozg_id", "OZG-ID"),
        ("name", "Name"),
        ("lage__themenfeld__slug", "Themenfeld"),
        ("lage__themenfeld__name", "Themenfeld (Name)"),
        ("lage__slug", "Lage"),
        ("lage__name", "Lage (Name)"),
        ("vollzug", "Vollzug laut Typisierung"),
        ("leika_anzahl", "Anzahl LeiKa-Leistungen"),
    ]
    return _werte(Leistung.objects.annotate(leika_anzahl=Count("leika_leistungen")).order_by("ozg_id"), spalten)


def leika():
    spalten = [
        ("zeile", "Zeile im Katalog"),
        ("schluessel", "LeiKa-Schlüssel"),
        ("bezeichnung", "Bezeichnung"),
        ("leistung__ozg_id", "OZG-ID"),
        ("typisierung", "Typisierung"),
        ("vollzug", "Vollzug laut Typisierung"),
        ("sdg1", "SDG Anhang I"),
        ("sdg2", "SDG Anhang II"),
        ("gesetzeskuerzel", "Gesetzeskürzel"),
        ("rechtsgrundlage", "Rechtsgrundlage"),
    ]
    return _werte(LeikaLeistung.objects.order_by("zeile"), spalten)


def gebiete():
    spalten = [
        ("ars", "Regionalschlüssel (ARS)"),
        ("ags", "Gemeindeschlüssel (AGS)"),
        ("ebene", "Ebene"),
        ("textkennzeichen", "Textkennzeichen"),
        ("name", "Name"),
        ("parent__ars", "übergeordnet (ARS)"),
        ("land__ars", "Land (ARS)"),
        ("kreis__ars", "Kreis (ARS)"),
        ("einwohner", "Einwohner"),
        ("flaeche", "Fläche (km²)"),
        ("plz", "Postleitzahl"),
        ("laengengrad", "Längengrad"),
        ("breitengrad", "Breitengrad"),
    ]
    return _werte(Gebietskoerperschaft.objects.order_by("ars"), spalten)


def zustaendigkeiten():
    spalten = [
        ("land__ars", "Land (ARS)"),
        ("land__name", "Land"),
        ("leistung__ozg_id", "OZG-ID"),
        ("leika_leistung__zeile", "LeiKa-Zeile"),
        ("leika_leistung__schluessel", "LeiKa-Schlüssel"),
        ("ebene", "vollziehende Ebene"),
        ("rechtsgrundlage", "Rechtsgrundlage im Land"),
        ("bemerkung", "Bemerkung"),
        ("geaendert_am", "geändert am"),
    ]
    return _werte(Zustaendigkeit.objects.order_by("land__ars", "leistung__ozg_id", "pk"), spalten)


def tandems():
    spalten = [
        ("themenfeld__slug", "Themenfeld"),
        ("themenfeld__name", "Themenfeld (Name)"),
        ("rolle", "Rolle"),
        ("umfang", "Umfang"),
        ("partner", "Partner"),
        ("land__ars", "Land (ARS)"),
        ("organisation__kurzname", "Organisation"),
        ("bemerkung", "Bemerkung"),
    ]
    qs = TandemRolle.objects.annotate(partner=Coalesce("land__name", "organisation__name"))
    return _werte(qs, spalten)


def phasenstatus():
    spalten = [
        ("themenfeld__slug", "Themenfeld"),
        ("themenfeld__name", "Themenfeld (Name)"),
        ("phase", "Phase"),
        ("status", "Status"),
        ("stand", "Stand"),
        ("quelle", "Quelle"),
    ]
    return _werte(PhasenStatus.objects.order_by("themenfeld__slug", "stand", "phase"), spalten)


def labore():
    spalten = [
        ("slug", "Kürzel"),
        ("titel", "Titel"),
        ("themenfeld__slug", "Themenfeld"),
        ("pilot", "Pilotlabor"),
        ("methodenphase", "Methodenphase"),
        ("gestartet_bis", "gestartet spätestens am"),
        ("leistungen_anzahl", "Anzahl OZG-Leistungen"),
        ("ozg_ids", "OZG-IDs"),
    ]
    zuordnung: dict[int, list[str]] = {}
    for labor_id, ozg_id in Labor.leistungen.through.objects.order_by("leistung__ozg_id").values_list(
        "labor_id", "leistung__ozg_id"
    ):
        zuordnung.setdefault(labor_id, []).append(str(ozg_id))
    qs = Labor.objects.annotate(leistungen_anzahl=Count("leistungen")).order_by("slug")
    felder = [n for n, _ in spalten[:-1]]
    zeilen = ((*werte, " ".join(zuordnung.get(pk, []))) for pk, *werte in qs.values_list("pk", *felder).iterator())
    return spalten, zeilen


def teilnahmen():
    spalten = [
        ("themenfeld__slug", "Themenfeld"),
        ("gebiet__ars", "Gebiet (ARS)"),
        ("gebiet__name", "Gebiet"),
        ("organisation__kurzname", "Organisation"),
        ("art", "Art"),
        ("laborzuordnung__labor__slug", "Labor"),
        ("name_im_dokument", "Name in der Quelle"),
        ("land_im_dokument", "Land in der Quelle"),
        ("befund", "Befund der Zuordnung"),
        ("stand", "Stand"),
    ]
    return _werte(Teilnahme.objects.order_by("themenfeld__slug", "stand", "position"), spalten)


def bericht(schluessel: str):
    def zeilen():
        tabelle = TABELLEN[schluessel]
        spalten = tabelle.spalten
        lauf = Berichtslauf.objects.aktuell(tabelle.art)
        if lauf is None:
            return spalten, iter(())
        qs = tabelle.model.objects.filter(lauf=lauf).order_by(*tabelle.model._meta.ordering[1:] or ["pk"])
        return spalten, ([wert(z, name) for name, _ in spalten] for z in qs.iterator(chunk_size=2000))

    return zeilen


def _berichte() -> list[Datensatz]:
    return [
        Datensatz(
            f"bericht-{schluessel}",
            f"Bericht: {tabelle.titel}",
            f"Die Tabelle „{tabelle.titel}“ des aktuellen Berichtslaufs, wie unter /berichte/ veröffentlicht; "
            "die Berichte werden nach jeder Änderung der Quelldaten neu gebaut.",
            "dl-by-de",
            QUELLE_BERICHT,
            bericht(schluessel),
            thema=THEMA_REGIONEN if "umsetzung" in schluessel else THEMA_REGIERUNG,
        )
        for schluessel, tabelle in TABELLEN.items()
    ]


def alle() -> dict[str, Datensatz]:
    """Every dataset by its name, in the order of the landing page."""
    liste = [
        Datensatz(
            "leistungen",
            "OZG-Leistungen",
            "Die 557 OZG-Leistungen des Umsetzungskatalogs 2019 mit Themenfeld, Lage und dem Vollzug laut Typisierung.",
            "mit",
            QUELLE_KATALOG,
            leistungen,
        ),
        Datensatz(
            "leika",
            "LeiKa-Leistungen",
            "Die Leistungen des Leistungskatalogs (LeiKa) im OZG-Umsetzungskatalog 2019 mit Zuordnung zur "
            "OZG-Leistung, Typisierung, SDG-Relevanz und Rechtsgrundlage.",
            "mit",
            QUELLE_KATALOG,
            leika,
        ),
        Datensatz(
            "gebietskoerperschaften",
            "Gebietskörperschaften",
            "Länder, Regierungsbezirke, Kreise, Gemeindeverbände und Gemeinden Deutschlands mit Regionalschlüssel "
            "(ARS), AGS, Einwohnern, Fläche und Lage, aus dem Gemeindeverzeichnis.",
            "dl-by-de",
            QUELLE_DESTATIS,
            gebiete,
            thema=THEMA_REGIONEN,
            schlagworte=("Gemeindeverzeichnis", "Kommunen", "Regionalschlüssel"),
        ),
        Datensatz(
            "zustaendigkeiten",
            "Zuständigkeiten",
            "Welche Ebene eine OZG-Leistung in einem Land vollzieht, wie von den Redaktionen der Länder erfasst.",
            "dl-by-de",
            QUELLE_PORTAL,
            zustaendigkeiten,
        ),
        Datensatz(
            "tandems",
            "Tandems der Themenfelder",
            "Die Bund-Länder-Tandems je Themenfeld: federführende (FF) und mitarbeitende (MA) Partner.",
            "dl-by-de",
            QUELLE_SEED,
            tandems,
        ),
        Datensatz(
            "phasenstatus",
            "Phasenstatus der Themenfelder",
            "Der Stand der sechs Phasen je Themenfeld zu jedem erfassten Stichtag.",
            "dl-by-de",
            QUELLE_SEED,
            phasenstatus,
        ),
        Datensatz(
            "labore",
            "Digitalisierungslabore",
            "Die Digitalisierungslabore mit Themenfeld, Pilotkennzeichen, Methodenphase und OZG-Leistungen.",
            "dl-by-de",
            QUELLE_SEED,
            labore,
        ),
        Datensatz(
            "teilnahmen",
            "Teilnahmen von Kommunen und IT-Dienstleistern",
            "Welche Kommunen und IT-Dienstleister in welchem Themenfeld und Labor mitarbeiten, mit der prüfbaren "
            "Zuordnung zum Gemeindeverzeichnis.",
            "dl-by-de",
            QUELLE_SEED,
            teilnahmen,
        ),
        *_berichte(),
    ]
    return {d.name: d for d in liste}


#: Source model → datasets to rebuild after a change (``opendata.signals``).
BETROFFEN = {
    "catalog.Themenfeld": ("leistungen", "tandems", "phasenstatus", "teilnahmen"),
    "catalog.Lage": ("leistungen",),
    "catalog.Leistung": ("leistungen", "leika", "labore"),
    "catalog.LeikaLeistung": ("leika", "leistungen"),
    "catalog.Gebietskoerperschaft": ("gebietskoerperschaften",),
    "catalog.Organisation": ("tandems", "teilnahmen"),
    "catalog.Zustaendigkeit": ("zustaendigkeiten",),
    "themenfelder.TandemRolle": ("tandems",),
    "themenfelder.PhasenStatus": ("phasenstatus",),
    "themenfelder.Teilnahme": ("teilnahmen",),
    "labore.Labor": ("labore",),
    "labore.LaborTeilnahme": ("teilnahmen",),  # its column "Labor"
}
