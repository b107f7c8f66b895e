"""Public pages of the catalogue: Kommune search, Kommune (and Land) pages with filters and downloads, Leistungen.

Every page runs a fixed number of queries, whatever the number of rows shown: lists are single annotated queries
and counts are aggregated in the database.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape as html_escape
from itertools import groupby
from operator import itemgetter

from django.db.models import Aggregate, CharField, Count, IntegerField, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.datenstand import datenstand_der_anfrage
from core.exports import DEUTSCHES_EXCEL, csv_response, xlsx_response
from core.seitencache import oeffentliche_seite

from . import suche
from .choices import Anschlussstatus, Ebene, EffektiveEbene, Textkennzeichen, UmsetzungsStatus
from .filtersets.seiten import KommuneLeistungFilter, status_text
from .importers.formate import ZustaendigkeitFormat
from .models import (
    Gebietskoerperschaft,
    KommunaleUmsetzung,
    LeikaLeistung,
    Leistung,
    Umsetzungsstand,
    Zustaendigkeit,
)
from .zustaendigkeit import ermittle

#: Gemeindeverbände that run the administration of their member Gemeinden (not the "verbandsfreie" pseudo-level).
VERWALTENDE_VERBAENDE = {
    Textkennzeichen.AMT,
    Textkennzeichen.SAMTGEMEINDE,
    Textkennzeichen.VERBANDSGEMEINDE,
    Textkennzeichen.VERWALTUNGSGEMEINSCHAFT,
    Textkennzeichen.KIRCHSPIELSLANDGEMEINDE,
    Textkennzeichen.VERWALTUNGSVERBAND,
    Textkennzeichen.ERFUELLENDE_GEMEINDE,
}

#: Order of the executing levels in counts, charts and filters: from near to far, then the open cases.
EBENEN_REIHENFOLGE = [
    EffektiveEbene.GEMEINDE,
    EffektiveEbene.KOMMUNE,
    EffektiveEbene.KREIS,
    EffektiveEbene.LAND,
    EffektiveEbene.BUND,
    EffektiveEbene.OFFEN,
    EffektiveEbene.GEMISCHT,
    EffektiveEbene.KEINE,
]

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


class _TypenListe(Aggregate):
    """The distinct Typisierungen of a Leistung's LeiKa-Leistungen in one string (split again in Python)."""

    function = "STRING_AGG"
    output_field = CharField()
    allow_distinct = True
    template = "%(function)s(%(distinct)s%(expressions)s, '|')"

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite's GROUP_CONCAT(DISTINCT …) allows no separator; "," splits as well as "|".
        return self.as_sql(
            compiler, connection, function="GROUP_CONCAT", template="%(function)s(%(distinct)s%(expressions)s)"
        )


def _typ_sortierung(code: str):
    ziffern = re.match(r"\d+", code)
    return (int(ziffern.group()) if ziffern else 99, code)


def typ_codes(typen: str | None) -> str:
    """'2/3|1, 2/3' → '1, 2/3': each code once, in FIM order."""
    if not typen:
        return ""
    codes = {c.strip() for c in re.split(r"[|,;]", typen) if c.strip()}
    return ", ".join(sorted(codes, key=_typ_sortierung))


@dataclass(frozen=True)
class Vollzieher:
    """Who executes a Leistung for the page's Gebietskörperschaft: a text, and the page to link if there is one."""

    text: str
    gebiet: Gebietskoerperschaft | None = None
    hinweis: str = ""


def gebiet_or_404(schluessel: str, **select) -> Gebietskoerperschaft:
    if not schluessel.isdigit() or len(schluessel) not in (2, 3, 4, 5, 8, 9, 12):
        raise Http404(
            f"„{schluessel}“ ist kein Gemeindeschlüssel (AGS, 8 Ziffern) und kein Regionalschlüssel "
            "(ARS, 2 bis 12 Ziffern)."
        )
    try:
        return (
            Gebietskoerperschaft.objects.by_schluessel(schluessel)
            .select_related("parent", "kreis", "land", "parent__parent")
            .get()
        )
    except Gebietskoerperschaft.DoesNotExist:
        raise Http404(
            f"Im Gemeindeverzeichnis gibt es keine Gebietskörperschaft mit dem Schlüssel „{schluessel}“."
        ) from None


