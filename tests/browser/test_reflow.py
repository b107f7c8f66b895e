"""Every public page type at 320, 768 and 1280 CSS px: no horizontal scrolling of the page (WCAG 1.4.10 Reflow),
no text of one table cell printed over another's, axe-core clean; screenshots at 390 and 1280 px as artefacts.

Also the Kommune page's first screen (the answer without scrolling) and its A4 print view as Chromium's PDF.
"""

import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

import pytest

from .layout import UEBERLAPPUNGEN, ZU_BREIT

pytestmark = pytest.mark.browser

#: Screenshots of each page type (gitignored): var/artefakte/<breite>/<name>.png
ARTEFAKTE = Path(settings.BASE_DIR) / "var" / "artefakte"

SEITEN = {
    "start": "/",
    "kommunensuche": "/kommunen/?q=Itzehoh",
    "gemeinde": "/kommunen/01061034/",
    "gemeinde-gefiltert": "/kommunen/01061034/?themenfeld=familie-kind",
    "gemeinde-druck": "/kommunen/01061034/druck/",
    "amt": "/kommunen/010615138/",
    "kreis": "/kommunen/01061/",
    "land": "/kommunen/01/",
    "stadtstaat": "/kommunen/11000/",
    "themenfelder": "/themenfelder/",
    "themenfeld": "/themenfelder/familie-kind/",
    "leistung": "/leistungen/10000/",
    "labore": "/labore/",
    "labor": "/labore/wohngeld/",
    "berichte": "/berichte/",
    "bericht-themenfeldbearbeitung": "/berichte/themenfeldbearbeitung/",
    "bericht-umsetzungsstand": "/berichte/umsetzungsstand/",
    "bericht-labore": "/berichte/labore/",
    "bericht-beteiligung": "/berichte/beteiligung/",
    "suche": "/suche/?q=Wohngeld",
    "offene-daten": "/opendaten/",
    "impressum": "/impressum/",
    "datenschutz": "/datenschutz/",
    "barrierefreiheit": "/barrierefreiheit/",
    "datenquellen": "/datenquellen/",
    "fehler-404": "/kommunen/99999999/",
}


@pytest.mark.parametrize("breite", [320, 768, 1280])
def test_every_page_type_reflows_without_overlap_and_passes_axe(browser, portal, breite):
    from axe_playwright_python.sync_playwright import Axe

    kontext = browser.new_context(locale="de-DE", viewport={"width": breite, "height": 900})
    seite = kontext.new_page()
    axe = Axe()
    befunde = {}
    try:
        for name, pfad in SEITEN.items():
            antwort = seite.goto(portal + pfad)
            assert antwort.status in (200, 404), pfad
            breit = seite.evaluate("document.documentElement.scrollWidth")
            sichtbar = seite.evaluate("document.documentElement.clientWidth")
            if breit > sichtbar:
                befunde[f"{name} breiter als {sichtbar} px"] = f"{breit} px: {seite.evaluate(ZU_BREIT)}"
            if ueberlappt := seite.evaluate(UEBERLAPPUNGEN):
                befunde[f"{name} überlappt"] = ueberlappt
            ergebnis = axe.run(seite)
            if ergebnis.violations_count:
                befunde[f"{name} axe"] = ergebnis.generate_report()
            # Every scroll region is named and reachable by keyboard.
            regionen = seite.eval_on_selector_all(
                ".tabelle, .tabelle-rollbar",
                "els => els.filter(e => e.getAttribute('role') !== 'region' || e.tabIndex !== 0"
                " || !(e.getAttribute('aria-label') || document.getElementById(e.getAttribute('aria-labelledby'))))"
                ".length",
            )
            if regionen:
                befunde[f"{name} Regionen"] = f"{regionen} ohne role/tabindex/Namen"
            if breite == 1280:
                _bildschirmfoto(seite, breite, name)
        if breite == 1280:
            seite.set_viewport_size({"width": 390, "height": 844})
            for name, pfad in SEITEN.items():
                seite.goto(portal + pfad)
                _bildschirmfoto(seite, 390, name)
    finally:
        kontext.close()
    assert not befunde, "\n".join(f"{k}: {v}" for k, v in befunde.items())


