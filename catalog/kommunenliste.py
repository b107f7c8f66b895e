"""The data of a Kommune's page and API answer: the body, its list of OZG-Leistungen, counts and surroundings.

Every read is a fixed number of queries, whatever the number of rows: the list is one query of exactly the
columns that differ per Land and Kommune (``Leistung.objects.fuer_kommune``) as tuples; names, Lage, Themenfeld and
LeiKa figures come from the catalogue read once per Katalogstand (``catalog.leistungskatalog``).

The whole list (no filter) is what holds in the Land — who executes each Leistung there, the Land's
Umsetzungsstand, the same for every body of the Land — plus the body's own statuses. The Land's part is kept in
the process per Landesstand and Katalogstand (``core.datenstand``: the newest change-log entries that can change
it), so the whole list of another body of the same Land reads only the body's own statuses: still one query.
Keyed by (id, transaction) of those entries, never by time; nothing is kept from inside a transaction; one entry
per Land, the newest.

The queries every page sends (the body with those above it, its own statuses, its Teilnahmen) are compiled by the
ORM once (``core.vorbereitet``): compiling one costs several times what running it does.
"""

import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import compress
from operator import attrgetter
from typing import NamedTuple

from django.db import connection, connections
from django.db.models import Count, Q
from django.http import Http404

from core import vorbereitet
from core.datenstand import Datenstand, Gebietsbereich
from core.vorbereitet import Vorbereitet

from .choices import Anschlussstatus, Ebene
from .leistungskatalog import Katalog, KatalogLeistung
from .models import Gebietskoerperschaft, KommunaleUmsetzung, Leistung
from .vollzieher import verwaltung_von

GUELTIGE_LAENGEN = (2, 3, 4, 5, 8, 9, 12)


#: The body with the bodies above it, which its page names, by AGS (8 digits) or ARS (``by_schluessel``).
_MIT_OBEREN = ("parent", "kreis", "land", "parent__parent")
_GEBIET = {
    spalte: Vorbereitet(
        lambda wert, spalte=spalte: Gebietskoerperschaft.objects.filter(**{spalte: wert}).select_related(*_MIT_OBEREN),
        str,
    )
    for spalte in ("ags", "ars")
}


def gebiet_or_404(schluessel: str) -> Gebietskoerperschaft:
    if not schluessel.isdigit() or len(schluessel) not in GUELTIGE_LAENGEN:
        raise Http404(
            f"„{schluessel}“ ist kein Gemeindeschlüssel (AGS, 8 Ziffern) und kein Regionalschlüssel "
            "(ARS, 2 bis 12 Ziffern)."
        )
    gefunden = _GEBIET["ags" if len(schluessel) == 8 else "ars"](schluessel)
    if not gefunden:
        raise Http404(f"Im Gemeindeverzeichnis gibt es keine Gebietskörperschaft mit dem Schlüssel „{schluessel}“.")
    if len(gefunden) > 1:
        raise Gebietskoerperschaft.MultipleObjectsReturned(f"{len(gefunden)} Gebietskörperschaften „{schluessel}“")
    return gefunden[0]


#: What the list and its answer read of the body; any other field is deferred (loaded when read, as with only()).
GEBIET_FELDER = ("id", "ars", "ags", "ebene", "land_id")


def gebiet_zum_schluessel(schluessel: str) -> Gebietskoerperschaft | None:
    """The body addressed by AGS (8 digits) or ARS, as ``by_schluessel`` finds it, with ``GEBIET_FELDER`` loaded.

    Plain SQL: composing the ORM query cost more CPU than the database took to answer it (the API's list).
    """
    meta, db = Gebietskoerperschaft._meta, Gebietskoerperschaft.objects.db
    spalten = ", ".join(meta.get_field(name).column for name in GEBIET_FELDER)
    spalte = "ags" if len(schluessel) == 8 else "ars"
    with connections[db].cursor() as cursor:
        cursor.execute(f"SELECT {spalten} FROM {meta.db_table} WHERE {spalte} = %s", [schluessel])
        zeile = cursor.fetchone()
    return None if zeile is None else Gebietskoerperschaft.from_db(db, GEBIET_FELDER, zeile)


def gebiet_bereich(schluessel: str) -> Gebietsbereich:
    """The change-log Bereich of the body addressed by AGS or ARS (``core.datenstand``), resolved in SQL."""
    tabelle = Gebietskoerperschaft._meta.db_table
    spalte = "ags" if len(schluessel) == 8 else "ars"
    return Gebietsbereich(f"SELECT ars FROM {tabelle} WHERE {spalte} = %s", (schluessel,))