def verwaltung_von(gebiet: Gebietskoerperschaft) -> Gebietskoerperschaft:
    """The body that runs the administration of a Gemeinde: its Amt, Samt-/Verbandsgemeinde …, or itself."""
    eltern = gebiet.parent
    if (
        gebiet.ebene == Ebene.GEMEINDE
        and eltern is not None
        and eltern.ebene == Ebene.GEMEINDEVERBAND
        and eltern.textkennzeichen in VERWALTENDE_VERBAENDE
    ):
        return eltern
    return gebiet


def vollzieher_je_ebene(gebiet: Gebietskoerperschaft) -> dict[str, Vollzieher]:
    """EffektiveEbene value → who that is for ``gebiet``: the same eight answers for every row of its page."""
    ebene = gebiet.ebene
    land = gebiet if ebene == Ebene.LAND else gebiet.land
    kreis = gebiet if ebene == Ebene.KREIS else gebiet.kreis
    if ebene == Ebene.GEMEINDE:
        verwaltung = verwaltung_von(gebiet)
        if verwaltung == gebiet:
            vor_ort = Vollzieher(_("diese Gemeinde (%(name)s)") % {"name": gebiet.name}, gebiet)
        else:
            vor_ort = Vollzieher(
                verwaltung.name, verwaltung, hinweis=_("verwaltet die Gemeinde %(name)s") % {"name": gebiet.name}
            )
    elif ebene == Ebene.GEMEINDEVERBAND:
        vor_ort = Vollzieher(
            _("dieser Gemeindeverband (%(name)s)") % {"name": gebiet.name}, gebiet, hinweis=_("oder seine Gemeinden")
        )
    elif ebene == Ebene.KREIS:
        vor_ort = Vollzieher(_("die Gemeinden bzw. Ämter im Kreis"))
    else:
        vor_ort = Vollzieher(_("die Gemeinden bzw. Ämter"))
    if kreis is not None and ebene in (Ebene.GEMEINDE, Ebene.GEMEINDEVERBAND):
        im_kreis = Vollzieher(kreis.name, kreis, hinweis=_("Kreis"))
    elif ebene == Ebene.KREIS:
        im_kreis = Vollzieher(_("dieser Kreis (%(name)s)") % {"name": gebiet.name}, gebiet)
    else:
        im_kreis = Vollzieher(_("die Kreise und kreisfreien Städte"))
    im_land = (
        Vollzieher(land.name, land, hinweis=_("Land"))
        if land != gebiet
        else Vollzieher(_("das Land %(name)s") % {"name": land.name})
    )
    return {
        EffektiveEbene.GEMEINDE: vor_ort,
        EffektiveEbene.KOMMUNE: Vollzieher(vor_ort.text, vor_ort.gebiet, hinweis=_("Kommune laut Typisierung (Typ 5)")),
        EffektiveEbene.KREIS: im_kreis,
        EffektiveEbene.LAND: im_land,
        EffektiveEbene.BUND: Vollzieher(_("der Bund")),
        EffektiveEbene.OFFEN: Vollzieher(_("noch nicht erfasst"), hinweis=_("Land oder Kommune (Typ 2/3/4)")),
        EffektiveEbene.GEMISCHT: Vollzieher(_("noch nicht erfasst"), hinweis=_("je nach LeiKa-Leistung verschieden")),
        EffektiveEbene.KEINE: Vollzieher(
            _("keine Vollzugsleistung"), hinweis=_("nicht typisiert oder Informationseintrag")
        ),
    }