def _bildschirmfoto(seite, breite, name):
    ordner = ARTEFAKTE / str(breite)
    ordner.mkdir(parents=True, exist_ok=True)
    seite.screenshot(path=str(ordner / f"{name}.png"), full_page=True)


def test_home_phase_table_fits_its_container_at_1280(seite, portal):
    seite.goto(portal + "/")
    breiten = seite.eval_on_selector("table.phasen", "t => [t.parentElement.clientWidth, t.scrollWidth]")
    assert breiten[1] <= breiten[0], breiten


@pytest.mark.parametrize("zoom", [2, 4])
def test_kommune_page_at_200_and_400_percent_zoom(browser, portal, zoom):
    # Zoom in a 1280 px window is a 1280/zoom CSS px viewport at the same device scale.
    kontext = browser.new_context(locale="de-DE", viewport={"width": 1280 // zoom, "height": 800 // zoom})
    seite = kontext.new_page()
    seite.goto(portal + "/kommunen/01061034/")
    assert seite.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert seite.evaluate(UEBERLAPPUNGEN) == []
    kontext.close()


@pytest.mark.parametrize(("breite", "hoehe"), [(1280, 800), (390, 844)])
def test_first_screen_answers_without_scrolling(browser, portal, breite, hoehe):
    kontext = browser.new_context(locale="de-DE", viewport={"width": breite, "height": hoehe})
    seite = kontext.new_page()
    seite.goto(portal + "/kommunen/01061034/")

    def ganz_sichtbar(selektor):
        box = seite.locator(selektor).first.bounding_box()
        return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= hoehe

    assert seite.inner_text("h1") == "Heiligenstedten" and ganz_sichtbar("h1")
    assert "Kreisangehörige Gemeinde" in seite.inner_text(".ebene-zeile") and ganz_sichtbar(".ebene-zeile")
    selbst = seite.inner_text(".antwort--selbst .wert")
    offen = seite.inner_text(".antwort--offen .wert")
    assert selbst.isdigit() and offen.isdigit() and int(offen) > 0
    assert ganz_sichtbar(".antwort--selbst .wert") and ganz_sichtbar(".antwort--offen .wert")
    assert "noch nicht erfasst" in seite.inner_text(".antwort--offen")
    kontext.close()


def test_print_view_is_a_clean_a4_document(browser, portal, tmp_path):
    kontext = browser.new_context(locale="de-DE")
    seite = kontext.new_page()
    seite.goto(portal + "/kommunen/01061034/")
    druck_link = seite.get_by_role("link", name="Druckansicht (A4)")
    druck_link.click()
    seite.wait_for_url("**/druck/")
    seite.emulate_media(media="print")
    pdf = tmp_path / "heiligenstedten.pdf"
    seite.pdf(path=str(pdf), prefer_css_page_size=True, print_background=False)
    kontext.close()
    ARTEFAKTE.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, ARTEFAKTE / "heiligenstedten-druck.pdf")

    from pypdf import PdfReader

    leser = PdfReader(pdf)
    # A4 is 595 × 842 pt.
    for blatt in leser.pages:
        assert round(float(blatt.mediabox.width)) == 595 and round(float(blatt.mediabox.height)) == 842
    seiten = [_text(pdf, nummer, blatt) for nummer, blatt in enumerate(leser.pages, start=1)]
    erste = seiten[0]
    assert "Heiligenstedten" in erste
    assert re.search(r"Stand der Daten: \d\d\.\d\d\.\d{4}", erste), erste[:500]
    assert "Regionalschlüssel 010615138034" in erste
    alles = "\n".join(seiten)
    for bedienelement in (
        "Hauptnavigation",
        "Themenfelder\nLabore",
        "Filter anwenden",
        "Kommune finden",
        "herunterladen",
    ):
        assert bedienelement not in alles, bedienelement
    assert "Elterngeld" in alles  # the full list is printed, not folded away
    assert f"1 / {len(seiten)}" in erste  # page numbers from the @page margin box
    print(f"Druckansicht Heiligenstedten: {len(seiten)} Seiten A4")  # noqa: T201 – reported in the README


def _text(pdf, nummer, blatt):
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-layout", "-f", str(nummer), "-l", str(nummer), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return blatt.extract_text()
