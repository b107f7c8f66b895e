"""Template parts that are the same on many pages, rendered once and kept in the process: ``{% behalten %}``.

``{% behalten druck %}…{% endbehalten %}`` renders its content once per language and per value of the variables
it names (here ``druck``) and keeps the result with the compiled template: the page head's stylesheets and the
footer are the same on every page of a language, a Land's "Warum offen?" on the pages of all its bodies.

The key is all the content reads: when the template is parsed, the tag refuses content that reads any other
variable, uses a filter, sets a variable ("… as …") or holds a tag whose output could depend on anything else (an
``{% include %}``, a ``{% block %}``, a custom tag that reads the request …), so a kept part cannot be stale. What
it may hold: text, ``{{ variables }}``, ``{% translate %}``/``{% blocktranslate %}``, ``{% if %}``, ``{% for %}``,
``{% with %}``, ``{% url %}`` and ``{% static %}`` (keyed by the script prefix and URLconf too; a changed setting
empties every kept part), comments.

``{% behalten druck mit name=gebiet.name %}…{% endbehalten %}``: what follows ``mit`` is put in each time, not
kept: the part is kept with a stand-in for each such value (the stand-ins are random per process, no data can
print one) and each page puts in its own value, printed as ``{{ }}`` prints it (localised, escaped). A part of a
Kommune page is then kept once for all bodies that differ only in their name, AGS or address. Inside the part
such a name may only be printed — ``{{ name }}`` or as a value of ``{% blocktranslate %}`` (not as its count,
which chooses the plural) — never tested, looped over, filtered or passed on, which the parse-time check refuses.

The page's markup stays in the template; the tag only marks the parts that do not change from page to page.
"""

import secrets
import weakref

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import FilterExpression, TextNode, TokenType, VariableNode, render_value_in_context
from django.template.defaulttags import CommentNode, ForNode, IfNode, TemplateLiteral, URLNode, WithNode
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

#: Kept variants of one part at most (languages × values of its key); past that the part starts afresh.
VARIANTEN_HOECHSTENS = 256

#: Marks the stand-ins for the values put in (``mit``): random per process, so no data can print one.
_MARKE = secrets.token_hex(8)

#: Every part of every compiled template, to forget what they keep when a setting changes.
_teile: weakref.WeakSet = weakref.WeakSet()


@receiver(setting_changed)
def _vergessen(**kwargs):
    """A changed setting (in tests: STATIC_URL, STORAGES, TEMPLATES …) can change what a kept part shows."""
    for teil in list(_teile):
        teil.behalten.clear()


def _gelesen(lookups: tuple, erlaubt: frozenset, tag: str, text: str) -> None:
    """Refuse a read of ``lookups`` (a variable's path) that does not start with one of the paths ``erlaubt``."""
    if not any(lookups[: len(pfad)] == pfad for pfad in erlaubt):
        raise template.TemplateSyntaxError(
            f"{{% {tag} %}}: der Teil liest „{text}“, das nicht in seinem Schlüssel steht"
        )


def _ausdruck(ausdruck, erlaubt: frozenset, tag: str, plaetze: frozenset = frozenset(), *, ausgabe=False) -> None:
    """Refuse an expression that reads a variable outside ``erlaubt`` (lookup paths) or applies a filter, or that
    uses a value put in (``plaetze``) other than by printing it whole (``ausgabe``: the expression is printed)."""
    if ausdruck is None or not isinstance(ausdruck, FilterExpression):
        return
    if ausdruck.filters:
        raise template.TemplateSyntaxError(f"{{% {tag} %}} behält nur Teile ohne Filter: „{ausdruck.token}“")
    if ausdruck.is_var and ausdruck.var.lookups is not None:  # not a literal
        if ausdruck.var.lookups[0] in plaetze:
            _nur_ausgeben(ausgabe and len(ausdruck.var.lookups) == 1, tag, ausdruck.token)
        else:
            _gelesen(ausdruck.var.lookups, erlaubt, tag, ausdruck.token)