class KommuneZeile(NamedTuple):
    """One row of a Kommune's list: the catalogue's Leistung and what holds for it in this Land and Kommune."""

    leistung: KatalogLeistung
    ebene: str  # EffektiveEbene value
    abgeleitet: bool  # no Zuständigkeit recorded in the Land: derived from the Typisierung
    land_status: str | None
    land_reifegrad: int | None
    kommune_status: str | None
    synthetisch: bool  # the Kommune's status is synthetic (load tests only)


SPALTEN = (
    "pk", "ebene", "zustaendigkeit_erfasst", "land_status", "land_reifegrad", "kommune_status", "kommune_synthetisch",
)  # fmt: skip


def werte(queryset):
    """A (filtered, ordered) ``fuer_kommune`` queryset as tuples of exactly the columns a row needs."""
    return queryset.values_list(*SPALTEN)


def zeilen(tupel, katalog: Katalog, *, sortiert: bool = True) -> list[KommuneZeile]:
    """Rows from ``werte`` tuples; ``sortiert``: in the page's order (Themenfeld, Lage, OZG-ID), else as given."""
    leistungen = katalog.leistungen
    ergebnis = [
        KommuneZeile(leistungen[pk], ebene, erfasst is None, land, reifegrad, kommune, bool(synthetisch))
        for pk, ebene, erfasst, land, reifegrad, kommune, synthetisch in tupel
    ]
    if sortiert:
        ergebnis.sort(key=lambda z: z.leistung.position)
    return ergebnis


class Landeszeile(NamedTuple):
    """What one row of the list is in every body of a Land."""

    pk: int
    ebene: str
    abgeleitet: bool
    land_status: str | None
    land_reifegrad: int | None


#: A row without a status of the body's own: (Anschlussstatus, synthetisch).
OHNE_EIGENEN = (None, False)


class Landesteil:
    """The rows of a list without the body's own statuses, in page order: what the whole list is in every body of
    a Land (kept per Land, see ``_landesteil``), or the rows of one filtered list.

    ``ableitungen`` is a free slot for what the presentation derives from exactly these rows and ``katalog``
    (``catalog.darstellung``: the list's HTML around the body's cells, per language): a kept Land part carries
    it to the next body of the Land, so that work is done once per Land, Landesstand and Katalogstand.
    """

    __slots__ = ("katalog", "zeilen", "ableitungen", "_nach_ozg", "_anzahl")

    def __init__(self, katalog: Katalog, zeilen: tuple[Landeszeile, ...]):
        self.katalog, self.zeilen, self.ableitungen = katalog, zeilen, {}
        self._nach_ozg = self._anzahl = None

    def nach_ozg_id(self) -> tuple[Landeszeile, ...]:
        """The rows in the API's default order (OZG-ID)."""
        if self._nach_ozg is None:
            leistungen = self.katalog.leistungen
            self._nach_ozg = tuple(sorted(self.zeilen, key=lambda z: leistungen[z.pk].ozg_id))
        return self._nach_ozg

    def anzahl(self) -> tuple[dict[int, str], dict[str, tuple[int, int]]]:
        """Leistung pk → level, and per level (rows, recorded by the Land-Redaktion)."""
        if self._anzahl is None:
            je_ebene: dict[str, list[int]] = {}
            for z in self.zeilen:
                n = je_ebene.setdefault(z.ebene, [0, 0])
                n[0] += 1
                n[1] += not z.abgeleitet
            self._anzahl = ({z.pk: z.ebene for z in self.zeilen}, {e: tuple(n) for e, n in je_ebene.items()})
        return self._anzahl


