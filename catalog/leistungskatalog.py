"""What every Kommune's list shares: the OZG-Leistungen with their Lage, Themenfeld and LeiKa figures.

The same for all 16,068 bodies and both languages, so it is read once per *Katalogstand* (the highest change-log
entry without a Gebiet, ``core.datenstand``) and kept in the process: a Kommune's page and API answer then query
only what differs per Land and Kommune. Keyed by (id, transaction) of that entry, which a rolled-back transaction
cannot reuse; nothing is kept from inside a transaction (its reads may be taken back), and only the newest
Katalogstand stays in memory.
"""

import re
import threading
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from django.db import connection

from core.datenstand import datenstand_der_anfrage

from .models import Leistung


@dataclass(frozen=True, slots=True)
class KatalogLeistung:
    pk: int
    ozg_id: int
    name: str
    vollzug: str
    lage_slug: str
    lage_name: str
    themenfeld_slug: str
    themenfeld_name: str
    leika_anzahl: int
    typ_codes: str  # "1, 2/3": each code of its LeiKa-Leistungen once, in FIM order
    leika_schluessel: tuple[str, ...]  # sorted, without empty ones
    position: int  # place in the page's order: Themenfeld, Lage, OZG-ID


@dataclass(frozen=True)
class Katalog:
    leistungen: dict[int, KatalogLeistung]  # by pk
    themenfelder: tuple[tuple[str, str], ...]  # (slug, name), by name
    lagen: tuple[tuple[str, str], ...]
    #: Free slot for what the presentation derives from the catalogue (rendered row heads per language).
    ableitungen: dict


def _typ_sortierung(code: str):
    ziffern = re.match(r"\d+", code)
    return (int(ziffern.group()) if ziffern else 99, code)


def typ_codes(typen) -> str:
    """['2/3', '1, 2/3'] → '1, 2/3': each code once, in FIM order."""
    codes = {c.strip() for t in typen for c in re.split(r"[,;]", t) if c.strip()}
    return ", ".join(sorted(codes, key=_typ_sortierung))


def laden() -> Katalog:
    """One query: each Leistung with Lage and Themenfeld, once per LeiKa-Leistung (Typisierung and key)."""
    zeilen = (
        Leistung.objects.order_by("lage__themenfeld__name", "lage__name", "ozg_id", "leika_leistungen__zeile")
        .values_list(
            "pk", "ozg_id", "name", "vollzug", "lage__slug", "lage__name", "lage__themenfeld__slug",
            "lage__themenfeld__name", "leika_leistungen__typisierung", "leika_leistungen__schluessel",
        )
    )  # fmt: skip
    leistungen, themenfelder, lagen = {}, {}, {}
    for position, (kopf, gruppe) in enumerate(groupby(zeilen, key=itemgetter(*range(8)))):
        pk, ozg_id, name, vollzug, lage_slug, lage_name, tf_slug, tf_name = kopf
        leika = [(t, s) for *_kopf, t, s in gruppe if t is not None]  # None: no LeiKa-Leistung at all
        leistungen[pk] = KatalogLeistung(
            pk, ozg_id, name, vollzug, lage_slug, lage_name, tf_slug, tf_name,
            leika_anzahl=len(leika),
            typ_codes=typ_codes(t for t, _s in leika if t),
            leika_schluessel=tuple(sorted(s for _t, s in leika if s)),
            position=position,
        )  # fmt: skip
        themenfelder[tf_slug] = tf_name
        lagen[lage_slug] = lage_name
    return Katalog(
        leistungen,
        tuple(sorted(themenfelder.items(), key=itemgetter(1))),
        tuple(sorted(lagen.items(), key=itemgetter(1))),
        {},
    )


_sperre = threading.Lock()
_gespeichert: tuple[object, Katalog] | None = None


def katalog_der_anfrage(request) -> Katalog:
    """The catalogue at (at least) the request's Katalogstand: from memory, or read and kept."""
    global _gespeichert
    roh = getattr(request, "_request", request)
    if hasattr(roh, "ozg_katalog"):
        return roh.ozg_katalog
    stand = datenstand_der_anfrage(request)
    # Without a Bereich the version covers everything: any write renews the catalogue, still never stale.
    schluessel = stand.katalog or ("alles", stand.sequenz, stand.zeitstempel)
    gespeichert = _gespeichert
    if gespeichert is not None and gespeichert[0] == schluessel:
        katalog = gespeichert[1]
    else:
        katalog = laden()
        if not connection.in_atomic_block:
            with _sperre:
                _gespeichert = (schluessel, katalog)
    roh.ozg_katalog = katalog
    return katalog
