"""Reading federal rows from the portal's own data: imported Onlinedienste plus the portal's statuses.

A row of the compatible API (``DvDataDto``) comes from one of three sources, in one SQL ``UNION ALL``:

1. ``dashboard.Onlinedienst``: rows imported in the federal format, with their LeiKa-Leistung, URL,
   ``online_status``, ``aktiv`` and ``art_flaechendeckung`` as imported.
2. ``catalog.KommunaleUmsetzung`` (status angeschlossen or geplant) of a Kommune that has no imported row for that
   OZG-Leistung: one row per OZG-Leistung with an empty ``leika_key``.
3. ``catalog.Umsetzungsstand`` (status online verfügbar or in Umsetzung) of a Land without an imported row for
   that OZG-Leistung (neither on the Land nor bundesweit).

Rows are stored once where they apply (see ``Onlinedienst``); ``includeAbove``/``includeBelow`` pick the
Gebietskörperschaften whose rows are shown. The status mapping is the README's table, the inverse of the import's.
"""

from dataclasses import dataclass, field

from django.db import connection, models

from catalog.choices import Anschlussstatus, Ebene, UmsetzungsStatus
from catalog.models import Gebietskoerperschaft

from .choices import ARS_BUND, Aktiv, Flaechendeckung, OnlineStatus

_ARS12 = "SUBSTR({col} || '000000000000', 1, 12)"
_BUNDESLAND = "COALESCE(l.name, CASE WHEN g.ebene = 'land' THEN g.name END)"

_QUELLE_ONLINEDIENST = f"""
SELECT COALESCE({_ARS12.format(col="g.ars")}, '{ARS_BUND}') AS ars, g.name AS ars_name,
       SUBSTR(g.ars, 1, 2) AS ars_federal_state, {_BUNDESLAND} AS bundesland,
       k.schluessel AS leika_key, k.bezeichnung AS leika_name, k.bezeichnung AS leika_bezeichnung,
       s.ozg_id AS ozgid, s.name AS ozg_bezeichnung, o.url AS url, o.online_status AS online_status,
       NULLIF(o.aktiv, '') AS aktiv, o.art_flaechendeckung AS art_flaechendeckung
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
            ELSE '{Flaechendeckung.KOMMUNE}' END AS art_flaechendeckung
FROM catalog_kommunaleumsetzung u
JOIN catalog_gebietskoerperschaft g ON g.id = u.kommune_id
JOIN catalog_leistung s ON s.id = u.leistung_id
LEFT JOIN catalog_gebietskoerperschaft l ON l.id = g.land_id
WHERE u.status IN ('{Anschlussstatus.ANGESCHLOSSEN}', '{Anschlussstatus.GEPLANT}')
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
       '{Flaechendeckung.LANDESWEIT}' AS art_flaechendeckung
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


def _union(bereich: Bereich) -> tuple[str, list]:
    params: list = []
    teile = [
        _QUELLE_ONLINEDIENST.format(wo=bereich._wo("o.gebiet_id", "g", params)),
        _QUELLE_KOMMUNE.format(wo=bereich._wo("u.kommune_id", "g", params)),
        _QUELLE_LAND.format(wo=bereich._wo("st.land_id", "g", params)),
    ]
    return " UNION ALL ".join(teile), params


def zeilen_zaehlen(bereich: Bereich) -> int:
    sql, params = _union(bereich)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) t", params)
        return cursor.fetchone()[0]


def zeilen(bereich: Bereich, *, absteigend: bool = False, offset: int = 0, limit: int | None = None):
    """Yield the federal rows of ``bereich`` as dicts, ordered by ARS, LeiKa-Schlüssel and OZG-ID."""
    sql, params = _union(bereich)
    richtung = "DESC" if absteigend else "ASC"
    sql = f"SELECT * FROM ({sql}) t ORDER BY ars {richtung}, leika_key {richtung}, ozgid {richtung}"
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params = [*params, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        spalten = [c[0] for c in cursor.description]
        while True:
            block = cursor.fetchmany(2000)
            if not block:
                break
            for werte in block:
                yield dict(zip(spalten, werte, strict=True))


class OnlinedienstQuerySet(models.QuerySet):
    def fuer_gebiet(self, gebiet):
        """Rows stored on ``gebiet`` itself (None: the bundesweit rows)."""
        return self.filter(gebiet__isnull=True) if gebiet is None else self.filter(gebiet=gebiet)
