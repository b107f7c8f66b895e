"""Reading federal rows from the portal's own data: imported Onlinedienste plus the portal's statuses.

A row of the compatible API (``DvDataDto``) comes from one of three sources, in one SQL ``UNION ALL``:

1. ``dashboard.Onlinedienst``: rows imported in the federal format, with their LeiKa-Leistung, URL,
   ``online_status``, ``aktiv`` and ``art_flaechendeckung`` as imported.
2. ``catalog.KommunaleUmsetzung`` (status angeschlossen or geplant) of a Kommune that has no imported row for that
   OZG-Leistung: one row per OZG-Leistung with an empty ``leika_key``. Synthetic rows (load tests) are left out:
   the federal format has no field to flag them, so they would pass for real statuses.
3. ``catalog.Umsetzungsstand`` (status online verfügbar or in Umsetzung) of a Land without an imported row for
   that OZG-Leistung (neither on the Land nor bundesweit).

Rows are stored once where they apply (see ``Onlinedienst``); ``includeAbove``/``includeBelow`` pick the
Gebietskörperschaften whose rows are shown. The status mapping is the README's table, the inverse of the import's.

Paging (a Land with everything below it is ~150,000 rows at national scale): the rows are ordered by ARS first, so
each Gebietskörperschaft's rows form one run. ``gruppen()`` counts the rows per Gebietskörperschaft once per
Datenstand (kept in the cache); a page then reads and sorts only the one or two Gebietskörperschaften it touches
(``seite_lesen()``), instead of counting and sorting every row of the Land for every page.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection, models

from catalog.choices import Anschlussstatus, Ebene, UmsetzungsStatus
from catalog.models import Gebietskoerperschaft

from .choices import ARS_BUND, Aktiv, Flaechendeckung, OnlineStatus

GRUPPEN_SEKUNDEN = 3600  # a token is replaced by the next write anyway; this only bounds the cache's memory

_ARS12 = "SUBSTR({col} || '000000000000', 1, 12)"
_BUNDESLAND = "COALESCE(l.name, CASE WHEN g.ebene = 'land' THEN g.name END)"

_QUELLE_ONLINEDIENST = f"""
SELECT COALESCE({_ARS12.format(col="g.ars")}, '{ARS_BUND}') AS ars, g.name AS ars_name,
       SUBSTR(g.ars, 1, 2) AS ars_federal_state, {_BUNDESLAND} AS bundesland,
       k.schluessel AS leika_key, k.bezeichnung AS leika_name, k.bezeichnung AS leika_bezeichnung,
       s.ozg_id AS ozgid, s.name AS ozg_bezeichnung, o.url AS url, o.online_status AS online_status,
       NULLIF(o.aktiv, '') AS aktiv, o.art_flaechendeckung AS art_flaechendeckung,
       COALESCE(g.ars, '') AS _ars_roh, COALESCE(o.gebiet_id, 0) AS _gebiet
FROM dashboard_onlinedienst o
JOIN catalog_leikaleistung k ON k.id = o.leika_id
JOIN catalog_leistung s ON s.id = o.leistung_id
LEFT JOIN catalog_gebietskoerperschaft g ON g.id = o.gebiet_id
LEFT JOIN catalog_gebietskoerperschaft l ON l.id = g.land_id
WHERE {{wo}}
"""

_QUELLE_KOMMUNE = f"""
SELECT {_ARS12.format(col="g.ars")} AS ars, g.name AS ars_name, SUBSTR(g.ars, 1, 2) AS ars_federal_state,
       l.name AS bundesland, '' AS leika_key, '' AS leika_name, NULL AS leika_bezeichnung,
       s.ozg_id AS ozgid, s.name AS ozg_bezeichnung, u.online_url AS url,
       CASE WHEN u.status = '{Anschlussstatus.ANGESCHLOSSEN}' THEN '{OnlineStatus.OK}'
            ELSE '{OnlineStatus.NICHT_OK}' END AS online_status,
       CASE WHEN u.status = '{Anschlussstatus.ANGESCHLOSSEN}' THEN '{Aktiv.JA}' ELSE '{Aktiv.NEIN}' END AS aktiv,
       CASE WHEN g.ebene = '{Ebene.KREIS}' THEN '{Flaechendeckung.KREISWEIT}'
            ELSE '{Flaechendeckung.KOMMUNE}' END AS art_flaechendeckung,
       g.ars AS _ars_roh, u.kommune_id AS _gebiet