def kommune_leistungen(gebiet):
    """The page's list: every OZG-Leistung with who executes it here, in one query, ordered for grouping."""
    leika = LeikaLeistung.objects.filter(leistung=OuterRef("pk")).order_by().values("leistung")
    return (
        Leistung.objects.fuer_kommune(gebiet)
        .annotate(
            leika_anzahl=Coalesce(
                Subquery(leika.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0)
            ),
            typen=Subquery(
                leika.exclude(typisierung="").annotate(t=_TypenListe("typisierung", distinct=True)).values("t")
            ),
        )
        .order_by("lage__themenfeld__name", "lage__name", "ozg_id")
    )


#: The columns the list needs: plain values, no model instances, because the largest pages show all 557 rows.
ZEILEN_FELDER = (
    "ozg_id",
    "name",
    "lage__name",
    "lage__themenfeld__name",
    "ebene",
    "zustaendigkeit_erfasst",
    "leika_anzahl",
    "typen",
    "land_status",
    "kommune_status",
)

#: One row of the Leistungen list. Without KERN's per-cell classes (``table.leistungen`` styles its cells the same
#: way in portal.css): at 557 rows they were a third of the page's bytes.
_ZEILE = (
    '<tr><td>{}</td><th scope="row"><a class="kern-link" href="/leistungen/{}/">{}</a></th>'
    '<td class="zahl">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>'
)


def _zeilen_vorbereiten(leistungen, vollzieher):
    zeilen = list(leistungen.values(*ZEILEN_FELDER))
    ohne_stand = status_text(None, None)
    for z in zeilen:
        z["vollzieher"] = vollzieher[z["ebene"]]
        z["abgeleitet"] = z["zustaendigkeit_erfasst"] is None
        z["typ_codes"] = typ_codes(z["typen"])
        erfasst = z["land_status"] or z["kommune_status"]
        z["status_text"] = status_text(z["land_status"], z["kommune_status"]) if erfasst else ohne_stand
    return zeilen


def _wer_zelle(gebiet, v: Vollzieher, abgeleitet: bool):
    if v.gebiet is not None and v.gebiet.pk != gebiet.pk:
        wer = format_html('<a class="kern-link" href="{}">{}</a>', v.gebiet.get_absolute_url(), v.text)
    else:
        wer = escape(v.text)
    herkunft = _("abgeleitet") if abgeleitet else _("erfasst")
    hinweis = f"{v.hinweis}; {herkunft}" if v.hinweis else herkunft
    return format_html('{}<span class="hinweis">{}</span>', wer, hinweis)


def gruppen_html(gebiet, zeilen, vollzieher):
    """The list grouped by Themenfeld and Lage, each Lage's table rows as ready HTML.

    Rendering 557 rows through the template engine took most of the page's time; ``format_html`` escapes the
    same way at a fraction of the cost. The tables around the rows stay in the template.
    """
    zellen = {
        (ebene, abgeleitet): _wer_zelle(gebiet, v, abgeleitet)
        for ebene, v in vollzieher.items()
        for abgeleitet in (True, False)
    }
    themenfelder = []
    for tf_name, tf_zeilen in groupby(zeilen, key=itemgetter("lage__themenfeld__name")):
        lagen = []
        tf_zeilen = list(tf_zeilen)
        for lage_name, lage_zeilen in groupby(tf_zeilen, key=itemgetter("lage__name")):
            lage_zeilen = list(lage_zeilen)
            # Same escaping as format_html (names and texts through html.escape; the cells are already safe HTML).
            html = "".join(
                _ZEILE.format(
                    int(z["ozg_id"]),
                    int(z["ozg_id"]),
                    html_escape(z["name"]),
                    int(z["leika_anzahl"]),
                    html_escape(z["typ_codes"] or "–"),
                    zellen[(z["ebene"], z["abgeleitet"])],
                    html_escape(z["status_text"]),
                )
                for z in lage_zeilen
            )
            lagen.append({"name": lage_name, "anzahl": len(lage_zeilen), "zeilen": mark_safe(html)})
        themenfelder.append(
            {
                "name": tf_name,
                "lagen": lagen,
                "anzahl": len(tf_zeilen),
                "offen": sum(z["ebene"] in OFFENE_EBENEN for z in tf_zeilen),
            }
        )
    return themenfelder


