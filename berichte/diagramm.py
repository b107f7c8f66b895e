"""Server-rendered SVG line chart of a figure over time; the page shows the same numbers in a table.

No script, no inline style (the CSP allows neither): presentation attributes only.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

BREITE, HOEHE = 640, 240
RAND_L, RAND_R, RAND_O, RAND_U = 56, 16, 16, 40


def liniendiagramm(punkte: list[tuple[str, float | None]], titel: str, beschreibung: str, kennung: str) -> str:
    """An accessible SVG: role="img" with <title> and <desc>; ``punkte`` are (label, value), oldest first."""
    werte = [w for _, w in punkte if w is not None]
    if not werte:
        return ""
    hoechst = max(max(werte), 1)
    innen_b, innen_h = BREITE - RAND_L - RAND_R, HOEHE - RAND_O - RAND_U
    schritt = innen_b / max(len(punkte) - 1, 1)

    def x(i):
        return RAND_L + i * schritt

    def y(w):
        return RAND_O + innen_h - (w / hoechst) * innen_h

    teile = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BREITE} {HOEHE}" width="100%" role="img" '
        f'aria-labelledby="{kennung}-titel {kennung}-beschr" class="bericht-diagramm">',
        f'<title id="{kennung}-titel">{escape(titel)}</title>',
        f'<desc id="{kennung}-beschr">{escape(beschreibung)}</desc>',
        f'<line x1="{RAND_L}" y1="{RAND_O + innen_h}" x2="{BREITE - RAND_R}" y2="{RAND_O + innen_h}" '
        'stroke="#333" stroke-width="1"/>',
        f'<line x1="{RAND_L}" y1="{RAND_O}" x2="{RAND_L}" y2="{RAND_O + innen_h}" stroke="#333" stroke-width="1"/>',
    ]
    for anteil in (0, 0.5, 1):
        w = hoechst * anteil
        teile.append(
            f'<text x="{RAND_L - 6}" y="{y(w) + 4:.1f}" text-anchor="end" font-size="12" fill="#333">{_zahl(w)}</text>'
        )
    linie = " ".join(f"{x(i):.1f},{y(w):.1f}" for i, (_, w) in enumerate(punkte) if w is not None)
    teile.append(f'<polyline points="{linie}" fill="none" stroke="#0b5cad" stroke-width="2"/>')
    for i, (beschriftung, w) in enumerate(punkte):
        if w is None:
            continue
        teile.append(
            f'<circle cx="{x(i):.1f}" cy="{y(w):.1f}" r="3.5" fill="#0b5cad">'
            f"<title>{escape(beschriftung)}: {_zahl(w)}</title></circle>"
        )
    for i in sorted({0, len(punkte) - 1}):
        anker = "start" if i == 0 and len(punkte) > 1 else "end"
        teile.append(
            f'<text x="{x(i):.1f}" y="{HOEHE - 12}" text-anchor="{anker}" font-size="12" fill="#333">'
            f"{escape(punkte[i][0])}</text>"
        )
    teile.append("</svg>")
    return mark_safe("".join(teile))  # noqa: S308 – built from escaped values only


def _zahl(w: float) -> str:
    return (
        f"{w:,.0f}".replace(",", ".")
        if float(w).is_integer()
        else f"{w:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")
    )
