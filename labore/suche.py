"""Labore for the public search page, by title: the same text search as the catalogue's (``catalog.suche``)."""

from catalog.suche import normalisiere, textsuche

from .models import Labor


def labore(text: str, limit: int = 20):
    text = normalisiere(text)
    qs = Labor.objects.select_related("themenfeld")
    if not text:
        return qs.none()
    return textsuche(qs, "titel", text).order_by("-treffer", "titel")[:limit]
