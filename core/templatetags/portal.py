"""Template helpers of the public pages: accessible SVG bar charts, linked legal references, German numbers."""

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template
from django.utils.autoreload import file_changed
from django.utils.encoding import force_str
from django.utils.formats import get_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


def _svg(zahl) -> str:
    """A number for an SVG attribute: always with a decimal point, never localised ("22,0" breaks the drawing).

    Marked safe (digits, a sign and a point have nothing to escape), so the chart's many numbers skip escaping.
    """
    return mark_safe(f"{zahl:.1f}".removesuffix(".0"))


#: Geometry of the bar chart in SVG user units; the SVG scales to the column width.
LABEL_BREITE = 430
BALKEN_BREITE = 380
ZEILEN_HOEHE = 30
BALKEN_HOEHE = 18
RAND = 8


#: Charts kept by all they show (``behalten=True``): the chart of the levels is the same on nearly every page.
_diagramme: dict[tuple, str] = {}
DIAGRAMME_HOECHSTENS = 256


@receiver(setting_changed)
@receiver(file_changed)
def _diagramme_vergessen(**kwargs):
    """A changed setting or file (the development server reloads templates without a restart) can change a chart."""
    _diagramme.clear()
    _formen.clear()


#: The parts of one bar (``includes/balkendiagramm_balken.html``) as format strings, by part: rendered once.
_formen: dict[str, str] = {}
#: The values each part names, in braces.
_FORM_WERTE = (
    "klasse",
    "x",
    "y",
    "breite",
    "balken_hoehe",
    "label_x",
    "text_y",
    "label",
    "segmente",
    "wert_x",
    "wert_text",
)


def _form(teil: str) -> str:
    """The part ``teil`` ("segment": one rectangle, "balken": label, rectangles and value) with ``{name}`` for each
    value; the values' braces pass escaping unchanged, and the markup has no braces of its own."""
    form = _formen.get(teil)
    if form is None:
        platzhalter = {name: mark_safe(f"{{{name}}}") for name in _FORM_WERTE}
        form = _formen[teil] = get_template("includes/balkendiagramm_balken.html").render({"teil": teil, **platzhalter})
    return form


@register.simple_tag(takes_context=True)
def balkendiagramm(context, balken, titel, beschreibung, maximum=None, einheit="", behalten=False):
    """A horizontal (stacked) bar chart as inline SVG: role="img" with title and description.

    ``balken``: list of {"label", "segmente": [{"wert", "klasse", "name"}]}. The numbers are always printed next to
    each bar, and pages show the same numbers in a table, so nothing depends on colour or on seeing the chart.
    ``behalten``: keep the rendered chart, keyed by all the template reads (its number on the page, the texts,
    every bar, the language), for a chart that many pages share — so a kept chart cannot be stale.
    """
    # Numbered per page (the bottom of the render context lives for the whole page, includes too), not per
    # process: the same data renders the same bytes, whichever worker and however many pages it built before.
    seite = context.render_context.dicts[0]
    nummer = seite["diagramm_nummer"] = seite.get("diagramm_nummer", 0) + 1
    if not behalten:
        return _diagramm(nummer, balken, titel, beschreibung, maximum, einheit)
    schluessel = (
        get_language(),
        nummer,
        titel,
        beschreibung,
        maximum,
        einheit,
        tuple((b["label"], tuple((s["wert"], s["klasse"], s["name"]) for s in b["segmente"])) for b in balken),
    )
    html = _diagramme.get(schluessel)
    if html is None:
        html = _diagramm(nummer, balken, titel, beschreibung, maximum, einheit)
        if len(_diagramme) >= DIAGRAMME_HOECHSTENS:
            _diagramme.clear()
        _diagramme[schluessel] = html
    return html


