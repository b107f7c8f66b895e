"""Typisierung of LeiKa-Leistungen (FIM code list) and what it tells about the executing level.

The source writes the Typisierung as free text: single codes ("2/3") or several ("1, 2/3"). We keep the text as
written and derive the Vollzug from it; an unknown code is an error, never a guess.
"""

import re

from .choices import Vollzug

#: FIM's full code list. "a"/"b": the Vollzug differs by Land; 6–8 are informational entries, not services.
TYP_CODES = frozenset(
    ["1", "2", "2a", "2b", "3", "3a", "3b", "2/3", "2/3a", "2/3b", "4", "4a", "4b", "5"]
    + [str(n) for n in range(6, 13)]
)

_SEPARATOR = re.compile(r"\s*[,;]\s*")


def parse(raw: str) -> list[str]:
    """Split a Typisierung as written into its codes; raises ValueError naming an unknown code."""
    text = raw.strip()
    if not text:
        return []
    codes = _SEPARATOR.split(text)
    for code in codes:
        if code not in TYP_CODES:
            raise ValueError(f"unbekannter Typ {code!r} (erlaubt: {', '.join(sorted(TYP_CODES))})")
    return codes


def vollzug_of_code(code: str) -> Vollzug:
    if code == "1":
        return Vollzug.BUND
    if code == "5":
        return Vollzug.KOMMUNE
    if code[0] in "234":
        return Vollzug.LAND_ODER_KOMMUNE
    if code in {"6", "7", "8"}:
        return Vollzug.KEINE_LEISTUNG
    # 9–12 say nothing about the executing level that we could show honestly.
    return Vollzug.UNBEKANNT


def vollzug(raw: str) -> Vollzug:
    """The executing level the Typisierung alone tells: one level, GEMISCHT, or UNBEKANNT when empty."""
    levels = {vollzug_of_code(code) for code in parse(raw)}
    if not levels:
        return Vollzug.UNBEKANNT
    if len(levels) == 1:
        return levels.pop()
    return Vollzug.GEMISCHT
