"""axe-core finds no violation on any page type; no page talks to another host; keyboard use works."""

import pytest

pytestmark = pytest.mark.browser

#: One page of each type (and each kind of Kommune page).
SEITEN = [
    "/",
    "/kommunen/?q=Itzehoh",
    "/kommunen/01061034/",  # Gemeinde in an Amt
    "/kommunen/010615138/",  # Amt
    "/kommunen/01061/",  # Kreis
    "/kommunen/01/",  # Land
    "/kommunen/01061046/?ebene=quatsch",  # filter error
    "/themenfelder/",
    "/themenfelder/familie-kind/",
    "/leistungen/10000/",
    "/labore/",
    "/labore/wohngeld/",
    "/suche/?q=Wohngeld",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/datenquellen/",
    "/kommunen/99999999/",  # 404
]


def test_every_page_type_passes_axe_and_stays_on_our_host(seite, portal):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    befunde = {}
    for pfad in SEITEN:
        antwort = seite.goto(portal + pfad)
        assert antwort.status in (200, 400, 404), pfad
        assert seite.evaluate("document.documentElement.lang") == "de"
        # The stylesheets really arrived (KERN from npm, served by the app): the body uses KERN's font.
        assert "Fira Sans" in seite.evaluate("getComputedStyle(document.body).fontFamily"), pfad
        ergebnis = axe.run(seite)
        if ergebnis.violations_count:
            befunde[pfad] = ergebnis.generate_report()
        ueberschriften = seite.eval_on_selector_all("h1, h2, h3, h4, h5, h6", "els => els.map(e => +e.tagName[1])")
        # Headings start at h1 and never skip a level on the way down.
        stufen = zip(ueberschriften, ueberschriften[1:], strict=False)
        assert ueberschriften[0] == 1 and all(b - a <= 1 for a, b in stufen), pfad
        assert seite.title().endswith("– OZG-Portal")
    assert not befunde, "\n\n".join(f"{pfad}:\n{bericht}" for pfad, bericht in befunde.items())
    assert seite.fremde_anfragen == []
    assert seite.csp_verstoesse == []


def test_keyboard_skip_link_visible_focus_and_filters(seite, portal):
    seite.goto(portal + "/kommunen/01061046/")
    seite.keyboard.press("Tab")
    skip = seite.locator(".skip-link")
    assert seite.evaluate("document.activeElement.textContent") == "Zum Inhalt springen"
    assert skip.bounding_box()["y"] >= 0  # moved into view while focused
    seite.keyboard.press("Enter")
    assert seite.evaluate("document.activeElement.id") == "inhalt"

    # Reach the Ebene filter by keyboard, choose a value, submit with Enter – no JavaScript on the page at all.
    seite.focus("#filter-ebene")
    umriss = seite.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    schatten = seite.evaluate("getComputedStyle(document.activeElement).boxShadow")
    assert umriss != "none" or schatten != "none"
    seite.select_option("#filter-ebene", "bund")
    seite.keyboard.press("Tab")
    seite.keyboard.press("Tab")
    seite.keyboard.press("Tab")
    assert seite.evaluate("document.activeElement.textContent.trim()") == "Filter anwenden"
    seite.keyboard.press("Enter")
    seite.wait_for_url("**ebene=bund**")
    assert "94 von 557 OZG-Leistungen" in seite.inner_text("#anzahl")

    # The download links are reachable and focusable like any link.
    link = seite.get_by_role("link", name="Diese Liste als CSV herunterladen")
    link.focus()
    href = seite.evaluate("document.activeElement.getAttribute('href')")
    assert "leistungen.csv?" in href and "ebene=bund" in href
    assert seite.evaluate("document.querySelectorAll('script').length") == 0
