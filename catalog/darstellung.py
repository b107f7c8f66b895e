"""Presentation of a Kommune's list: table rows from three template fragments, grouped by Themenfeld and Lage.

A row is the same for every body except two cells, so it is rendered in parts, each through a template and each
once: the row head (OZG-ID, name, LeiKa figures) per Leistung, Katalogstand and language, kept with the
catalogue; the "Wer vollzieht hier" cell per level for the page's body, from a form per shape and language with
the body's names put in; the status cell per combination of statuses (kept per language). A
page of 557 rows joins 557 × 3 ready parts instead of rendering 557 rows through the template engine, as UTF-8
bytes: the page's template prints a marker where the list goes, and ``einsetzen`` puts the list there.

The frame around the rows (a ``<details>`` per Themenfeld with its counts, a table per Lage with caption and head)
is the template ``leistungen_gruppen.html``, rendered once per structure — the Themenfelder and Lagen shown, their
counts, open or folded — and language, and kept with the catalogue: the whole list of every body of a Land has one
structure (its counts of open Leistungen are the Land's), so its frame is rendered once per Land. The key is all
the template reads, so a kept frame cannot be stale.

The filter form above the list is the same on every page without parameters (nothing selected, nothing wrong,
no "reset" link): rendered once per language and kept with the catalogue, whose Themenfelder and Lagen it offers.
"""

import threading
from itertools import chain, groupby, repeat
from typing import NamedTuple

from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .choices import Anschlussstatus, UmsetzungsStatus
from .filtersets.kommune import seiten_auswahl
from .vollzieher import OFFENE_EBENEN

KOPF = "catalog/includes/zeile_kopf.html"
WER = "catalog/includes/zeile_wer.html"
STAND = "catalog/includes/zeile_stand.html"
TABELLENKOPF = "catalog/includes/leistungen_kopf.html"
GRUPPEN = "catalog/includes/leistungen_gruppen.html"
FILTERFORMULAR = "catalog/includes/filterformular.html"
#: Stands for a Lage's rows in the rendered frame: data in template output is escaped, so only a template can
#: write a comment.
ZEILEN = "<!--zeilen-->"
#: Frames kept per catalogue: the whole lists (16 Länder × 2 languages × folded or open) and many filtered ones.
RAHMEN_HOECHSTENS = 512
#: A row without a status of the body's own (``catalog.kommunenliste.OHNE_EIGENEN``).
OHNE = (None, False)


def status_text(land_status, kommune_status, synthetisch: bool = False) -> str:
    """The Umsetzungsstand as shown in a table cell and in downloads (synthetic statuses say so)."""
    teile = []
    if land_status:
        teile.append(_("Land: %(status)s") % {"status": UmsetzungsStatus(land_status).label})
    if kommune_status:
        teil = _("Kommune: %(status)s") % {"status": Anschlussstatus(kommune_status).label}
        teile.append(f"{teil} ({_('synthetisch')})" if synthetisch else teil)
    return "; ".join(teile) or _("kein Stand erfasst")


_kopf_sperre = threading.Lock()
_tabellenkoepfe: dict[str, str] = {}


def tabellenkopf() -> str:
    """The head row of every Lage's table, rendered once per language."""
    sprache = get_language() or ""
    if sprache not in _tabellenkoepfe:
        with _kopf_sperre:
            _tabellenkoepfe[sprache] = get_template(TABELLENKOPF).render({})
    return _tabellenkoepfe[sprache]


def _zeilenkoepfe(katalog) -> dict[int, str]:
    sprache = get_language() or ""
    koepfe = katalog.ableitungen.get(("kopf", sprache))
    if koepfe is None:
        vorlage = get_template(KOPF)
        koepfe = {pk: vorlage.render({"l": leistung}) for pk, leistung in katalog.leistungen.items()}
        katalog.ableitungen[("kopf", sprache)] = koepfe
    return koepfe


_stand_sperre = threading.Lock()
_standzellen: dict[tuple, bytes] = {}


def _standzelle(land_status, kommune_status, synthetisch) -> bytes:
    schluessel = (get_language() or "", land_status, kommune_status, synthetisch)
    zelle = _standzellen.get(schluessel)
    if zelle is None:
        # Bounded: languages × statuses in the Land × statuses in the Kommune × synthetic or not.
        zelle = (
            get_template(STAND)
            .render(
                # The page marks a synthetic status with a <mark> instead of the download's "(synthetisch)".
                {"text": status_text(land_status, kommune_status), "synthetisch": synthetisch}
            )
            .encode()
        )
        with _stand_sperre:
            _standzellen[schluessel] = zelle
    return zelle


