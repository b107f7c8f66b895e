"""Layout checks run in the browser: page width (WCAG 1.4.10 Reflow) and overlapping text of table cells."""

#: Elements wider than the viewport that are not inside a scroll region, as "tag.class right-edge" strings.
ZU_BREIT = """() => {
  const breite = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > breite + 1 && !e.closest('.tabelle, .tabelle-rollbar'))
    .slice(0, 5).map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`);
}"""

#: Pairs of cells in the same table row whose text boxes overlap (each text's client rects, not the cell boxes:
#: overflowing text is what readers see printed over its neighbour).
UEBERLAPPUNGEN = """() => {
  const textRects = (zelle) => {
    const r = document.createRange();
    r.selectNodeContents(zelle);
    return [...r.getClientRects()].filter(x => x.width > 0.5 && x.height > 0.5);
  };
  const schneiden = (a, b) =>
    a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const befunde = [];
  for (const zeile of document.querySelectorAll('table tr')) {
    if (!zeile.checkVisibility()) continue;  // in a closed <details> (content-visibility: hidden)
    const zellen = [...zeile.children].map(z => [z, textRects(z)]);
    for (let i = 0; i < zellen.length; i++) for (let j = i + 1; j < zellen.length; j++)
      for (const a of zellen[i][1]) for (const b of zellen[j][1])
        if (schneiden(a, b) && befunde.length < 5)
          befunde.push(`${zellen[i][0].textContent.trim().slice(0, 30)} × `
            + zellen[j][0].textContent.trim().slice(0, 30));
  }
  return befunde;
}"""