FROM catalog_kommunaleumsetzung u
JOIN catalog_gebietskoerperschaft g ON g.id = u.kommune_id
JOIN catalog_leistung s ON s.id = u.leistung_id
LEFT JOIN catalog_gebietskoerperschaft l ON l.id = g.land_id
WHERE u.status IN ('{Anschlussstatus.ANGESCHLOSSEN}', '{Anschlussstatus.GEPLANT}')
  AND NOT u.synthetisch
  AND NOT EXISTS (SELECT 1 FROM dashboard_onlinedienst o WHERE o.gebiet_id = u.kommune_id
                  AND o.leistung_id = u.leistung_id)
  AND {{wo}}
"""

_QUELLE_LAND = f"""
SELECT {_ARS12.format(col="g.ars")} AS ars, g.name AS ars_name, g.ars AS ars_federal_state, g.name AS bundesland,
       '' AS leika_key, '' AS leika_name, NULL AS leika_bezeichnung, s.ozg_id AS ozgid, s.name AS ozg_bezeichnung,
       st.online_url AS url,
       CASE WHEN st.status = '{UmsetzungsStatus.ONLINE}' THEN '{OnlineStatus.OK}'
            ELSE '{OnlineStatus.NICHT_OK}' END AS online_status,
       CASE WHEN st.status = '{UmsetzungsStatus.ONLINE}' THEN '{Aktiv.JA}' ELSE '{Aktiv.NEIN}' END AS aktiv,
       '{Flaechendeckung.LANDESWEIT}' AS art_flaechendeckung, g.ars AS _ars_roh, st.land_id AS _gebiet
FROM catalog_umsetzungsstand st
JOIN catalog_gebietskoerperschaft g ON g.id = st.land_id
JOIN catalog_leistung s ON s.id = st.leistung_id
WHERE st.status IN ('{UmsetzungsStatus.ONLINE}', '{UmsetzungsStatus.IN_UMSETZUNG}')
  AND NOT EXISTS (SELECT 1 FROM dashboard_onlinedienst o WHERE o.leistung_id = st.leistung_id
                  AND (o.gebiet_id = st.land_id OR o.gebiet_id IS NULL))
  AND {{wo}}
"""

SPALTEN_SQL = [
    "ars",
    "ars_name",
    "ars_federal_state",
    "bundesland",
    "leika_key",
    "leika_name",
    "leika_bezeichnung",
    "ozgid",
    "ozg_bezeichnung",
    "url",
    "online_status",
    "aktiv",
    "art_flaechendeckung",
]

# Counting rows per Gebietskörperschaft needs none of the joins: every foreign key the sources join is NOT NULL.
_ANZAHL_ONLINEDIENST = (
    "SELECT COALESCE(o.gebiet_id, 0) AS gebiet, COUNT(*) AS n FROM dashboard_onlinedienst o WHERE {wo} GROUP BY 1"
)
_ANZAHL_KOMMUNE = f"""
SELECT u.kommune_id AS gebiet, COUNT(*) AS n FROM catalog_kommunaleumsetzung u
WHERE u.status IN ('{Anschlussstatus.ANGESCHLOSSEN}', '{Anschlussstatus.GEPLANT}')
  AND NOT u.synthetisch
  AND NOT EXISTS (SELECT 1 FROM dashboard_onlinedienst o WHERE o.gebiet_id = u.kommune_id
                  AND o.leistung_id = u.leistung_id)
  AND {{wo}}
GROUP BY 1
"""
_ANZAHL_LAND = f"""
SELECT st.land_id AS gebiet, COUNT(*) AS n FROM catalog_umsetzungsstand st
WHERE st.status IN ('{UmsetzungsStatus.ONLINE}', '{UmsetzungsStatus.IN_UMSETZUNG}')
  AND NOT EXISTS (SELECT 1 FROM dashboard_onlinedienst o WHERE o.leistung_id = st.leistung_id
                  AND (o.gebiet_id = st.land_id OR o.gebiet_id IS NULL))
  AND {{wo}}
