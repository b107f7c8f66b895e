"""The page of one Gebietskörperschaft (Kommune, Kreis, Land …), its print view and downloads: HTTP only.

Page and download read the list through the one FilterSet (``catalog.filtersets.kommune``), the same as the API.
The page names its change-log Bereich, so its ETag and cache entry change only with writes that can change it.
"""

from datetime import UTC, datetime

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.datenstand import datenstand_der_anfrage
from core.exports import DEUTSCHES_EXCEL, csv_response, xlsx_response
from core.seitencache import oeffentliche_seite

from .. import kommunenliste
from ..choices import Ebene, EffektiveEbene
from ..darstellung import LISTE, einsetzen, filterformular, liste, status_text
from ..filtersets.kommune import KommuneLeistungFilterSet
from ..importers.formate import ZustaendigkeitFormat
from ..leistungskatalog import katalog_der_anfrage
from ..models import Leistung
from ..plan import kommunaler_plan
from ..vollzieher import OFFENE_EBENEN, antwort_zuerst, verwaltung_von, vollzieher_je_ebene, zaehlung

EXPORT_SPALTEN = [
    "OZG-ID",
    "Leistung",
    "Themenfeld",
    "Lage",
    "LeiKa-Leistungen",
    "Typisierung",
    "Ebene",
    "Wer vollzieht hier",
    "Zuständigkeit",
    "Umsetzungsstand",
]


def _bereich(request, schluessel, **kwargs):
    return kommunenliste.gebiet_bereich(schluessel)


def _liste(request, gebiet):
    """The FilterSet of the body's list, its rows in page order (a ``Kommuneliste``, empty if a filter is invalid),
    its errors.

    Without parameters the rows are the whole list (``kommunenliste.ganze_liste``: the Land's part kept in memory)
    and there is nothing to filter: no FilterSet (None). With a filter in use, the FilterSet's filters applied to
    the body's list in one query.
    """
    katalog = katalog_der_anfrage(request)
    if not request.GET:
        return None, kommunenliste.ganze_liste(gebiet, katalog, datenstand_der_anfrage(request)), []
    filterset = KommuneLeistungFilterSet(request.GET, queryset=Leistung.objects.all(), request=request)
    if not filterset.is_valid():
        return filterset, kommunenliste.aus_werten([], katalog), filterset.fehlermeldungen()
    if filterset.aktive_filter():
        gefiltert = filterset.filter_queryset(Leistung.objects.fuer_kommune(gebiet))
        return filterset, kommunenliste.aus_werten(kommunenliste.werte(gefiltert), katalog), []
    return filterset, kommunenliste.ganze_liste(gebiet, katalog, datenstand_der_anfrage(request)), []


@oeffentliche_seite(bereich=_bereich)
def kommune(request, schluessel):
    return _kommune_seite(request, schluessel, druck=False)


@oeffentliche_seite(bereich=_bereich)
def kommune_druck(request, schluessel):
    """The same page as a clean A4 document: no navigation or filter controls, every group open, data date."""
    return _kommune_seite(request, schluessel, druck=True)