class Kommuneliste(Sequence):
    """A body's list: its Land part (shared by the bodies of the Land) and its own statuses (Leistung pk →
    (status, synthetisch)). Rows (``KommuneZeile``) are built when read; the page reads the parts instead
    (``catalog.darstellung.liste``, ``anzahl``, ``synthetisch``)."""

    def __init__(self, landesteil: Landesteil, eigene: dict[int, tuple[str, bool]], gelesen=None, erstmals=None):
        self.landesteil, self.eigene = landesteil, eigene
        # The first time each Leistung connected today was connected (the plan's), read with the statuses, or None.
        self.plan_erstmals = erstmals
        # All the body's statuses as ``_eigene`` read them, by column (the whole list), else None.
        self._gelesen = gelesen

    @property
    def plan_stand(self) -> list[dict] | None:
        """All the body's statuses counted by (status, geplant_bis, synthetisch), as ``catalog.plan`` counts them,
        from the whole list's read of them (the plan then needs no query of its own); None for other lists."""
        if self._gelesen is None:
            return None
        _pks, status, synthetisch, bis = self._gelesen
        je_stand = Counter(zip(status, bis, synthetisch, strict=True))
        return [{"status": s, "geplant_bis": b, "synthetisch": y, "n": n} for (s, b, y), n in je_stand.items()]

    def __len__(self):
        return len(self.landesteil.zeilen)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : (index + 1) or None][0]
        return _mit_eigenen(self.landesteil.katalog, self.landesteil.zeilen[index], self.eigene)

    def __iter__(self):
        return iter(self[:])

    def anzahl(self) -> dict[str, dict]:
        """Per-level counts of this list: rows, recorded by the Land-Redaktion, with a status of the body's own."""
        ebene_je_pk, je_ebene = self.landesteil.anzahl()
        anzahl = {e: {"n": n, "erfasst": erfasst, "kommune_erfasst": 0} for e, (n, erfasst) in je_ebene.items()}
        # ``eigene`` holds recorded statuses only; a pk outside the list counts for no level (None).
        for ebene, n in Counter(map(ebene_je_pk.get, self.eigene)).items():
            if ebene is not None:
                anzahl[ebene]["kommune_erfasst"] = n
        return anzahl

    @property
    def synthetisch(self) -> int:
        """How many of the body's statuses in this list are synthetic (load tests only)."""
        ebene_je_pk = self.landesteil.anzahl()[0]
        if self._gelesen is not None:
            pks, _status, synthetisch, _bis = self._gelesen
            return sum(compress(synthetisch, map(ebene_je_pk.__contains__, pks)))
        return sum(synthetisch for pk, (_status, synthetisch) in self.eigene.items() if pk in ebene_je_pk)


def aus_werten(tupel, katalog: Katalog) -> Kommuneliste:
    """A (filtered) list from ``werte`` tuples, in the page's order (Themenfeld, Lage, OZG-ID)."""
    leistungen, land, eigene = katalog.leistungen, [], {}
    for pk, ebene, erfasst, land_status, reifegrad, kommune, synthetisch in tupel:
        land.append(Landeszeile(pk, ebene, erfasst is None, land_status, reifegrad))
        if kommune is not None:
            eigene[pk] = (kommune, bool(synthetisch))
    land.sort(key=lambda z: leistungen[z.pk].position)
    return Kommuneliste(Landesteil(katalog, tuple(land)), eigene)


_sperre = threading.Lock()
#: Land pk → ((Landesstand, Katalogstand), its Land part).
_laender: dict[int, tuple[tuple, Landesteil]] = {}


def _landesteil(gebiet, katalog: Katalog, stand: Datenstand) -> Landesteil | Kommuneliste:
    """The kept Land part of ``gebiet`` at ``stand``, or else the whole list by its one query (its Land part then
    kept for the next body of the Land)."""
    land_id = gebiet.pk if gebiet.land_id is None else gebiet.land_id
    # The Landesstand names the entries of the body whose ARS are the first two digits of this one's: its Land.
    im_land = stand.land is not None and (gebiet.land_id is not None or gebiet.ebene == Ebene.LAND)
    schluessel = (stand.land, stand.katalog)
    gespeichert = _laender.get(land_id)
    if im_land and gespeichert is not None and gespeichert[0] == schluessel and gespeichert[1].katalog is katalog:
        return gespeichert[1]
    alle = aus_werten(werte(Leistung.objects.fuer_kommune(gebiet)), katalog)
    if im_land and not connection.in_atomic_block:
        with _sperre:
            _laender[land_id] = (schluessel, alle.landesteil)
    return alle


_EIGENE = "SELECT leistung_id, status, synthetisch, geplant_bis FROM {tabelle} WHERE kommune_id = %s"
#: The same as one row of four arrays (PostgreSQL): the driver builds four lists in C instead of ~550 row tuples,
#: and what the page derives from them (the mapping, the counts) runs over whole columns.
_EIGENE_SPALTEN = (
    "SELECT array_agg(leistung_id), array_agg(status), array_agg(synthetisch), array_agg(geplant_bis)"
    " FROM {tabelle} WHERE kommune_id = %s"
)
#: With them, for the plan (``catalog.plan``), per Leistung connected today the first time its history shows it
#: "angeschlossen": the page's whole list reads what the plan counts in one statement, not two.
_EIGENE_SPALTEN_MIT_ERSTMALS = (
    "WITH e AS (SELECT h.leistung_id, MIN(h.history_date) AS erst FROM {historie} h"
    " WHERE h.kommune_id = %s AND h.status = %s AND EXISTS (SELECT 1 FROM {tabelle} k"
    " WHERE k.kommune_id = %s AND k.leistung_id = h.leistung_id AND k.status = %s) GROUP BY h.leistung_id)"
    " SELECT array_agg(leistung_id), array_agg(status), array_agg(synthetisch), array_agg(geplant_bis),"
    " (SELECT array_agg(erst) FROM e) FROM {tabelle} WHERE kommune_id = %s"
)
#: Only those of some Leistungen (the API's page of 50 of ~550): read through the unique index (Kommune, Leistung).
_EIGENE_SPALTEN_VON = _EIGENE_SPALTEN + " AND leistung_id = ANY(%s::bigint[])"