GROUP BY 1
"""


@dataclass
class Bereich:
    """Which Gebietskörperschaften' rows a request shows: ids, plus everything below one of them, plus the Bund."""

    alle: bool = False
    ids: list[int] = field(default_factory=list)
    bund: bool = False
    unterhalb: object = None  # the Gebietskoerperschaft whose descendants are included, or None

    def _wo(self, gebiet_spalte: str, g: str, params: list) -> str:
        """SQL condition on the row's Gebietskörperschaft (column ``gebiet_spalte``).

        Written as ``column IN (SELECT id …)``: the planner then walks the index of the row table from the few
        Gebietskörperschaften instead of joining every row first (a Land has ~1,000, the table millions of rows).
        """
        if self.alle:
            return "1 = 1"
        teile = []
        if self.ids:
            teile.append(f"gk.id IN ({', '.join(['%s'] * len(self.ids))})")
            params.extend(self.ids)
        oben = self.unterhalb
        if oben is not None:
            # The foreign keys land/kreis/parent are indexed; a prefix of the ARS covers the remaining levels.
            if oben.ebene == Ebene.LAND:
                teile.append("gk.land_id = %s")
                params.append(oben.pk)
            elif oben.ebene == Ebene.KREIS:
                teile.append("gk.kreis_id = %s")
                params.append(oben.pk)
            elif oben.ebene == Ebene.GEMEINDEVERBAND:
                teile.append("gk.parent_id = %s")
                params.append(oben.pk)
            elif oben.ebene != Ebene.GEMEINDE:
                teile.append("(gk.ars LIKE %s AND gk.id <> %s)")
                params.extend([oben.ars + "%", oben.pk])
        bedingung = (
            f"{gebiet_spalte} IN (SELECT gk.id FROM catalog_gebietskoerperschaft gk WHERE {' OR '.join(teile)})"
            if teile
            else "1 = 0"
        )
        if self.bund and gebiet_spalte == "o.gebiet_id":
            bedingung = f"(o.gebiet_id IS NULL OR {bedingung})"
        return bedingung

    def schluessel(self) -> str:
        unterhalb = self.unterhalb.pk if self.unterhalb is not None else ""
        return f"{int(self.alle)}|{int(self.bund)}|{','.join(map(str, sorted(self.ids)))}|{unterhalb}"

    @classmethod
    def fuer(cls, gebiet, *, oberhalb: bool, unterhalb: bool) -> "Bereich":
        """The rows of ``gebiet`` (None: the Bund), with those above and/or below it."""

        if gebiet is None:
            return cls(alle=unterhalb, bund=True)
        ids = [gebiet.pk]
        if oberhalb:
            praefixe = {gebiet.ars[:n] for n in (2, 3, 4, 5, 9) if n < len(gebiet.ars)}
            ids += list(Gebietskoerperschaft.objects.filter(ars__in=praefixe).values_list("pk", flat=True))
        return cls(ids=ids, bund=oberhalb, unterhalb=gebiet if unterhalb else None)


def _union(bereich: Bereich, quellen=(_QUELLE_ONLINEDIENST, _QUELLE_KOMMUNE, _QUELLE_LAND)) -> tuple[str, list]:
    params: list = []
    spalten = ("o.gebiet_id", "u.kommune_id", "st.land_id")
    teile = [
        quelle.format(wo=bereich._wo(spalte, "g", params)) for quelle, spalte in zip(quellen, spalten, strict=True)
    ]
    return " UNION ALL ".join(teile), params


@dataclass(frozen=True)
class Gruppe:
    """The rows of one Gebietskörperschaft (gebiet 0: the bundesweit rows) in a Bereich: a run in the order."""

    ars: str  # 12 digits, as the API sends it
    ars_roh: str  # the stored Regionalschlüssel: Kreis 05111 and kreisfreie Stadt 051110000000 share ``ars``
    gebiet: int
    anzahl: int


