"""Small text helpers shared by importers and views."""

from django.utils.text import slugify

_UMLAUTE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def slug(text: str) -> str:
    """A German-friendly slug: "Förderung" → "foerderung" (Django's slugify alone would drop the umlaut)."""
    return slugify(text.translate(_UMLAUTE))
