"""Which change-log entries can change an API list, read from its filter (``core.datenstand.Listenbereich``).

A dashboard asks for one Land's Umsetzungsstände or one Kommune's statuses; with the global Datenstand every write
anywhere (a Kommune-Redaktion's status, once a second) renewed the ETag and cache entry of every such list. A list
narrowed by its filter to Länder or bodies depends only on their entries (and the catalogue's): every further
filter, the search and the ordering only narrow or sort those rows. A filter this module cannot read (repeated,
too many values, not a key) leaves the list on the global Datenstand; the FilterSet then answers as before.

Known limit, as for a body's page: an entry carries the row's scope *after* the change, so a row moved from one
body or Land to another renews only the new one's lists (no path in the portal moves such a row today).
"""

from core.datenstand import Listenbereich

from .choices import KUERZEL_LAND, Ebene
from .models import Gebietskoerperschaft

#: More values than this in one filter: the global Datenstand (an ARS list of a whole Land is no dashboard's ask).
HOECHSTENS = 50


def _werte(request, name: str) -> list[str] | None:
    """The comma-separated values of a parameter given once, if all are keys (digits or a Land's Kürzel)."""
    angaben = request.query_params.getlist(name)
    if len(angaben) != 1:
        return None
    werte = [w.strip() for w in angaben[0].split(",")]
    if not 0 < len(werte) <= HOECHSTENS or not all(w.isascii() and w.isalnum() and len(w) <= 12 for w in werte):
        return None
    return werte


def _laender_ars(request, name: str) -> tuple[str, ...] | None:
    werte = _werte(request, name)
    if werte is None:
        return None
    ars = tuple(KUERZEL_LAND.get(w.upper(), w) for w in werte)
    return ars if all(len(a) == 2 and a.isdigit() for a in ars) else None


def katalog() -> Listenbereich:
    """Lists of catalogue data (Leistungen, Lagen, LeiKa-Leistungen): only entries without a Gebiet."""
    return Listenbereich()


def der_laender(request, name: str = "land") -> Listenbereich | None:
    """Rows of the Länder themselves (Zuständigkeiten, Umsetzungsstände): the entries of those Länder, and the
    names of every Land (a row names its EfA-Land, which can be any)."""
    ars = _laender_ars(request, name)
    if ars is None:
        return None
    tabelle = Gebietskoerperschaft._meta.db_table
    return Listenbereich(
        f"SELECT ars FROM {tabelle} WHERE ars IN ({', '.join(['%s'] * len(ars))})",
        ars,
        namen_sql=f"SELECT ars FROM {tabelle} WHERE ebene = %s",
        namen_params=(Ebene.LAND,),
    )


def in_den_laendern(request, name: str = "land") -> Listenbereich | None:
    """Gebietskörperschaften in Länder: the structural entries there (names, hierarchy), not their statuses."""
    ars = _laender_ars(request, name)
    return None if ars is None else Listenbereich(laender=ars)


def der_kommunen(request, name: str = "kommune") -> Listenbereich | None:
    """Rows of bodies named by ARS or AGS (a Kommune's statuses): the entries of those bodies."""
    werte = _werte(request, name)
    if werte is None or not all(w.isdigit() for w in werte):
        return None
    ags = tuple(w for w in werte if len(w) == 8)
    ars = tuple(w for w in werte if len(w) != 8)
    tabelle = Gebietskoerperschaft._meta.db_table
    teile = [f"ars IN ({', '.join(['%s'] * len(ars))})"] if ars else []
    teile += [f"ags IN ({', '.join(['%s'] * len(ags))})"] if ags else []
    return Listenbereich(f"SELECT ars FROM {tabelle} WHERE {' OR '.join(teile)}", ars + ags)