def gruppen(bereich: Bereich) -> list[Gruppe]:
    """Row counts per Gebietskörperschaft of ``bereich``, in the API's order (ascending).

    One grouped count over indexed foreign keys, no joins and no sort of the rows: a Land with everything below
    it is ~1,000 groups for ~300,000 rows. The page query then reads only the groups a page touches.
    """
    sql, params = _union(bereich, (_ANZAHL_ONLINEDIENST, _ANZAHL_KOMMUNE, _ANZAHL_LAND))
    sql = (
        f"SELECT t.gebiet, COALESCE(gk.ars, ''), SUM(t.n) FROM ({sql}) t "
        "LEFT JOIN catalog_gebietskoerperschaft gk ON gk.id = t.gebiet GROUP BY t.gebiet, gk.ars"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        zeilen = cursor.fetchall()
    liste = [Gruppe(_ars12(roh), roh, gebiet, int(n)) for gebiet, roh, n in zeilen]
    liste.sort(key=lambda g: (g.ars, g.ars_roh, g.gebiet))
    return liste


def _ars12(roh: str) -> str:
    return (roh + "000000000000")[:12] if roh else ARS_BUND


def gruppen_gecacht(bereich: Bereich, datenstand) -> list[Gruppe]:
    """``gruppen()`` kept per Datenstand (``core.datenstand``): every committed write brings a new one, so a kept
    list is only used for the data it was counted from (at worst counted from newer data, like every API body).

    The key also names the database and the Datenstand's second: a restored or new database starts its log ids
    again, and must not meet the counts of another one in a shared cache.
    """
    teile = (connection.settings_dict["NAME"], str(datenstand.zeitstempel), bereich.schluessel())
    schluessel = "dashboard-gruppen:" + datenstand.etag(*teile)
    liste = cache.get(schluessel)
    if liste is None:
        liste = gruppen(bereich)
        cache.set(schluessel, liste, GRUPPEN_SEKUNDEN)
    return liste


def seite_lesen(bereich: Bereich, liste: list[Gruppe], *, absteigend: bool, offset: int, limit: int) -> list[dict]:
    """One page of rows: only the Gebietskörperschaften the page touches are read and sorted.

    ``liste`` are the groups of ``bereich`` (``gruppen()``); offset and limit count rows in the API's order.
    """
    reihe = list(reversed(liste)) if absteigend else liste
    vorher, getroffen, lokal = 0, [], 0
    for gruppe in reihe:
        if vorher + gruppe.anzahl > offset and vorher < offset + limit:
            if not getroffen:
                lokal = offset - vorher
            getroffen.append(gruppe.gebiet)
        vorher += gruppe.anzahl
        if vorher >= offset + limit:
            break
    if not getroffen:
        return []
    teil = Bereich(ids=[g for g in getroffen if g], bund=0 in getroffen)
    return list(zeilen(teil, absteigend=absteigend, offset=lokal, limit=limit))


def zeilen_zaehlen(bereich: Bereich) -> int:
    return sum(g.anzahl for g in gruppen(bereich))


def zeilen(bereich: Bereich, *, absteigend: bool = False, offset: int = 0, limit: int | None = None):
    """Yield the federal rows of ``bereich`` as dicts, ordered by ARS, LeiKa-Schlüssel and OZG-ID.

    Rows of the same 12-digit ARS stay together per Gebietskörperschaft (Kreis before kreisfreie Stadt), so the
    order is total and equals the order of ``gruppen()``.
    """
    sql, params = _union(bereich)
    r = "DESC" if absteigend else "ASC"
    sql = f"SELECT * FROM ({sql}) t ORDER BY ars {r}, _ars_roh {r}, _gebiet {r}, leika_key {r}, ozgid {r}"
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params = [*params, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        spalten = [c[0] for c in cursor.description]
        sichtbar = [i for i, name in enumerate(spalten) if not name.startswith("_")]
        namen = [spalten[i] for i in sichtbar]
        while True:
            block = cursor.fetchmany(2000)
            if not block:
                break
            for werte in block:
                yield dict(zip(namen, (werte[i] for i in sichtbar), strict=True))


class OnlinedienstQuerySet(models.QuerySet):
    def fuer_gebiet(self, gebiet):
        """Rows stored on ``gebiet`` itself (None: the bundesweit rows)."""
        return self.filter(gebiet__isnull=True) if gebiet is None else self.filter(gebiet=gebiet)
