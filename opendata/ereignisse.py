"""Change events read from the django-simple-history tables: one source of truth for feeds, webhooks and e-mails.

Every history row of a watched model (PhasenStatus, TandemRolle, Teilnahme, Labor, the Labor of a Teilnahme
(LaborTeilnahme), Zuständigkeit, Umsetzungsstand in Land and Kommune) is one event: who/what changed, when, and
which Themenfeld, Land, OZG-Leistung and Kommune it concerns. Each source is read with one query
(``select_related`` for every name the text needs), so a feed costs a fixed number of queries however many
entries it has.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q

from .choices import Aenderungsart


@dataclass
class Ereignis:
    """One change, described independently of the model it comes from."""

    id: str  # "<app.Model>:<history_id>", stable
    modell: str
    modell_name: str
    art: str  # Aenderungsart value
    zeitpunkt: datetime
    titel: str
    link: str
    themenfeld: str = ""  # slug
    themenfeld_id: int | None = None
    land: str = ""  # ARS of the Land
    land_id: int | None = None
    leistung: int | None = None  # OZG-ID
    gebiet_ars: str = ""  # ARS of the Kommune (or Land) the change belongs to
    grund: str = ""
    daten: dict = field(default_factory=dict)
    aenderung_id: int | None = None  # the change log entry (core.Aenderung), when read through the relay
    transaktion: str = ""

    @property
    def art_text(self) -> str:
        return str(Aenderungsart(self.art).label)

    def payload(self, sequenz: int) -> dict:
        return {
            "sequenz": sequenz,
            "ereignis_id": self.id,
            "art": {"+": "angelegt", "~": "geaendert", "-": "geloescht"}[self.art],
            "modell": self.modell,
            "zeitpunkt": self.zeitpunkt.isoformat(),
            "titel": self.titel,
            "link": self.link,
            "themenfeld": self.themenfeld or None,
            "land": self.land or None,
            "leistung": self.leistung,
            "gebiet": self.gebiet_ars or None,
            "daten": self.daten,
        }


def _name(obj, attr="name") -> str:
    return getattr(obj, attr, "") if obj is not None else "?"


def _leistung_text(r) -> str:
    return f"{r.leistung.ozg_id} {r.leistung.name}" if r.leistung else "?"


def _themenfeld_ueber_leistung(r):
    return r.leistung.lage.themenfeld if r.leistung else None


def _land_von_gebiet(g):
    if g is None:
        return None
    return g if g.ebene == "land" else g.land


def _labor_themenfeld(r):
    return r.labor.themenfeld if r.labor else None


def _teilnehmer(t) -> str:
    if t is None:
        return "?"
    return _name(t.gebiet) if t.gebiet_id else _name(t.organisation, "kurzname")


@dataclass(frozen=True)
class Quelle:
    """A watched model: how to read its history and describe one row."""

    label: str
    select_related: tuple[str, ...]
    titel: Callable
    themenfeld: Callable  # history row → Themenfeld or None
    land: Callable  # history row → Land (Gebietskoerperschaft) or None
    gebiet: Callable = lambda r: None  # noqa: E731 — history row → Kommune/Land the row belongs to
    leistung: Callable = lambda r: None  # noqa: E731
    # Filters on the history table: by Themenfeld, by OZG-Leistung, by Gebiet (ARS prefix); None: not applicable.
    nach_themenfeld: Callable | None = None
    nach_leistung: Callable | None = None
    nach_gebiet: Callable | None = None

    @property
    def model(self):
        return apps.get_model(self.label)

    @property
    def historie(self):
        return self.model.history.model


QUELLEN = [
    Quelle(
        "themenfelder.PhasenStatus",
        ("themenfeld",),
        lambda r: (
            f"{_name(r.themenfeld)}: Phase „{r.get_phase_display()}“ – {r.get_status_display()} "
            f"(Stand {r.stand:%d.%m.%Y})"
        ),
        themenfeld=lambda r: r.themenfeld,
        land=lambda r: None,
        nach_themenfeld=lambda t: Q(themenfeld_id=t.pk),
    ),
    Quelle(
        "themenfelder.TandemRolle",
        ("themenfeld", "land", "organisation"),
        lambda r: (
            f"{_name(r.themenfeld)}: Tandem – {r.get_rolle_display()} "
            f"{_name(r.land) if r.land_id else _name(r.organisation, 'kurzname')}"
        ),
        themenfeld=lambda r: r.themenfeld,
        land=lambda r: r.land,
        gebiet=lambda r: r.land,
        nach_themenfeld=lambda t: Q(themenfeld_id=t.pk),
        nach_gebiet=lambda g: Q(land_id=g.pk) if g.ebene == "land" else None,
    ),
    Quelle(
        "themenfelder.Teilnahme",
        ("themenfeld", "gebiet", "gebiet__land", "organisation"),
        lambda r: (
            f"{_name(r.themenfeld)}: Teilnahme {_name(r.gebiet) if r.gebiet_id else _name(r.organisation, 'kurzname')}"
        ),
        themenfeld=lambda r: r.themenfeld,
        land=lambda r: _land_von_gebiet(r.gebiet),
        gebiet=lambda r: r.gebiet,
        nach_themenfeld=lambda t: Q(themenfeld_id=t.pk),
        nach_gebiet=lambda g: Q(gebiet__ars__startswith=g.ars),
    ),
    Quelle(
        "labore.Labor",
        ("themenfeld",),
        lambda r: f"{_name(r.themenfeld)}: Digitalisierungslabor „{r.titel}“",
        themenfeld=lambda r: r.themenfeld,
        land=lambda r: None,
        nach_themenfeld=lambda t: Q(themenfeld_id=t.pk),
    ),
    Quelle(
        # The link Teilnahme → Labor (labore.LaborTeilnahme, moved out of Teilnahme in issue 12): a Kommune joining or
        # leaving a Labor concerns the Labor's Themenfeld and the Kommune (and its Land).
        "labore.LaborTeilnahme",
        ("labor__themenfeld", "teilnahme__gebiet__land", "teilnahme__organisation"),
        lambda r: (
            f"{_name(_labor_themenfeld(r))}: Digitalisierungslabor „{_name(r.labor, 'titel')}“ – Teilnahme "
            f"{_teilnehmer(r.teilnahme)}"
        ),
        themenfeld=lambda r: _labor_themenfeld(r),
        land=lambda r: _land_von_gebiet(r.teilnahme.gebiet) if r.teilnahme else None,
        gebiet=lambda r: r.teilnahme.gebiet if r.teilnahme else None,
        nach_themenfeld=lambda t: Q(labor__themenfeld_id=t.pk),
        nach_gebiet=lambda g: Q(teilnahme__gebiet__ars__startswith=g.ars),
    ),
    Quelle(
        "catalog.Zustaendigkeit",
        ("land", "leistung__lage__themenfeld"),
        lambda r: f"{_name(r.land)} · {_leistung_text(r)}: Zuständigkeit – {r.get_ebene_display()}",
        themenfeld=_themenfeld_ueber_leistung,
        land=lambda r: r.land,
        gebiet=lambda r: r.land,
        leistung=lambda r: r.leistung,
        nach_themenfeld=lambda t: Q(leistung__lage__themenfeld_id=t.pk),
        nach_leistung=lambda leistung: Q(leistung_id=leistung.pk),
        nach_gebiet=lambda g: Q(land_id=g.pk) if g.ebene == "land" else None,
    ),
    Quelle(
        "catalog.Umsetzungsstand",
        ("land", "leistung__lage__themenfeld"),
        lambda r: f"{_name(r.land)} · {_leistung_text(r)}: Umsetzungsstand – {r.get_status_display()}",
        themenfeld=_themenfeld_ueber_leistung,
        land=lambda r: r.land,
        gebiet=lambda r: r.land,
        leistung=lambda r: r.leistung,
        nach_themenfeld=lambda t: Q(leistung__lage__themenfeld_id=t.pk),
        nach_leistung=lambda leistung: Q(leistung_id=leistung.pk),
        nach_gebiet=lambda g: Q(land_id=g.pk) if g.ebene == "land" else None,
    ),
    Quelle(
        "catalog.KommunaleUmsetzung",
        ("kommune", "kommune__land", "leistung__lage__themenfeld"),
        lambda r: f"{_name(r.kommune)} · {_leistung_text(r)}: Anschluss – {r.get_status_display()}",
        themenfeld=_themenfeld_ueber_leistung,
        land=lambda r: _land_von_gebiet(r.kommune),
        gebiet=lambda r: r.kommune,
        leistung=lambda r: r.leistung,
        nach_themenfeld=lambda t: Q(leistung__lage__themenfeld_id=t.pk),
        nach_leistung=lambda leistung: Q(leistung_id=leistung.pk),
        nach_gebiet=lambda g: Q(kommune__ars__startswith=g.ars),
    ),
]
QUELLEN_NACH_LABEL = {q.label: q for q in QUELLEN}


def _daten(quelle: Quelle, r) -> dict:
    werte = {f.attname: getattr(r, f.attname) for f in quelle.model._meta.concrete_fields}
    # Through the JSON encoder once, so dates and decimals become the strings the payload carries.
    return json.loads(json.dumps(werte, cls=DjangoJSONEncoder))


def beschreiben(quelle: Quelle, r, mit_daten: bool = False) -> Ereignis:
    """The event of history row ``r`` (fetched with ``quelle.select_related``)."""
    themenfeld = quelle.themenfeld(r)
    land = quelle.land(r)
    gebiet = quelle.gebiet(r)
    leistung = quelle.leistung(r)
    if gebiet is not None:
        link = gebiet.get_absolute_url()
    elif leistung is not None:
        link = leistung.get_absolute_url()
    elif themenfeld is not None:
        link = themenfeld.get_absolute_url()
    else:
        link = "/"
    if quelle.label == "labore.Labor" and r.history_type != "-":
        link = f"/labore/{r.slug}/"
    return Ereignis(
        id=f"{quelle.label}:{r.history_id}",
        modell=quelle.label,
        modell_name=str(quelle.model._meta.verbose_name),
        art=r.history_type,
        zeitpunkt=r.history_date,
        titel=quelle.titel(r),
        link=link,
        themenfeld=themenfeld.slug if themenfeld else "",
        themenfeld_id=themenfeld.pk if themenfeld else None,
        land=land.ars if land else "",
        land_id=land.pk if land else None,
        leistung=leistung.ozg_id if leistung else None,
        gebiet_ars=gebiet.ars if gebiet else "",
        grund=r.history_change_reason or "",
        daten=_daten(quelle, r) if mit_daten else {},
    )


def neueste(filter_je_quelle: Iterable[tuple[Quelle, Q]], anzahl: int = 50) -> list[Ereignis]:
    """The ``anzahl`` newest events over the given sources, newest first: one query per source."""
    ereignisse = []
    for quelle, bedingung in filter_je_quelle:
        zeilen = (
            quelle.historie.objects.filter(bedingung)
            .select_related(*quelle.select_related)
            .order_by("-history_date", "-history_id")[:anzahl]
        )
        ereignisse += [beschreiben(quelle, r) for r in zeilen]
    ereignisse.sort(key=lambda e: (e.zeitpunkt, e.id), reverse=True)
    return ereignisse[:anzahl]


def fuer_themenfeld(themenfeld, anzahl=50):
    return neueste(((q, q.nach_themenfeld(themenfeld)) for q in QUELLEN if q.nach_themenfeld), anzahl)


def fuer_leistung(leistung, anzahl=50):
    return neueste(((q, q.nach_leistung(leistung)) for q in QUELLEN if q.nach_leistung), anzahl)


def fuer_gebiet(gebiet, anzahl=50):
    paare = []
    for q in QUELLEN:
        if q.nach_gebiet is None:
            continue
        bedingung = q.nach_gebiet(gebiet)
        if bedingung is not None:
            paare.append((q, bedingung))
    return neueste(paare, anzahl)


def laden(paare: Iterable[tuple[str, int]]) -> list[Ereignis]:
    """The events of the given (model label, history id) pairs, oldest first, with their field values."""
    je_label: dict[str, list[int]] = {}
    for label, history_id in paare:
        if label in QUELLEN_NACH_LABEL:
            je_label.setdefault(label, []).append(int(history_id))
    ereignisse = []
    for label, ids in je_label.items():
        quelle = QUELLEN_NACH_LABEL[label]
        for start in range(0, len(ids), 500):
            zeilen = quelle.historie.objects.filter(history_id__in=ids[start : start + 500]).select_related(
                *quelle.select_related
            )
            ereignisse += [beschreiben(quelle, r, mit_daten=True) for r in zeilen]
    ereignisse.sort(key=lambda e: (e.zeitpunkt, e.id))
    return ereignisse