def _ebenen_zaehlung(gebiet, vollzieher):
    """Counts per executing level over the whole list (and how many of them a Land-Redaktion recorded), in one
    aggregate query."""
    zeilen = (
        Leistung.objects.fuer_kommune(gebiet)
        .order_by()
        .values("ebene")
        .annotate(n=Count("pk"), erfasst=Count("zustaendigkeit_erfasst"), kommune_erfasst=Count("kommune_status"))
    )
    anzahl = {z["ebene"]: z for z in zeilen}
    return [
        {
            "ebene": e,
            "label": e.label,
            "vollzieher": vollzieher[e],
            "anzahl": anzahl[e.value]["n"],
            "erfasst": anzahl[e.value]["erfasst"],
            "kommune_erfasst": anzahl[e.value]["kommune_erfasst"],
        }
        for e in EBENEN_REIHENFOLGE
        if e.value in anzahl and anzahl[e.value]["n"]
    ]


#: The levels a body executes itself ("vor Ort"), by its own level; everything else is done for it (or is open).
EIGENE_EBENEN = {
    Ebene.GEMEINDE: {EffektiveEbene.GEMEINDE, EffektiveEbene.KOMMUNE},
    Ebene.GEMEINDEVERBAND: {EffektiveEbene.GEMEINDE, EffektiveEbene.KOMMUNE},
    Ebene.KREIS: {EffektiveEbene.KREIS},
    Ebene.LAND: {EffektiveEbene.LAND},
}
OFFENE_EBENEN = {EffektiveEbene.OFFEN, EffektiveEbene.GEMISCHT}


def antwort_zuerst(gebiet, verwaltung, zaehlung):
    """The first screen of the page: what this body executes itself, what others execute for it, what is open.

    Built from the per-level counts (no query of its own). ``land_ohne_zustaendigkeit``: the Land has recorded no
    Zuständigkeit at all yet, so every Leistung of Typ 2/3/4 stays "noch nicht erfasst" until its Land-Redaktion
    records (or imports) who executes it.
    """
    eigene = EIGENE_EBENEN.get(gebiet.ebene, set())
    selbst = sum(z["anzahl"] for z in zaehlung if z["ebene"] in eigene)
    fuer = [
        z
        for z in zaehlung
        if z["ebene"] not in eigene and z["ebene"] not in OFFENE_EBENEN and z["ebene"] != EffektiveEbene.KEINE
    ]
    offen = sum(z["anzahl"] for z in zaehlung if z["ebene"] in OFFENE_EBENEN)
    keine = sum(z["anzahl"] for z in zaehlung if z["ebene"] == EffektiveEbene.KEINE)
    land = gebiet if gebiet.ebene == Ebene.LAND else gebiet.land
    return {
        "selbst": selbst,
        "selbst_durch": verwaltung if verwaltung.pk != gebiet.pk else None,
        "fuer": fuer,
        "fuer_summe": sum(z["anzahl"] for z in fuer),
        "offen": offen,
        "keine": keine,
        "land": land,
        "land_ohne_zustaendigkeit": not any(z["erfasst"] for z in zaehlung),
    }


def kommunen_suche(request):
    text = suche.normalisiere(request.GET.get("q", ""))[:100]
    treffer = list(suche.kommunen(text)) if text else []
    return render(request, "catalog/kommunen_suche.html", {"q": text, "treffer": treffer})


@oeffentliche_seite
def kommune(request, schluessel):
    return _kommune_seite(request, schluessel, druck=False)


@oeffentliche_seite
def kommune_druck(request, schluessel):
    """The same page as a clean A4 document: no navigation or filter controls, every group open, data date."""
    return _kommune_seite(request, schluessel, druck=True)