def _eigene(gebiet, pks=None) -> tuple[dict[int, tuple[str, bool]], tuple[list, list, list, list], list | None]:
    """The body's own statuses, Leistung pk → (status, synthetisch), what was read by column (Leistung pk,
    status, synthetisch, "geplant bis", which the plan counts) and, for all of them on PostgreSQL, the plan's
    first connections (else None: the plan reads them itself): one query. ``pks``: at least those of these
    Leistungen (on PostgreSQL only these), else all.

    Plain SQL: composing the ORM query cost more CPU than the database took to answer it (~550 rows); prepared,
    like the page's other fixed queries (``core.vorbereitet``).
    """
    db = KommunaleUmsetzung.objects.db
    tabelle = KommunaleUmsetzung._meta.db_table
    if connections[db].vendor == "postgresql":
        erstmals = None
        if pks is None:
            historie = KommunaleUmsetzung.history.model._meta.db_table
            sql = _EIGENE_SPALTEN_MIT_ERSTMALS.format(tabelle=tabelle, historie=historie)
            an = Anschlussstatus.ANGESCHLOSSEN.value
            *spalten, erstmals = vorbereitet.lesen(sql, [gebiet.pk, an, gebiet.pk, an, gebiet.pk], db)[0]
            erstmals = erstmals or []
        else:
            spalten = vorbereitet.lesen(_EIGENE_SPALTEN_VON.format(tabelle=tabelle), [gebiet.pk, list(pks)], db)[0]
        # No row at all: array_agg gives NULL.
        pks, status, synthetisch, bis = (spalte or [] for spalte in spalten)
    else:
        zeilen = vorbereitet.lesen(_EIGENE.format(tabelle=tabelle), [gebiet.pk], db)
        pks, status, synthetisch, bis = (
            (list(spalte) for spalte in zip(*zeilen, strict=True)) if zeilen else ([], [], [], [])
        )
        synthetisch = list(map(bool, synthetisch))  # SQLite: 0/1
        erstmals = None
    eigene = dict(zip(pks, zip(status, synthetisch, strict=True), strict=True))
    return eigene, (pks, status, synthetisch, bis), erstmals


def _mit_eigenen(katalog: Katalog, land: Iterable[Landeszeile], eigene) -> list[KommuneZeile]:
    """Rows of (a part of) a Land part with the body's own statuses."""
    leistungen = katalog.leistungen
    return [KommuneZeile(leistungen[z.pk], *z[1:], *eigene.get(z.pk, OHNE_EIGENEN)) for z in land]


def ganze_liste(gebiet, katalog: Katalog, stand: Datenstand) -> Kommuneliste:
    """The whole list of ``gebiet`` in page order, the same rows as ``aus_werten(werte(fuer_kommune(gebiet)), …)``.

    With the Land's part kept for ``stand``: the body's own statuses (one query of its KommunaleUmsetzung rows);
    else the one query of the whole list, whose Land part is kept for the next body of the Land.
    """
    teil = _landesteil(gebiet, katalog, stand)
    return teil if isinstance(teil, Kommuneliste) else Kommuneliste(teil, *_eigene(gebiet))


def nach_ozg_id(alle) -> list[KommuneZeile]:
    """The API's default order."""
    return sorted(alle, key=attrgetter("leistung.ozg_id"))


class NachOzgId(Sequence):
    """The whole list in the API's order (OZG-ID) from the kept Land part; rows are built per slice.

    A page of 50 builds 50 rows, not the ~550 of the whole list: the body's statuses of the slice's Leistungen by
    one query per slice (none for an empty one, e.g. past the end); ``len`` needs none. Iterating reads the whole
    list by the same query.
    """

    def __init__(self, gebiet, katalog: Katalog, land: tuple[Landeszeile, ...]):
        self._gebiet, self._katalog, self._land = gebiet, katalog, land

    def __len__(self):
        return len(self._land)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : (index + 1) or None][0]  # one row, e.g. the last one: never the whole list
        land = self._land[index]
        if not land:
            return []
        return _mit_eigenen(self._katalog, land, _eigene(self._gebiet, [z.pk for z in land])[0])

    def __iter__(self):
        return iter(self[:])


