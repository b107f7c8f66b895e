"""Which query parameters did a view actually use? Only such requests may create page-cache entries.

A cache keyed by the full URL can be flooded: ``?x1``, ``?x2``, … ``?x10000`` all render the same page and would
each be stored. Rather than keep a list of every page's parameters beside its view, the view's own reads decide:
``beobachten`` swaps ``request.GET`` for a QueryDict that records what is read, and ``nur_gelesene_parameter``
says afterwards whether every parameter was read and none was given twice (unless read as a list). Unknown or
duplicate parameters still get their page, just not a cache entry.
"""

from django.http import QueryDict


class GelesenerQueryDict(QueryDict):
    def __init__(self, *args, **kwargs):
        self.gelesen: set[str] = set()
        self.als_liste: set[str] = set()
        super().__init__(*args, **kwargs)
        # Parsing the query string reads through the same methods: only the view's reads count.
        self.gelesen.clear()
        self.als_liste.clear()

    def __getitem__(self, key):
        self.gelesen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.gelesen.add(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self.gelesen.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.gelesen.add(key)
        self.als_liste.add(key)
        return super().getlist(key, default)


def beobachten(request) -> None:
    if not isinstance(request.GET, GelesenerQueryDict):
        request.GET = GelesenerQueryDict(request.META.get("QUERY_STRING", ""), encoding=request.encoding)


def nur_gelesene_parameter(request) -> bool:
    abfrage = request.GET
    if not abfrage:
        return True
    if not isinstance(abfrage, GelesenerQueryDict):
        return False
    for key, werte in abfrage.lists():
        if key not in abfrage.gelesen:
            return False
        if len(werte) > 1 and key not in abfrage.als_liste:
            return False
    return True