def _diagramm(nummer, balken, titel, beschreibung, maximum, einheit) -> str:
    summen = [sum(s["wert"] for s in b["segmente"]) for b in balken]
    maximum = maximum or max(summen, default=0) or 1
    segment_form, balken_form = _form("segment"), _form("balken")
    balken_hoehe, label_x = _svg(BALKEN_HOEHE), _svg(LABEL_BREITE - 8)
    zeilen = []
    legende = {}
    # One segment per bar, each bar its own class (a colour per level): the legend names the bars, not the unit.
    je_balken = all(len(b["segmente"]) == 1 for b in balken)
    for index, (b, summe) in enumerate(zip(balken, summen, strict=True)):
        y = _svg(RAND + index * ZEILEN_HOEHE)
        x = LABEL_BREITE
        segmente = []
        for s in b["segmente"]:
            breite = round(BALKEN_BREITE * s["wert"] / maximum, 1)
            if breite:
                segmente.append(
                    segment_form.format(
                        klasse=conditional_escape(s["klasse"]),
                        x=_svg(x),
                        y=y,
                        breite=_svg(breite),
                        balken_hoehe=balken_hoehe,
                    )
                )
            x += breite
            legende.setdefault(s["klasse"], b["label"] if je_balken else s["name"])
        text = " + ".join(str(s["wert"]) for s in b["segmente"]) if len(b["segmente"]) > 1 else str(summe)
        zeilen.append(
            balken_form.format(
                label_x=label_x,
                text_y=_svg(RAND + index * ZEILEN_HOEHE + BALKEN_HOEHE / 2 + 5),
                label=conditional_escape(b["label"]),
                segmente="".join(segmente),
                wert_x=_svg(x + 6),
                wert_text=conditional_escape(f"{text}{einheit}"),
            )
        )
    kontext = {
        "id": f"diagramm-{nummer}",
        "titel": titel,
        "beschreibung": beschreibung,
        # Markup from the kept parts, every value in it escaped.
        "balken": mark_safe("".join(zeilen)),
        # A tuple: the kept frame of the chart is keyed by it.
        "legende": tuple(legende.items()) if len(legende) > 1 else (),
        "breite": _svg(LABEL_BREITE + BALKEN_BREITE + 60),
        "hoehe": _svg(RAND * 2 + len(balken) * ZEILEN_HOEHE),
        "achse_x": _svg(LABEL_BREITE),
    }
    return get_template("includes/balkendiagramm.html").render(kontext)


_VERWEIS = re.compile(r"\[(https?://[^\]\s]+)\]")


@register.filter
def rechtsgrundlage_links(text):
    """'§ 7 BEEG [http://…]' → '<a href="http://…">§ 7 BEEG</a>'.

    The catalogue writes the URL of each reference in brackets after its text.
    """
    if not text:
        return ""
    teile = _VERWEIS.split(text)
    # split() alternates: text, url, text, url, …, text
    ausgabe = []
    for i in range(0, len(teile), 2):
        vorher = teile[i]
        url = teile[i + 1] if i + 1 < len(teile) else None
        if url is None:
            if vorher.strip():
                ausgabe.append(format_html("{}", vorher))
            continue
        trenner = re.match(r"^[\s,;]*", vorher).group()
        linktext = vorher[len(trenner) :].strip() or url
        ausgabe.append(format_html('{}<a class="kern-link" href="{}">{}</a>', trenner, url, linktext))
    return mark_safe("".join(ausgabe))


@register.filter
def zahl(wert):
    """German thousands separator without depending on locale settings: 11004 → '11.004'."""
    if wert is None or wert == "":
        return ""
    try:
        return f"{int(wert):,}".replace(",", ".")
    except (TypeError, ValueError):
        return wert


@register.filter
def dezimal(wert, stellen=2):
    """``{{ gebiet.flaeche|dezimal:2 }}``: a Decimal (or whole number) as ``floatformat:2`` prints it — rounded half
    up, with the language's decimal separator and no grouping (USE_THOUSAND_SEPARATOR is off) — in a sixth of the
    time (5 µs, not 30): floatformat parses the number's text again and looks up three formats. Nothing (None, "")
    prints as nothing, as with floatformat."""
    if wert is None or wert == "":
        return ""
    gerundet = Decimal(wert).quantize(Decimal(1).scaleb(-int(stellen)), ROUND_HALF_UP)
    return f"{gerundet:f}".replace(".", get_format("DECIMAL_SEPARATOR"))


@cache
def _auswahl(feld) -> dict:
    """A model field's choices, value → label; the labels stay lazy, so one dict serves every language."""
    return dict(feld.flatchoices)


@register.filter
def anzeige(objekt, feldname):
    """``{{ gebiet|anzeige:"textkennzeichen" }}``: the same text as ``gebiet.get_textkennzeichen_display``.

    Django's ``get_FOO_display`` builds the dict of all choices on every call and hashes each lazy label on the
    way, which translates all of them (21 gettext calls for one Textkennzeichen); this looks up the one label.
    """
    feld = objekt._meta.get_field(feldname)
    wert = getattr(objekt, feld.attname)
    return force_str(_auswahl(feld).get(wert, wert), strings_only=True)


@register.simple_tag
def format_liste(eintraege, trenner=", "):
    return format_html_join(trenner, "{}", ((e,) for e in eintraege))


@register.simple_tag(takes_context=True)
def tabellen_id(context):
    """A page-unique id for a table's caption, which names the table's scroll region (aria-labelledby).

    Wide tables scroll inside their own focusable region instead of widening the page (WCAG 1.4.10 Reflow); the
    counter lives in the page's render context, so ids stay unique and the same on every render.
    """
    # dicts[0]: the render context of the whole page (each included template gets a fresh layer on top).
    seite = context.render_context.dicts[0]
    nummer = seite.get("tabellen_nummer", 0) + 1
    seite["tabellen_nummer"] = nummer
    return f"tabelle-{nummer}"
