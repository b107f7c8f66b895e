"""{% behalten %}: a template part rendered once per language and key and kept, which can never be stale."""

from django.template import Context, Engine, TemplateSyntaxError
from django.utils import translation

import pytest

ENGINE = Engine(
    libraries={
        "behalten": "core.templatetags.behalten",
        "i18n": "django.templatetags.i18n",
        "static": "django.templatetags.static",
    }
)


def vorlage(text):
    return ENGINE.from_string("{% load behalten i18n static %}" + text)


def test_a_kept_part_follows_the_language():
    teil = vorlage('{% behalten %}<a href="/impressum/">{% translate "Impressum" %}</a>{% endbehalten %}')
    with translation.override("de"):
        assert teil.render(Context()) == '<a href="/impressum/">Impressum</a>'
    with translation.override("en"):
        assert teil.render(Context()) == '<a href="/impressum/">Impressum (legal notice)</a>'
    with translation.override("de"):
        assert teil.render(Context()) == '<a href="/impressum/">Impressum</a>'


def test_a_kept_part_is_rendered_anew_for_each_value_of_its_key():
    teil = vorlage(
        "{% behalten druck land.name %}{% if druck %}Druck {% endif %}{{ druck }} {{ land.name }}{% endbehalten %}"
    )
    assert teil.render(Context({"druck": False, "land": {"name": "Bayern"}})) == "False Bayern"
    assert teil.render(Context({"druck": True, "land": {"name": "Bayern"}})) == "Druck True Bayern"
    # True and 1 are one dict key in Python, but print differently: the key tells them apart.
    assert teil.render(Context({"druck": 1, "land": {"name": "Bayern"}})) == "Druck 1 Bayern"
    assert teil.render(Context({"druck": False, "land": {"name": "Hessen"}})) == "False Hessen"
    assert teil.render(Context({"druck": False, "land": {"name": "Bayern"}})) == "False Bayern"


def test_a_changed_setting_empties_the_kept_parts(settings):
    teil = vorlage('{% behalten %}<link href="{% static "css/portal.css" %}">{% endbehalten %}')
    assert teil.render(Context()) == f'<link href="{settings.STATIC_URL}css/portal.css">'
    settings.STATIC_URL = "/anders/"
    assert teil.render(Context()) == '<link href="/anders/css/portal.css">'


def test_loops_and_blocktranslate_may_use_their_own_names():
    teil = vorlage(
        "{% behalten zahlen %}{% for z in zahlen %}{% blocktranslate with n=z %}{{ n }} x{% endblocktranslate %}"
        "{{ forloop.counter }};{% endfor %}{% endbehalten %}"
    )
    assert teil.render(Context({"zahlen": (4, 5)})) == "4 x1;5 x2;"


@pytest.mark.parametrize(
    "inhalt",
    [
        "{{ gebiet.name }}",  # not in the key
        "{{ land.kuerzel }}",  # beside the key's path land.name
        "{% if gebiet %}x{% endif %}",
        "{% for x in gebiet.kreise %}{{ x }}{% endfor %}",
        "{% blocktranslate %}{{ gebiet }}{% endblocktranslate %}",
        "{{ land.name|upper }}",  # a filter
        '{% translate "Start" as start %}',  # sets a variable the kept part would swallow
        '{% include "x.html" %}',  # reads what its template reads
        "{% now 'Y' %}",  # neither text nor a known pure tag
    ],
)
def test_a_part_that_reads_more_than_its_key_is_refused_when_the_template_is_parsed(inhalt):
    with pytest.raises(TemplateSyntaxError):
        vorlage("{% behalten land.name %}" + inhalt + "{% endbehalten %}")


def test_values_put_in_are_printed_as_the_template_prints_them_and_the_rest_is_kept():
    teil = vorlage(
        "{% behalten druck mit name=gebiet.name nummer=gebiet.ags zahl=gebiet.zahl %}"
        '<h1 data-x="{{ name }}">{{ name }}</h1>{% if druck %}D{% endif %}'
        "{% blocktranslate with n=name %}Plan von {{ n }}{% endblocktranslate %} {{ nummer }} {{ zahl }}"
        "{% endbehalten %}"
    )
    wie_immer = vorlage(
        '<h1 data-x="{{ gebiet.name }}">{{ gebiet.name }}</h1>{% if druck %}D{% endif %}'
        "{% blocktranslate with n=gebiet.name %}Plan von {{ n }}{% endblocktranslate %}"
        " {{ gebiet.ags }} {{ gebiet.zahl }}"
    )
    for gebiet in ({"name": "Itzehoe", "ags": "01061046", "zahl": 7}, {"name": "<b>A & B</b>", "ags": None, "zahl": 0}):
        for druck in (False, True):
            kontext = {"gebiet": gebiet, "druck": druck}
            assert teil.render(Context(kontext)) == wie_immer.render(Context(kontext))
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in teil.render(Context({"gebiet": {"name": "<b>A & B</b>"}, "druck": False}))
    # One rendering per key value, whatever the names put in.
    (knoten,) = [k for k in teil.nodelist if type(k).__name__ == "BehaltenNode"]
    assert len(knoten.behalten) == 2


def test_a_value_put_in_follows_the_language_of_its_part():
    teil = vorlage(
        "{% behalten mit name=gebiet.name %}{% blocktranslate %}Änderungen zu {{ name }} (Atom){% endblocktranslate %}"
        "{% endbehalten %}"
    )
    with translation.override("de"):
        assert teil.render(Context({"gebiet": {"name": "Kiel"}})) == "Änderungen zu Kiel (Atom)"
    with translation.override("en"):
        assert teil.render(Context({"gebiet": {"name": "Lübeck"}})) == "Changes to Lübeck (Atom)"


@pytest.mark.parametrize(
    "inhalt",
    [
        "{% if name %}x{% endif %}",  # tested: the kept part would hold the stand-in's answer
        "{{ name|upper }}",  # filtered
        "{{ name.0 }}",  # looked into
        "{% for x in name %}{{ x }}{% endfor %}",  # looped over
        "{% url 'home' name %}",  # passed on
        "{% blocktranslate count n=name %}{{ n }} x{% plural %}{{ n }} xs{% endblocktranslate %}",  # chooses the plural
        "{% with x=name %}{{ x }}{% endwith %}",
    ],
)
def test_a_value_put_in_may_only_be_printed(inhalt):
    with pytest.raises(TemplateSyntaxError):
        vorlage("{% behalten mit name=gebiet.name %}" + inhalt + "{% endbehalten %}")


@pytest.mark.parametrize("kopf", ["{% behalten mit %}", "{% behalten mit name %}", "{% behalten name mit name=x %}"])
def test_what_follows_mit_must_be_names_with_values(kopf):
    with pytest.raises(TemplateSyntaxError):
        vorlage(kopf + "{{ name }}{% endbehalten %}")
