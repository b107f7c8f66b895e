"""Search for the public pages: Kommunen by name, AGS, ARS or PLZ; Leistungen and LeiKa-Leistungen by text (Labore:
``labore.suche``, with the same ``textsuche``).

On PostgreSQL the search stems German words (full-text vector with config "german") and tolerates typos (pg_trgm
word similarity), both backed by the GIN indexes of migration ``catalog.0002_suche``. SQLite has neither, so there
the same idea runs as plain SQL: a name scores one point per three-letter piece of the query it contains, which
still finds "Itzehoh" or "Flensbrug".
"""

from math import ceil

from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Greatest, Length

from .choices import Ebene, Textkennzeichen
from .models import Gebietskoerperschaft, LeikaLeistung, Leistung

#: Minimum pg_trgm word similarity for a typo-tolerant hit.
MIN_AEHNLICHKEIT = 0.45
#: Share of the query's three-letter pieces a name must contain in the SQLite fallback.
MIN_ANTEIL_STUECKE = 0.5


def normalisiere(text: str) -> str:
    return " ".join((text or "").split())


def _postgres() -> bool:
    return connection.vendor == "postgresql"


#: People type "ue" for "ü" when their keyboard has no umlauts; names in the Gemeindeverzeichnis use umlauts.
UMSCHREIBUNGEN = {"ae": "ä", "oe": "ö", "ue": "ü", "Ae": "Ä", "Oe": "Ö", "Ue": "Ü"}


def mit_umlauten(text: str) -> str:
    for umschrieben, umlaut in UMSCHREIBUNGEN.items():
        text = text.replace(umschrieben, umlaut)
    return text


def _stuecke(text: str) -> list[str]:
    """The distinct three-letter pieces of each word of ``text`` and of its spelling with umlauts (lower case)."""
    stuecke = []
    for wort in f"{text} {mit_umlauten(text)}".lower().split():
        for i in range(max(len(wort) - 2, 1)):
            stueck = wort[i : i + 3]
            if stueck not in stuecke:
                stuecke.append(stueck)
    return stuecke


def textsuche(qs, feld: str, text: str):
    """Filter and rank ``qs`` by ``text`` in ``feld``; annotates ``treffer`` (higher is better)."""
    umlaute = mit_umlauten(text)
    exakt = Case(
        When(Q(**{f"{feld}__istartswith": text}) | Q(**{f"{feld}__istartswith": umlaute}), then=Value(2)),
        default=Value(0),
        output_field=IntegerField(),
    )
    enthalten = Q(**{f"{feld}__icontains": text}) | Q(**{f"{feld}__icontains": umlaute})
    if _postgres():
        vektor = SearchVector(feld, config="german")
        anfrage = SearchQuery(umlaute, config="german", search_type="websearch")
        return (
            qs.alias(vektor=vektor)
            .annotate(aehnlichkeit=Greatest(TrigramWordSimilarity(text, feld), TrigramWordSimilarity(umlaute, feld)))
            .filter(
                Q(**{f"{feld}__trigram_word_similar": text})
                | Q(**{f"{feld}__trigram_word_similar": umlaute})
                | Q(vektor=anfrage)
                | enthalten
            )
            .annotate(treffer=F("aehnlichkeit") + exakt)
        )
    stuecke = _stuecke(text)
    punkte = sum((Case(When(**{f"{feld}__icontains": s}, then=Value(1)), default=Value(0)) for s in stuecke), Value(0))
    mindestens = max(1, ceil(len(stuecke) * MIN_ANTEIL_STUECKE))
    return (
        qs.annotate(punkte=punkte).filter(Q(punkte__gte=mindestens) | enthalten).annotate(treffer=F("punkte") + exakt)
    )


def kommunen(text: str, limit: int = 20):
    """Länder, Kreise, Gemeindeverbände and Gemeinden matching a name (typos allowed), AGS, ARS or PLZ."""
    text = normalisiere(text)
    if not text:
        return Gebietskoerperschaft.objects.none()
    qs = (
        Gebietskoerperschaft.objects.filter(ebene__in=[Ebene.LAND, Ebene.KREIS, Ebene.GEMEINDEVERBAND, Ebene.GEMEINDE])
        # A verbandsfreie Gemeinde appears twice in the Gemeindeverzeichnis (as its own "Verband"); show it once.
        .exclude(ebene=Ebene.GEMEINDEVERBAND, textkennzeichen=Textkennzeichen.VERBANDSFREIE_GEMEINDE)
        .select_related("kreis", "land", "parent")
    )
    if text.isdigit():
        treffer = Q(ars=text) | Q(ags=text) | Q(plz=text)
        if len(text) >= 2:
            treffer |= Q(ars__startswith=text) | Q(ags__startswith=text)
        return qs.filter(treffer).order_by(Length("ars"), "ars")[:limit]
    return textsuche(qs, "name", text).order_by(
        "-treffer", F("einwohner").desc(nulls_last=True), Length("ars"), "name"
    )[:limit]


def leistungen(text: str, limit: int = 20):
    """OZG-Leistungen by name (stemmed, typos allowed) or OZG-ID."""
    text = normalisiere(text)
    qs = Leistung.objects.select_related("lage__themenfeld")
    if not text:
        return qs.none()
    if text.isdigit():
        return qs.filter(ozg_id=int(text))[:limit] if len(text) <= 9 else qs.none()
    return textsuche(qs, "name", text).order_by("-treffer", "ozg_id")[:limit]


def leika_leistungen(text: str, limit: int = 20):
    """LeiKa-Leistungen by Bezeichnung (stemmed, typos allowed) or LeiKa-Schlüssel (also its first digits)."""
    text = normalisiere(text)
    qs = LeikaLeistung.objects.select_related("leistung")
    if not text:
        return qs.none()
    if text.isdigit():
        return qs.filter(schluessel__startswith=text).order_by("schluessel", "zeile")[:limit]
    return textsuche(qs, "bezeichnung", text).order_by("-treffer", "zeile")[:limit]