def _kommune_seite(request, schluessel, *, druck):
    gebiet = kommunenliste.gebiet_or_404(schluessel)
    verwaltung = verwaltung_von(gebiet)
    vollzieher = vollzieher_je_ebene(gebiet)
    filterset, zeilen, fehler = _liste(request, gebiet)
    aktive_filter = filterset.aktive_filter() if filterset is not None and not fehler else []
    # The whole list's counts: from its rows when it is shown whole, else one aggregate query.
    anzahl = kommunenliste.anzahl_abfragen(gebiet) if fehler or aktive_filter else zeilen.anzahl()
    je_ebene = zaehlung(anzahl, vollzieher)
    # Folded by default: the answer comes first, the full list of 557 stays one click away per Themenfeld.
    katalog = katalog_der_anfrage(request)
    gruppiert = liste(gebiet, zeilen, vollzieher, katalog, offen=druck or bool(aktive_filter))
    querystring = request.GET.urlencode()
    balken_name = _("OZG-Leistungen")
    kontext = {
        "gebiet": gebiet,
        "verwaltung": verwaltung,
        # Which bodies above this one the page links (Land, Kreis, Verwaltung): the key of its kept parts, whose
        # names and addresses each page puts in.
        "oben_form": (
            gebiet.land is not None and gebiet.land != gebiet,
            gebiet.kreis is not None and gebiet.kreis != gebiet,
            verwaltung != gebiet,
        ),
        "steckbrief_form": (bool(gebiet.einwohner), bool(gebiet.flaeche), bool(gebiet.plz)),
        "filterformular": "" if druck else filterformular(katalog, filterset, fehler, querystring, request.path),
        "fehler": fehler,
        "aktive_filter": aktive_filter,
        "zeilen": zeilen,
        "liste": LISTE,  # put in after rendering (einsetzen)
        "zaehlung": je_ebene,
        "antwort": antwort_zuerst(gebiet, verwaltung, je_ebene),
        "teilnahmen": kommunenliste.teilnahmen(gebiet),
        "querystring": querystring,
        "abfrage": f"?{querystring}" if querystring else "",
        "druck": druck,
        # The time of the last committed change that can change this page (its Datenstand, ETag/Last-Modified).
        "datenstand": datetime.fromtimestamp(datenstand_der_anfrage(request).last_modified, tz=UTC),
        "leistungen_gesamt": sum(z["anzahl"] for z in je_ebene),
        "gruppen_offen": gruppiert.offen,
        "ebenen_diagramm": [
            {"label": z["label"], "segmente": [{"wert": z["anzahl"], "klasse": "balken", "name": balken_name}]}
            for z in je_ebene
        ],
        "synthetisch": zeilen.synthetisch,
    }
    kontext.update(
        kommunenliste.umfeld(
            gebiet,
            {
                Ebene.LAND: _("Kreise und kreisfreie Städte"),
                Ebene.KREIS: _("Gemeinden im Kreis"),
                Ebene.GEMEINDEVERBAND: _("Gemeinden"),
                Ebene.REGIERUNGSBEZIRK: _("Kreise"),
            },
        )
    )
    # The counts already tell whether the Kommune-Redaktion recorded anything: no plan query for the others.
    if any(z["kommune_erfasst"] for z in je_ebene):
        kontext.update(kommunaler_plan(gebiet, zeilen.plan_stand, zeilen.plan_erstmals))
    return einsetzen(render(request, "catalog/kommune.html", kontext, status=400 if fehler else 200), gruppiert)


@oeffentliche_seite(bereich=_bereich)
def kommune_export(request, schluessel, format):
    """The list as CSV/XLSX, filtered like the page; ETag and 304 like the page (no page cache: not HTML)."""
    gebiet = kommunenliste.gebiet_or_404(schluessel)
    _filterset, zeilen, fehler = _liste(request, gebiet)
    if fehler:
        return HttpResponse(
            "Der Download wurde nicht erstellt: " + " ".join(fehler),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    vollzieher = vollzieher_je_ebene(gebiet)
    tabelle = (
        [
            z.leistung.ozg_id,
            z.leistung.name,
            z.leistung.themenfeld_name,
            z.leistung.lage_name,
            z.leistung.leika_anzahl,
            z.leistung.typ_codes,
            EffektiveEbene(z.ebene).label,
            vollzieher[z.ebene].text,
            _("abgeleitet aus der Typisierung") if z.abgeleitet else _("erfasst"),
            status_text(z.land_status, z.kommune_status, z.synthetisch),
        ]
        for z in zeilen
    )
    dateiname = f"ozg-leistungen-{gebiet.schluessel}-{slugify(gebiet.name)}.{format}"
    if format == "csv":
        return csv_response(dateiname, EXPORT_SPALTEN, tabelle, DEUTSCHES_EXCEL)
    return xlsx_response(dateiname, EXPORT_SPALTEN, tabelle, blattname="OZG-Leistungen")


def zustaendigkeit_vorlage(request, schluessel):
    """An import template for the Land-Redaktion: the columns of the Zuständigkeit import, one row per OZG-Leistung
    whose executing level is not recorded yet in this Land (``ebene`` left empty to fill in; rows left empty must be
    deleted before the import, which refuses a file with an empty required field)."""
    gebiet = kommunenliste.gebiet_or_404(schluessel)
    land = gebiet if gebiet.ebene == Ebene.LAND else gebiet.land
    if land is None:
        raise Http404(f"„{schluessel}“ liegt in keinem Land.")
    offen = (
        Leistung.objects.fuer_kommune(land)
        .filter(ebene__in=[e.value for e in OFFENE_EBENEN])
        .order_by("ozg_id")
        .values_list("ozg_id", flat=True)
    )
    spalten = ZustaendigkeitFormat.spalten
    zeilen = ([land.land_kuerzel, ozg_id] + [""] * (len(spalten) - 2) for ozg_id in offen)
    return csv_response(f"zustaendigkeit-importvorlage-{land.land_kuerzel}.csv", spalten, zeilen, DEUTSCHES_EXCEL)
