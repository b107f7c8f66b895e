"""Template helpers of the public pages: {% balkendiagramm %} fills each bar into the chart's kept parts; |dezimal."""

from decimal import Decimal

from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation

from core.templatetags.portal import dezimal


def test_each_bar_shows_its_escaped_label_its_segments_and_its_numbers():
    balken = [
        {
            "label": "1. Quartal <2026> & später",
            "segmente": [
                {"wert": 3, "klasse": "abgeschlossen", "name": "angeschlossen"},
                {"wert": 1, "klasse": "laufend", "name": "geplant"},
            ],
        },
        {"label": "2. Quartal", "segmente": [{"wert": 0, "klasse": "abgeschlossen", "name": "angeschlossen"}]},
    ]
    html = Template("{% load portal %}{% balkendiagramm balken 'Titel' 'Text' %}").render(Context({"balken": balken}))
    assert '<text x="422" y="22" text-anchor="end">1. Quartal &lt;2026&gt; &amp; später</text>' in html
    # 3 of the longest bar's 4 take 3/4 of its 380 units, the next segment starts where that one ends.
    assert '<rect class="abgeschlossen" x="430" y="8" width="285" height="18"/>' in html
    assert '<rect class="laufend" x="715" y="8" width="95" height="18"/>' in html
    assert '<text x="816" y="22">3 + 1</text>' in html
    # A bar of 0 draws no rectangle but still shows its number.
    assert '<text x="422" y="52" text-anchor="end">2. Quartal</text>' in html and 'y="38"' not in html
    assert '<text x="436" y="52">0</text>' in html
    assert "{" not in html


def test_dezimal_prints_a_decimal_as_floatformat_does_in_each_language():
    for sprache in ("de", "en"):
        with translation.override(sprache):
            for wert in (
                Decimal("0.01"),
                Decimal("12.5"),
                Decimal("1234.56"),
                Decimal("3.005"),
                Decimal("99999.99"),
                7,
            ):
                assert dezimal(wert, 2) == floatformat(wert, 2), (sprache, wert)