_wer_sperre = threading.Lock()
#: The "Wer vollzieht hier" cell per language and shape (with a link, with a note, derived), rendered once with a
#: stand-in for each value: the cell names the body behind the level, and the Gemeinde's own cell names the
#: Gemeinde itself ("diese Gemeinde (Itzehoe)"), so cells kept by their text were rendered anew on almost every page.
_werformen: dict[tuple, str] = {}
_WER_WERTE = ("text", "link", "hinweis")
#: Stand-ins: no text, link or note holds a NUL.
_WER_PLATZ = {name: mark_safe(f"\x00{name}\x00") for name in _WER_WERTE}


def _werzelle(gebiet, v, abgeleitet: bool) -> bytes:
    """The "Wer vollzieht hier" cell of one level for the page's body, as the template renders it: from the form
    of its shape, each value escaped as ``{{ }}`` escapes it."""
    link = v.gebiet.get_absolute_url() if v.gebiet is not None and v.gebiet.pk != gebiet.pk else ""
    form_schluessel = (get_language() or "", bool(link), bool(v.hinweis), abgeleitet)
    form = _werformen.get(form_schluessel)
    if form is None:
        platz = {"text": _WER_PLATZ["text"], "hinweis": _WER_PLATZ["hinweis"] if v.hinweis else ""}
        form = get_template(WER).render(
            {"v": platz, "link": _WER_PLATZ["link"] if link else "", "abgeleitet": abgeleitet}
        )
        with _wer_sperre:
            _werformen[form_schluessel] = form
    for name, wert in (("text", v.text), ("link", link), ("hinweis", v.hinweis)):
        form = form.replace(_WER_PLATZ[name], conditional_escape(wert or ""))
    return form.encode()


class Liste(NamedTuple):
    inhalt: bytes  # the list's HTML as UTF-8: template output only (``einsetzen`` puts it into the page)
    offen: bool  # the Themenfelder are shown open


#: Stands for the list in the page's HTML: the page's template prints it, ``einsetzen`` replaces it (data in template
#: output is escaped, so no data can print it).
LISTE = mark_safe("<!--liste-->")


def einsetzen(antwort, liste: Liste):
    """Put the list into the rendered page (an ``HttpResponse``) where its template printed ``LISTE``.

    The list is most of the page (~240 of ~260 KB): as bytes from parts encoded once, it is copied once here,
    instead of being copied by every template level around it and encoded to UTF-8 again on every page.
    """
    antwort.content = antwort.content.replace(LISTE.encode(), liste.inhalt, 1)
    return antwort


def _rahmen(katalog, struktur: tuple, offen: bool) -> list[str]:
    """The frame of one structure, cut at each Lage's rows: one part more than there are Lagen."""
    schluessel = ("rahmen", get_language() or "", offen, struktur)
    teile = katalog.ableitungen.get(schluessel)
    if teile is None:
        gruppen = [
            {
                "name": tf,
                "anzahl": anzahl,
                "offen": n_offen,
                "lagen": [{"name": n, "anzahl": a, "zeilen": mark_safe(ZEILEN)} for n, a in lagen],
            }
            for tf, anzahl, n_offen, lagen in struktur
        ]
        html = get_template(GRUPPEN).render(
            {"gruppen": gruppen, "gruppen_offen": offen, "tabellenkopf": tabellenkopf()}
        )
        teile = html.split(ZEILEN)
        if len(katalog.ableitungen) < RAHMEN_HOECHSTENS:
            katalog.ableitungen[schluessel] = teile
    return teile


