"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

live_server makes every test transactional, and pytest-django empties all tables after each transactional test.
So each browser test loads the real data when it finds the tables empty, and once the browser tests are done the
data is loaded again for the tests that run after them (they expect it from tests/conftest.py).
"""

import os

from django.core.management import call_command

import pytest

from catalog.models import Leistung

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _echte_daten_laden():
    if not Leistung.objects.exists():
        with open(os.devnull, "w") as still:
            call_command("load_all", verbosity=0, stdout=still)


@pytest.fixture(scope="package")
def browser(django_db_blocker):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} fehlt: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django would then refuse the (synchronous,
    # test-only) database calls of the fixtures. Allowed only while the browser tests run.
    alt = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if alt is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = alt
        with django_db_blocker.unblock():
            _echte_daten_laden()


@pytest.fixture
def portal(live_server, transactional_db):
    """The live server's base URL, with the real data in its database."""
    _echte_daten_laden()
    return live_server.url


@pytest.fixture
def seite(browser, portal):
    """A fresh page that records every request to another host and every CSP violation."""
    kontext = browser.new_context(locale="de-DE", accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = kontext.new_page()
    page.fremde_anfragen = []
    page.csp_verstoesse = []

    def anfrage(request):
        if not request.url.startswith(portal) and not request.url.startswith("data:"):
            page.fremde_anfragen.append(request.url)

    def konsole(nachricht):
        if "Content Security Policy" in nachricht.text:
            page.csp_verstoesse.append(nachricht.text)

    page.on("request", anfrage)
    page.on("console", konsole)
    page.set_default_timeout(15_000)
    yield page
    kontext.close()
