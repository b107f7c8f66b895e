"""The English UI: every string that a public template marks for translation has an English text in the
committed catalogue (locale/en/LC_MESSAGES/django.mo). Data names (Leistungen, Kommunen) are not in templates'
translate tags and stay German."""

import gettext
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

import pytest

#: Public page templates: everything under templates/ except the admin's, plus the open-data page.
OEFFENTLICH = [
    p
    for p in (Path(settings.BASE_DIR) / "templates").rglob("*.html")
    if "admin" not in p.relative_to(Path(settings.BASE_DIR) / "templates").parts
] + [Path(settings.BASE_DIR) / "opendata" / "templates" / "opendata" / "uebersicht.html"]

# templatize turns {% translate %} / {% blocktranslate %} into gettext()/ngettext()/pgettext() calls.
_AUFRUF = re.compile(r"\b(n?p?gettext)\(((?:\s*u?'(?:[^'\\]|\\.)*'\s*,?)+)")
_TEXT = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _msgids(pfad: Path):
    python = templatize(pfad.read_text(encoding="utf-8"), origin=str(pfad))
    for zeile in [python]:
        for art, argumente in _AUFRUF.findall(zeile):
            texte = [t.replace("\\'", "'").replace("\\\\", "\\") for t in _TEXT.findall(argumente)]
            if art.startswith("p"):
                yield texte[0] + "\x04" + texte[1]
            else:
                yield texte[0] if art == "gettext" else (texte[0], 0)


def test_every_msgid_of_the_public_templates_has_an_english_text():
    with open(Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.mo", "rb") as mo:
        katalog = gettext.GNUTranslations(mo)._catalog
    fehlend = {}
    geprueft = 0
    for pfad in OEFFENTLICH:
        for msgid in _msgids(pfad):
            geprueft += 1
            if not katalog.get(msgid):
                fehlend.setdefault(pfad.name, []).append(msgid)
    assert geprueft > 300  # the extraction really found the templates' strings
    assert not fehlend, fehlend


@pytest.mark.django_db
def test_the_english_kommune_page_shows_the_answer_in_english(client):
    # override restores the language afterwards: LocaleMiddleware's activation would outlive the request.
    with translation.override("de"):
        html = client.get("/kommunen/01061034/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Who provides the 557 OZG-Leistungen (OZG services) for Heiligenstedten?" in html
    assert "not yet recorded" in html and "Print view (A4)" in html
    assert "Heiligenstedten" in html and "Elterngeld" in html  # data names stay German