def ganze_liste_nach_ozg_id(gebiet, katalog: Katalog, stand: Datenstand) -> Sequence[KommuneZeile]:
    """``nach_ozg_id(ganze_liste(…))`` for paging: with the Land's part kept, rows only for the slice read."""
    teil = _landesteil(gebiet, katalog, stand)
    if isinstance(teil, Kommuneliste):
        return nach_ozg_id(teil)
    return NachOzgId(gebiet, katalog, teil.nach_ozg_id())


def anzahl_abfragen(gebiet) -> dict[str, dict]:
    """Per-level counts of the whole list in one aggregate query (when the page shows a filtered list)."""
    return {
        z["ebene"]: z
        for z in Leistung.objects.fuer_kommune(gebiet)
        .values("ebene")
        .annotate(n=Count("pk"), erfasst=Count("zustaendigkeit_erfasst"), kommune_erfasst=Count("kommune_status"))
    }


def _teilnahmen(bedingung):
    # Teilnahmen (themenfelder, a layer above) are reached through their relation to the Gebietskörperschaft.
    modell = Gebietskoerperschaft.teilnahmen.rel.related_model.objects
    qs = modell.select_related("themenfeld", "laborzuordnung__labor", "gebiet").order_by("themenfeld__name", "position")
    return qs.filter(bedingung)


#: A Land's own and those of every body in it; else those of the body and the (up to three) bodies above it.
_TEILNAHMEN_IM_LAND = Vorbereitet(lambda land_id: _teilnahmen(Q(gebiet_id=land_id) | Q(gebiet__land_id=land_id)), int)
_TEILNAHMEN_VON = Vorbereitet(lambda *ids: _teilnahmen(Q(gebiet_id__in=ids)), int, int, int, int)


def teilnahmen(gebiet):
    """Participation in Themenfeldern and Labore of this Gebietskörperschaft and of those above it."""
    if gebiet.ebene == Ebene.LAND:
        return _TEILNAHMEN_IM_LAND(gebiet.pk)
    ids = [g.pk for g in (gebiet, verwaltung_von(gebiet), gebiet.kreis, gebiet.land) if g is not None]
    # Always four ids (the body's own repeated): one query shape.
    return _TEILNAHMEN_VON(*ids, *[gebiet.pk] * (4 - len(ids)))


def umfeld(gebiet, titel):
    """What lies below the Gebietskörperschaft (Gemeinden, Kreise) and, for a Land, its role in the programme.

    ``titel``: level → the heading of the list below (presentation supplies the translated texts).
    """
    if gebiet.ebene == Ebene.LAND:
        stand = Gebietskoerperschaft.objects.filter(pk=gebiet.pk).aggregate(
            zustaendigkeiten=Count("zustaendigkeiten", distinct=True),
            umsetzungsstaende=Count("umsetzungsstaende", distinct=True),
            efa_angebote=Count("efa_angebote", distinct=True),
        )
        return {
            "unterebene_titel": titel[Ebene.LAND],
            "unterebene": list(Gebietskoerperschaft.objects.filter(land=gebiet, ebene=Ebene.KREIS).order_by("name")),
            "tandem_rollen": list(gebiet.tandem_rollen.select_related("themenfeld").order_by("themenfeld__name")),
            "land_stand": stand,
        }
    if gebiet.ebene == Ebene.KREIS:
        return {
            "unterebene_titel": titel[Ebene.KREIS],
            "unterebene": list(
                Gebietskoerperschaft.objects.filter(kreis=gebiet, ebene=Ebene.GEMEINDE)
                .select_related("parent")
                .order_by("parent__name", "parent_id", "name")
            ),
            "gruppiert": True,
        }
    if gebiet.ebene == Ebene.GEMEINDEVERBAND:
        return {
            "unterebene_titel": titel[Ebene.GEMEINDEVERBAND],
            "unterebene": list(gebiet.children.filter(ebene=Ebene.GEMEINDE).order_by("name")),
        }
    if gebiet.ebene in (Ebene.REGIERUNGSBEZIRK, Ebene.REGION):
        return {
            "unterebene_titel": titel[Ebene.REGIERUNGSBEZIRK],
            "unterebene": list(Gebietskoerperschaft.objects.filter(ebene=Ebene.KREIS, ars__startswith=gebiet.ars)),
        }
    return {}