def _nur_ausgeben(ok: bool, tag: str, text: str) -> None:
    if not ok:
        raise template.TemplateSyntaxError(
            f"{{% {tag} %}}: „{text}“ wird eingesetzt und darf im Teil nur ausgegeben werden"
        )


def _bedingung(bedingung, erlaubt, tag, plaetze) -> None:
    if bedingung is None:
        return
    if isinstance(bedingung, TemplateLiteral):
        _ausdruck(bedingung.value, erlaubt, tag, plaetze)
    else:  # an operator of {% if %}: "not x", "x == y", "x and y" …
        _bedingung(bedingung.first, erlaubt, tag, plaetze)
        _bedingung(bedingung.second, erlaubt, tag, plaetze)


def _pruefen(nodelist, erlaubt: frozenset, tag: str, plaetze: frozenset = frozenset()) -> None:
    """Check that every node of a part renders from ``erlaubt`` and the language alone, and sets nothing; the values
    put in (``plaetze``, names) it may only print."""
    for node in nodelist:
        if isinstance(node, TextNode | CommentNode):
            continue
        if getattr(node, "asvar", None) or getattr(node, "varname", None):
            raise template.TemplateSyntaxError(f"{{% {tag} %}}: „… as …“ setzt eine Variable, die der Teil behielte")
        if isinstance(node, VariableNode):
            _ausdruck(node.filter_expression, erlaubt, tag, plaetze, ausgabe=True)
        elif isinstance(node, TranslateNode):
            _ausdruck(node.filter_expression, erlaubt, tag, plaetze)
            _ausdruck(node.message_context, erlaubt, tag, plaetze)
        elif isinstance(node, BlockTranslateNode):
            # A value put in may be printed under another name ("with name=name"): that name is put in too.
            eingesetzt = set()
            for name, wert in node.extra_context.items():
                _ausdruck(wert, erlaubt, tag, plaetze, ausgabe=True)
                if wert.is_var and wert.var.lookups is not None and wert.var.lookups[0] in plaetze:
                    eingesetzt.add(name)
            _ausdruck(node.counter, erlaubt, tag, plaetze)
            _ausdruck(node.message_context, erlaubt, tag, plaetze)
            eigene = {name for name in [*node.extra_context, node.countervar] if name}
            innen = erlaubt | {(name,) for name in eigene}
            innen_plaetze = (plaetze - eigene) | eingesetzt
            for token in [*node.singular, *(node.plural or [])]:
                if token.token_type == TokenType.VAR and token.contents not in innen_plaetze:
                    _gelesen((token.contents,), innen, tag, token.contents)
        elif isinstance(node, IfNode):
            for bedingung, zweig in node.conditions_nodelists:
                _bedingung(bedingung, erlaubt, tag, plaetze)
                _pruefen(zweig, erlaubt, tag, plaetze)
        elif isinstance(node, ForNode):
            _ausdruck(node.sequence, erlaubt, tag, plaetze)
            innen = erlaubt | {(name,) for name in node.loopvars} | {("forloop",)}
            _pruefen(node.nodelist_loop, innen, tag, plaetze - set(node.loopvars))
            _pruefen(node.nodelist_empty, erlaubt, tag, plaetze)
        elif isinstance(node, WithNode):
            for wert in node.extra_context.values():
                _ausdruck(wert, erlaubt, tag, plaetze)
            innen = erlaubt | {(name,) for name in node.extra_context}
            _pruefen(node.nodelist, innen, tag, plaetze - set(node.extra_context))
        elif isinstance(node, URLNode):
            for ausdruck in [node.view_name, *node.args, *node.kwargs.values()]:
                _ausdruck(ausdruck, erlaubt, tag, plaetze)
        elif isinstance(node, StaticNode):
            _ausdruck(node.path, erlaubt, tag, plaetze)
        else:
            raise template.TemplateSyntaxError(
                f"{{% {tag} %}} behält keinen Teil mit {type(node).__name__}: dessen Ausgabe hängt womöglich an "
                "mehr als dem Schlüssel"
            )


