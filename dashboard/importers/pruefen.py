"""Checking one row of the federal format and deciding where it is stored (its coverage decides).

``Nachschlag`` loads the keys once (Gebietskörperschaften, LeiKa-Schlüssel, OZG-IDs); ``pruefe()`` names every bad
cell of a row and returns the checked row, or None. Rows are checked one by one, with no state across rows:
duplicates and contradictions are found by ``schreiben`` over all rows at once.
"""

import re
import urllib.parse
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from catalog.choices import Ebene
from catalog.models import Gebietskoerperschaft, LeikaLeistung, Leistung
from core.importers import Fehlerliste

from ..choices import ARS_BUND, Aktiv, Flaechendeckung, OnlineStatus
from .quellen import text

_URL = URLValidator(schemes=["http", "https"])


# The usual federal URL: plain ASCII, http(s), a host without user info or IPv6 brackets, no whitespace.
_URL_EINFACH = re.compile(r"https?://[^\s/?#@\[]+(?:[/?#]\S*)?\Z")


URL_STATUS_MAX = 200  # catalog's online_url (models.URLField's default max_length)


def _url_gueltig(url: str) -> bool:
    """Django's URLValidator, with a cheap check first: most federal URLs are plain ASCII http(s) addresses."""
    if len(url) <= 2000 and url.isascii() and _URL_EINFACH.match(url):
        return True
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


class Zeile(NamedTuple):
    """A checked row: where it is stored (``ort`` None: bundesweit), its LeiKa- and OZG-Leistung and values."""

    ort: int | None
    leika_id: int | None  # None: a row with only an OZG-ID (sets the portal's status, stores no Onlinedienst)
    leistung_id: int
    url: str
    online_status: str
    aktiv: str
    art: str


def pruefe(liste: Fehlerliste, nummer: int, row: dict, nachschlag: Nachschlag, bereich=None) -> Zeile | None:
    """Name every bad cell of ``row`` (line ``nummer``) in ``liste``; return the checked row or None."""
    fehler_vorher = len(liste.fehler)

    def wert(spalte):
        return row.get(spalte, "").strip() if isinstance(row.get(spalte), str) else text(row.get(spalte))

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
    leika_id, leistung_id = _leistung(liste, nummer, wert("leika_key"), wert("ozgid"), nachschlag)
    # Values
    url = wert("url")
    if url and not _url_gueltig(url):
        liste.add(nummer, "url", url, "keine gültige http(s)-Adresse")
    elif len(url) > URL_STATUS_MAX:
        # The address also becomes the portal's status address (a URLField of 200): refused here by name, instead of
        # a database error on PostgreSQL (SQLite does not check lengths).
        liste.add(nummer, "url", url[:60] + "…", f"länger als {URL_STATUS_MAX} Zeichen")
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
        return None

    ort = _ort(gefunden, art, nachschlag)
    if ort is None and art not in (Flaechendeckung.BUNDESWEIT, Flaechendeckung.NICHT_BERUECKSICHTIGT):
        liste.add(nummer, "art_flaechendeckung", art_text, f"passt nicht zum Regionalschlüssel {ars}")
        return None
    if bereich is not None and not bereich(ort, art):
        liste.add(nummer, "ars", ars, "gehört nicht zu Ihrem Bereich (anderes Land oder andere Kommune)")
        return None
    return Zeile(ort, leika_id, leistung_id, url, online_status, aktiv, art.value)


def _leistung(liste, nummer, leika_key: str, ozgid: str, nachschlag: Nachschlag):
    """LeiKa-Schlüssel, else OZG-ID → (leika_id, leistung_id); errors go to ``liste``."""
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
    return leika_id, leistung_id


def _ort(gefunden: str, art, nachschlag: Nachschlag) -> int | None:
    """The pk of the Gebietskörperschaft a row is stored on: its coverage decides (None: bundesweit or no fit)."""
    if gefunden == ARS_BUND:
        pk = ebene = land_id = kreis_id = None
    else:
        pk, ebene, land_id, kreis_id = nachschlag.gebiets_daten(gefunden)
    if art == Flaechendeckung.BUNDESWEIT:
        return None
    if art == Flaechendeckung.LANDESWEIT:
        return pk if ebene == Ebene.LAND else land_id
    if art == Flaechendeckung.KREISWEIT:
        return pk if ebene == Ebene.KREIS else kreis_id
    if art == Flaechendeckung.KOMMUNE:
        return pk if ebene in _KOMMUNAL else None
    return pk