def _kommune_seite(request, schluessel, *, druck):
    gebiet = gebiet_or_404(schluessel)
    verwaltung = verwaltung_von(gebiet)
    vollzieher = vollzieher_je_ebene(gebiet)
    filter_ = KommuneLeistungFilter(request.GET or None, queryset=kommune_leistungen(gebiet))
    fehler = filter_.fehlermeldungen() if filter_.is_bound and not filter_.is_valid() else []
    zeilen = [] if fehler else _zeilen_vorbereiten(filter_.qs, vollzieher)
    zaehlung = _ebenen_zaehlung(gebiet, vollzieher)
    kontext = {
        "gebiet": gebiet,
        "verwaltung": verwaltung,
        "filter": filter_,
        "fehler": fehler,
        "aktive_filter": [] if fehler else filter_.aktive_filter(),
        "zeilen": zeilen,
        "gruppen": gruppen_html(gebiet, zeilen, vollzieher),
        "zaehlung": zaehlung,
        "antwort": antwort_zuerst(gebiet, verwaltung, zaehlung),
        "teilnahmen": _teilnahmen(gebiet),
        "querystring": request.GET.urlencode(),
        "druck": druck,
        # The time of the last committed change to the portal's data (the Datenstand behind ETag/Last-Modified).
        "datenstand": datetime.fromtimestamp(datenstand_der_anfrage(request).last_modified, tz=UTC),
    }
    kontext["leistungen_gesamt"] = sum(z["anzahl"] for z in zaehlung)
    # Folded by default: the answer comes first, the full list of 557 stays one click away per Themenfeld.
    kontext["gruppen_offen"] = druck or bool(kontext["aktive_filter"]) or len(kontext["gruppen"]) == 1
    kontext["ebenen_diagramm"] = [
        {"label": z["label"], "segmente": [{"wert": z["anzahl"], "klasse": "balken", "name": _("OZG-Leistungen")}]}
        for z in zaehlung
    ]
    kontext.update(_umfeld(gebiet))
    # The counts already tell whether the Kommune-Redaktion recorded anything: no plan query for the others.
    if any(z["kommune_erfasst"] for z in zaehlung):
        kontext.update(kommunaler_plan(gebiet))
    return render(request, "catalog/kommune.html", kontext, status=400 if fehler else 200)


def _teilnahmen(gebiet):
    """Participation in Themenfeldern and Labore of this Gebietskörperschaft and of those above it."""
    # Teilnahmen (themenfelder, a layer above) are reached through their relation to the Gebietskörperschaft.
    teilnahmen = Gebietskoerperschaft.teilnahmen.rel.related_model.objects
    qs = teilnahmen.select_related("themenfeld", "laborzuordnung__labor", "gebiet").order_by(
        "themenfeld__name", "position"
    )
    if gebiet.ebene == Ebene.LAND:
        return list(qs.filter(Q(gebiet=gebiet) | Q(gebiet__land=gebiet)))
    ids = [g.pk for g in (gebiet, verwaltung_von(gebiet), gebiet.kreis, gebiet.land) if g is not None]
    return list(qs.filter(gebiet_id__in=ids))


def _umfeld(gebiet):
    """What lies below the Gebietskörperschaft (Gemeinden, Kreise) and, for a Land, its role in the programme."""
    if gebiet.ebene == Ebene.LAND:
        stand = Gebietskoerperschaft.objects.filter(pk=gebiet.pk).aggregate(
            zustaendigkeiten=Count("zustaendigkeiten", distinct=True),
            umsetzungsstaende=Count("umsetzungsstaende", distinct=True),
            efa_angebote=Count("efa_angebote", distinct=True),
        )
        return {
            "unterebene_titel": _("Kreise und kreisfreie Städte"),
            "unterebene": list(Gebietskoerperschaft.objects.filter(land=gebiet, ebene=Ebene.KREIS).order_by("name")),
            "tandem_rollen": list(gebiet.tandem_rollen.select_related("themenfeld").order_by("themenfeld__name")),
            "land_stand": stand,
        }
    if gebiet.ebene == Ebene.KREIS:
        return {
            "unterebene_titel": _("Gemeinden im Kreis"),
            "unterebene": list(
                Gebietskoerperschaft.objects.filter(kreis=gebiet, ebene=Ebene.GEMEINDE)
                .select_related("parent")
                .order_by("parent__name", "parent_id", "name")
            ),
            "gruppiert": True,
        }
    if gebiet.ebene == Ebene.GEMEINDEVERBAND:
        return {
            "unterebene_titel": _("Gemeinden"),
            "unterebene": list(gebiet.children.filter(ebene=Ebene.GEMEINDE).order_by("name")),
        }
    if gebiet.ebene in (Ebene.REGIERUNGSBEZIRK, Ebene.REGION):
        return {
            "unterebene_titel": _("Kreise"),
            "unterebene": list(Gebietskoerperschaft.objects.filter(ebene=Ebene.KREIS, ars__startswith=gebiet.ars)),
        }
    return {}