class BehaltenNode(template.Node):
    """One part of a compiled template with what it rendered, by key; a reloaded template starts empty."""

    # A part holds no {% block %} (the parse-time check refuses it): {% extends %}, which looks for the blocks of
    # the parent template on every render, need not walk the part's nodes.
    child_nodelists = ()

    def __init__(
        self, nodelist, schluessel: list[FilterExpression], plaetze: dict[str, FilterExpression] | None = None
    ):
        self.nodelist = nodelist
        self.schluessel = schluessel
        self.plaetze = plaetze or {}
        # The stand-in each value put in is rendered as: safe, so that printing leaves it as it is.
        self.platzhalter = {name: SafeString(f"\x00{_MARKE}:{id(self)}:{name}\x00") for name in self.plaetze}
        self.behalten: dict[tuple, tuple[str, tuple]] = {}
        _teile.add(self)

    def render(self, context):
        werte = [ausdruck.resolve(context) for ausdruck in self.schluessel]
        schluessel = (
            get_language(),
            get_script_prefix(),
            get_urlconf(),
            context.autoescape,
            context.use_l10n,
            context.use_tz,
            # With its type: True and 1 are one dict key, but {{ }} prints them differently.
            *((type(wert), wert) for wert in werte),
        )
        behalten = self.behalten.get(schluessel)
        if behalten is None:
            with context.push(self.platzhalter):
                html = self.nodelist.render(context)
            # Only the values this variant prints are looked up on each page (the print view's date, say, not
            # on the screen page).
            behalten = html, tuple((p, self.plaetze[n]) for n, p in self.platzhalter.items() if p in html)
            if len(self.behalten) >= VARIANTEN_HOECHSTENS:
                self.behalten.clear()
            self.behalten[schluessel] = behalten
        html, eingesetzt = behalten
        for platzhalter, ausdruck in eingesetzt:
            # Printed as {{ }} would print it in the part's place.
            html = html.replace(platzhalter, render_value_in_context(ausdruck.resolve(context), context))
        return html


@register.tag
def behalten(parser, token):
    """``{% behalten [variable …] [mit name=ausdruck …] %}…{% endbehalten %}``: the content rendered once per
    language and per value of the named variables (hashable; lookups like ``request.path`` allowed), kept with the
    template; the values after ``mit`` put in on every page (printed only, see the module)."""
    tag, *teile = token.split_contents()
    namen, _mit, einsetzen = (
        (teile[: teile.index("mit")], "mit", teile[teile.index("mit") + 1 :]) if "mit" in teile else (teile, "", [])
    )
    schluessel = [parser.compile_filter(name) for name in namen]
    for ausdruck in schluessel:
        if ausdruck.filters or not ausdruck.is_var or ausdruck.var.lookups is None:
            raise template.TemplateSyntaxError(f"{{% {tag} %}}: der Schlüssel nennt Variablen, „{ausdruck.token}“")
    plaetze = {}
    for teil in einsetzen:
        name, gleich, ausdruck = teil.partition("=")
        if not gleich or not name.isidentifier() or not ausdruck:
            raise template.TemplateSyntaxError(f"{{% {tag} %}}: nach „mit“ stehen Zuweisungen name=wert, „{teil}“")
        plaetze[name] = parser.compile_filter(ausdruck)
    if _mit and not plaetze:
        raise template.TemplateSyntaxError(f"{{% {tag} %}}: nach „mit“ fehlen die eingesetzten Werte")
    if doppelt := {a.var.lookups[0] for a in schluessel} & set(plaetze):
        raise template.TemplateSyntaxError(f"{{% {tag} %}}: „{min(doppelt)}“ ist Schlüssel und eingesetzt zugleich")
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    _pruefen(nodelist, frozenset(ausdruck.var.lookups for ausdruck in schluessel), tag, frozenset(plaetze))
    return BehaltenNode(nodelist, schluessel, plaetze)
