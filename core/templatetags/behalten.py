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

The page's markup stays in the template; the tag only marks the parts that do not change from page to page.
"""

import weakref

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import FilterExpression, TextNode, TokenType, VariableNode
from django.template.defaulttags import CommentNode, ForNode, IfNode, TemplateLiteral, URLNode, WithNode
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

#: Kept variants of one part at most (languages × values of its key); past that the part starts afresh.
VARIANTEN_HOECHSTENS = 256

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


def _ausdruck(ausdruck, erlaubt: frozenset, tag: str) -> None:
    """Refuse an expression that reads a variable outside ``erlaubt`` (lookup paths) or applies a filter."""
    if ausdruck is None or not isinstance(ausdruck, FilterExpression):
        return
    if ausdruck.filters:
        raise template.TemplateSyntaxError(f"{{% {tag} %}} behält nur Teile ohne Filter: „{ausdruck.token}“")
    if ausdruck.is_var and ausdruck.var.lookups is not None:  # not a literal
        _gelesen(ausdruck.var.lookups, erlaubt, tag, ausdruck.token)


def _bedingung(bedingung, erlaubt, tag) -> None:
    if bedingung is None:
        return
    if isinstance(bedingung, TemplateLiteral):
        _ausdruck(bedingung.value, erlaubt, tag)
    else:  # an operator of {% if %}: "not x", "x == y", "x and y" …
        _bedingung(bedingung.first, erlaubt, tag)
        _bedingung(bedingung.second, erlaubt, tag)


def _pruefen(nodelist, erlaubt: frozenset, tag: str) -> None:
    """Check that every node of a part renders from ``erlaubt`` and the language alone, and sets nothing."""
    for node in nodelist:
        if isinstance(node, TextNode | CommentNode):
            continue
        if getattr(node, "asvar", None) or getattr(node, "varname", None):
            raise template.TemplateSyntaxError(f"{{% {tag} %}}: „… as …“ setzt eine Variable, die der Teil behielte")
        if isinstance(node, VariableNode):
            _ausdruck(node.filter_expression, erlaubt, tag)
        elif isinstance(node, TranslateNode):
            _ausdruck(node.filter_expression, erlaubt, tag)
            _ausdruck(node.message_context, erlaubt, tag)
        elif isinstance(node, BlockTranslateNode):
            for wert in node.extra_context.values():
                _ausdruck(wert, erlaubt, tag)
            _ausdruck(node.counter, erlaubt, tag)
            _ausdruck(node.message_context, erlaubt, tag)
            innen = erlaubt | {(name,) for name in [*node.extra_context, node.countervar] if name}
            for token in [*node.singular, *(node.plural or [])]:
                if token.token_type == TokenType.VAR:
                    _gelesen((token.contents,), innen, tag, token.contents)
        elif isinstance(node, IfNode):
            for bedingung, zweig in node.conditions_nodelists:
                _bedingung(bedingung, erlaubt, tag)
                _pruefen(zweig, erlaubt, tag)
        elif isinstance(node, ForNode):
            _ausdruck(node.sequence, erlaubt, tag)
            innen = erlaubt | {(name,) for name in node.loopvars} | {("forloop",)}
            _pruefen(node.nodelist_loop, innen, tag)
            _pruefen(node.nodelist_empty, erlaubt, tag)
        elif isinstance(node, WithNode):
            for wert in node.extra_context.values():
                _ausdruck(wert, erlaubt, tag)
            _pruefen(node.nodelist, erlaubt | {(name,) for name in node.extra_context}, tag)
        elif isinstance(node, URLNode):
            for ausdruck in [node.view_name, *node.args, *node.kwargs.values()]:
                _ausdruck(ausdruck, erlaubt, tag)
        elif isinstance(node, StaticNode):
            _ausdruck(node.path, erlaubt, tag)
        else:
            raise template.TemplateSyntaxError(
                f"{{% {tag} %}} behält keinen Teil mit {type(node).__name__}: dessen Ausgabe hängt womöglich an "
                "mehr als dem Schlüssel"
            )


class BehaltenNode(template.Node):
    """One part of a compiled template with what it rendered, by key; a reloaded template starts empty."""

    def __init__(self, nodelist, schluessel: list[FilterExpression]):
        self.nodelist = nodelist
        self.schluessel = schluessel
        self.behalten: dict[tuple, str] = {}
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
        html = self.behalten.get(schluessel)
        if html is None:
            html = self.nodelist.render(context)
            if len(self.behalten) >= VARIANTEN_HOECHSTENS:
                self.behalten.clear()
            self.behalten[schluessel] = html
        return html


@register.tag
def behalten(parser, token):
    """``{% behalten [variable …] %}…{% endbehalten %}``: the content rendered once per language and per value
    of the named variables (hashable; lookups like ``request.path`` allowed), kept with the template."""
    tag, *namen = token.split_contents()
    schluessel = [parser.compile_filter(name) for name in namen]
    for ausdruck in schluessel:
        if ausdruck.filters or not ausdruck.is_var or ausdruck.var.lookups is None:
            raise template.TemplateSyntaxError(f"{{% {tag} %}}: der Schlüssel nennt Variablen, „{ausdruck.token}“")
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    _pruefen(nodelist, frozenset(ausdruck.var.lookups for ausdruck in schluessel), tag)
    return BehaltenNode(nodelist, schluessel)