def _export_zeilen(gebiet, filter_):
    vollzieher = vollzieher_je_ebene(gebiet)
    for z in _zeilen_vorbereiten(filter_.qs, vollzieher):
        yield [
            z["ozg_id"],
            z["name"],
            z["lage__themenfeld__name"],
            z["lage__name"],
            z["leika_anzahl"],
            z["typ_codes"],
            EffektiveEbene(z["ebene"]).label,
            z["vollzieher"].text,
            _("abgeleitet aus der Typisierung") if z["abgeleitet"] else _("erfasst"),
            z["status_text"],
        ]


def kommune_export(request, schluessel, format):
    gebiet = gebiet_or_404(schluessel)
    filter_ = KommuneLeistungFilter(request.GET or None, queryset=kommune_leistungen(gebiet))
    if filter_.is_bound and not filter_.is_valid():
        return HttpResponse(
            "Der Download wurde nicht erstellt: " + " ".join(filter_.fehlermeldungen()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    dateiname = f"ozg-leistungen-{gebiet.schluessel}-{slugify(gebiet.name)}.{format}"
    zeilen = _export_zeilen(gebiet, filter_)
    if format == "csv":
        return csv_response(dateiname, EXPORT_SPALTEN, zeilen, DEUTSCHES_EXCEL)
    return xlsx_response(dateiname, EXPORT_SPALTEN, zeilen, blattname="OZG-Leistungen")


@oeffentliche_seite
def leistung(request, ozg_id):
    try:
        leistung = Leistung.objects.select_related("lage__themenfeld").get(ozg_id=ozg_id)
    except Leistung.DoesNotExist:
        raise Http404(f"Es gibt keine OZG-Leistung mit der OZG-ID {ozg_id}.") from None
    erfasst = Zustaendigkeit.objects.filter(land=OuterRef("pk"), leistung=leistung, leika_leistung__isnull=True)
    stand = Umsetzungsstand.objects.filter(land=OuterRef("pk"), leistung=leistung)
    laender = list(
        Gebietskoerperschaft.objects.laender()
        .annotate(
            erfasst=Subquery(erfasst.values("ebene")[:1]),
            rechtsgrundlage_land=Subquery(erfasst.values("rechtsgrundlage")[:1]),
            status=Subquery(stand.values("status")[:1]),
            reifegrad=Subquery(stand.values("reifegrad")[:1]),
            efa_anbieter_name=Subquery(stand.values("efa_anbieter__name")[:1]),
            stand_datum=Subquery(stand.values("stand")[:1]),
        )
        .order_by("ars")
    )
    for land in laender:
        land.zustaendigkeit = ermittle(leistung.vollzug, land.erfasst)
        land.status_text = UmsetzungsStatus(land.status).label if land.status else ""
    return render(
        request,
        "catalog/leistung.html",
        {
            "leistung": leistung,
            "leika": list(leistung.leika_leistungen.order_by("zeile")),
            "laender": laender,
            "labore": list(leistung.labore.select_related("themenfeld")),
            "hat_stand": any(land.status for land in laender),
        },
    )


def _quartal(tag) -> tuple[int, int]:
    return (tag.year, (tag.month - 1) // 3 + 1)


def kommunaler_plan(gebiet):
    """The Kommune-Redaktion's own plan: Leistungen connected so far per quarter (from the history) and planned
    connections by their quarter of "geplant bis".

    Two aggregate queries whatever the number of Leistungen or changes (the page skips this for a body without
    recorded rows):
    the current statuses with their dates, and per Leistung connected today the first time the history shows
    it "angeschlossen" (a Leistung that was connected, dropped and connected again counts from its first time).
    """
    if gebiet.ebene not in (Ebene.KREIS, Ebene.GEMEINDEVERBAND, Ebene.GEMEINDE):
        return {}
    stand = list(
        KommunaleUmsetzung.objects.filter(kommune=gebiet)
        .order_by()
        .values("status", "geplant_bis")
        .annotate(n=Count("pk"))
    )
    if not stand:
        return {}
    je_status = dict.fromkeys(Anschlussstatus.values, 0)
    geplant = {}
    for z in stand:
        je_status[z["status"]] += z["n"]
        if z["status"] == Anschlussstatus.GEPLANT and z["geplant_bis"]:
            q = _quartal(z["geplant_bis"])
            geplant[q] = geplant.get(q, 0) + z["n"]
    erstmals = (
        KommunaleUmsetzung.history.filter(kommune_id=gebiet.pk, status=Anschlussstatus.ANGESCHLOSSEN)
        .filter(
            leistung__kommunale_umsetzungen__kommune=gebiet,
            leistung__kommunale_umsetzungen__status=Anschlussstatus.ANGESCHLOSSEN,
        )
        .order_by()
        .values("leistung_id")
        .annotate(erst=Min("history_date"))
    )
    angeschlossen = {}
    for z in erstmals:
        q = _quartal(timezone.localtime(z["erst"]).date())
        angeschlossen[q] = angeschlossen.get(q, 0) + 1
    # Rows connected without any history (imported before the history existed) count from the first quarter shown.
    ohne_historie = je_status[Anschlussstatus.ANGESCHLOSSEN] - sum(angeschlossen.values())
    quartale = sorted(set(angeschlossen) | set(geplant) | {_quartal(timezone.localdate())})
    erstes, letztes = quartale[0], quartale[-1]
    reihe, (jahr, q) = [], erstes
    while (jahr, q) <= letztes:
        reihe.append((jahr, q))
        jahr, q = (jahr + 1, 1) if q == 4 else (jahr, q + 1)
    heute = _quartal(timezone.localdate())
    zeilen, summe_an, summe_plan = [], max(ohne_historie, 0), 0
    for quartal in reihe:
        summe_an += angeschlossen.get(quartal, 0)
        summe_plan += geplant.get(quartal, 0)
        zeilen.append(
            {
                "label": _("%(q)s. Quartal %(jahr)s") % {"q": quartal[1], "jahr": quartal[0]},
                "neu_angeschlossen": angeschlossen.get(quartal, 0),
                "angeschlossen": summe_an if quartal <= heute else None,
                "geplant": geplant.get(quartal, 0),
                "geplant_summe": summe_plan,
                "vergangen": quartal < heute,
            }
        )
    diagramm = [
        {
            "label": z["label"],
            "segmente": [
                {"wert": z["angeschlossen"] or 0, "klasse": "abgeschlossen", "name": _("angeschlossen (bis dahin)")},
                {"wert": z["geplant_summe"], "klasse": "laufend", "name": _("geplant bis dahin (Stand heute)")},
            ],
        }
        for z in zeilen
    ]
    return {
        "plan": {
            "je_status": [(Anschlussstatus(s).label, n) for s, n in je_status.items()],
            "erfasst": sum(je_status.values()),
            "zeilen": zeilen,
            "diagramm": diagramm,
        }
    }


def zustaendigkeit_vorlage(request, schluessel):
    """An import template for the Land-Redaktion: the columns of the Zuständigkeit import, one row per OZG-Leistung
    whose executing level is not recorded yet in this Land (``ebene`` left empty to fill in; rows left empty must be
    deleted before the import, which refuses a file with an empty required field)."""
    gebiet = gebiet_or_404(schluessel)
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