def _vorlage(landesteil, katalog, offen: bool) -> "Vorlage":
    """The list's HTML around the body's cells, for the rows of ``landesteil`` in this language, by column: per
    row the HTML before its "Wer vollzieht hier" cell (the frame up to a Lage's first row, the row head) and what
    chooses its two cells (Leistung pk, level and whether derived, the Land's status); then the rest of the frame.

    Derived from the rows alone, so kept with a kept Land part (``catalog.kommunenliste``): the whole list of every
    body of a Land is cut once per language and Landesstand, and its bodies only add their cells.
    """
    schluessel = ("vorlage", get_language() or "", offen)
    eigene_ableitung = landesteil.katalog is katalog
    if eigene_ableitung and schluessel in landesteil.ableitungen:
        return landesteil.ableitungen[schluessel]
    koepfe, leistungen = _zeilenkoepfe(katalog), katalog.leistungen
    struktur, je_lage = [], []
    for tf_name, tf_zeilen in groupby(landesteil.zeilen, key=lambda z: leistungen[z.pk].themenfeld_name):
        tf_zeilen = list(tf_zeilen)
        lagen = []
        for lage_name, lage_zeilen in groupby(tf_zeilen, key=lambda z: leistungen[z.pk].lage_name):
            lage_zeilen = list(lage_zeilen)
            lagen.append((lage_name, len(lage_zeilen)))
            je_lage.append(lage_zeilen)
        struktur.append((tf_name, len(tf_zeilen), sum(z.ebene in OFFENE_EBENEN for z in tf_zeilen), tuple(lagen)))
    offen = offen or len(struktur) == 1
    teile = _rahmen(katalog, tuple(struktur), offen)
    reihen = [z for lage_zeilen in je_lage for z in lage_zeilen]
    vor = tuple(
        ((teile[i] if erste else "") + koepfe[z.pk]).encode()
        for i, lage_zeilen in enumerate(je_lage)
        for erste, z in zip([True] + [False] * (len(lage_zeilen) - 1), lage_zeilen, strict=True)
    )
    wer = tuple((z.ebene, z.abgeleitet) for z in reihen)
    land_status = tuple(z.land_status for z in reihen)
    vorlage = Vorlage(
        # Each row's HTML before its cells, a place for each of its two cells, the rest of the frame.
        (*chain.from_iterable((v, b"", b"") for v in vor), teile[-1].encode()),
        tuple(z.pk for z in reihen),
        wer,
        frozenset(wer),
        land_status,
        not any(land_status),
        offen,
    )
    if eigene_ableitung:
        landesteil.ableitungen[schluessel] = vorlage
    return vorlage


class Vorlage(NamedTuple):
    """The list's HTML around the body's cells, and by column, one entry per row, what chooses those cells."""

    teile: tuple[bytes, ...]  # per row its HTML before the cells and b"" for each cell; then the rest (UTF-8)
    pks: tuple[int, ...]  # the row's Leistung
    wer: tuple[tuple[str, bool], ...]  # what chooses its "Wer vollzieht hier" cell: level, whether derived
    wer_arten: frozenset  # the distinct ones
    land_status: tuple[str | None, ...]  # with the body's own status: what chooses the status cell
    ohne_land_status: bool  # no row has a status of the Land (most Länder record none)
    offen: bool


def liste(gebiet, kommuneliste, vollzieher, katalog, *, offen: bool) -> Liste:
    """The list (a ``catalog.kommunenliste.Kommuneliste`` in page order) grouped by Themenfeld and Lage as HTML
    (UTF-8); ``offen``: open every Themenfeld (else only a single one is)."""
    vorlage = _vorlage(kommuneliste.landesteil, katalog, offen)
    # Each cell is chosen by a key that few rows differ in (a level, a pair of statuses): the cells are looked up
    # once per key and put into the places of the list's parts column by column (no Python step per row: ~550
    # rows on every page).
    wer = {s: _werzelle(gebiet, vollzieher[s[0]], s[1]) for s in vorlage.wer_arten}
    eigen = list(map(kommuneliste.eigene.get, vorlage.pks, repeat(OHNE)))
    if vorlage.ohne_land_status:
        stand = {e: _standzelle(None, *e) for e in set(eigen)}
        standzellen = map(stand.__getitem__, eigen)
    else:
        schluessel = list(zip(vorlage.land_status, eigen, strict=True))
        stand = {(land, e): _standzelle(land, *e) for land, e in set(schluessel)}
        standzellen = map(stand.__getitem__, schluessel)
    teile = list(vorlage.teile)
    teile[1:-1:3] = map(wer.__getitem__, vorlage.wer)
    teile[2:-1:3] = standzellen
    return Liste(b"".join(teile), vorlage.offen)


def filterformular(katalog, filterset, fehler, querystring: str, pfad: str) -> str:
    """The filter form; ``filterset`` None: the page without parameters, whose form is kept per language."""
    if filterset is None:
        schluessel = ("filterformular", get_language() or "")
        formular = katalog.ableitungen.get(schluessel)
        if formular is None:
            formular = katalog.ableitungen[schluessel] = _filterformular(seiten_auswahl(katalog), [], "", "")
        return formular
    return _filterformular(filterset.auswahl(), fehler, querystring, pfad)


def _filterformular(auswahl, fehler, querystring, pfad) -> str:
    kontext = {"auswahl": auswahl, "fehler": fehler, "querystring": querystring, "pfad": pfad}
    return get_template(FILTERFORMULAR).render(kontext)
