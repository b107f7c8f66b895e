from django.urls import path, register_converter

from catalog.urls import SchluesselConverter  # noqa: F401 — registers "schluessel"

from . import feeds, views


class NameConverter:
    """Any dataset-like name: the view explains an unknown name in German instead of a bare 404."""

    regex = "[A-Za-z0-9_-]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(NameConverter, "datensatz")

urlpatterns = [
    path("opendaten/", views.uebersicht, name="opendaten"),
    path("sprache/<slug:code>/", views.sprache, name="sprache"),
    path("opendaten/katalog.ttl", views.dcat_katalog, {"format_": "ttl"}, name="opendaten_katalog_ttl"),
    path("opendaten/katalog.jsonld", views.dcat_katalog, {"format_": "jsonld"}, name="opendaten_katalog_jsonld"),
    path("opendaten/<datensatz:name>.<datensatz:format_>", views.herunterladen, name="opendaten_datei"),
    path("folgen/kommune/<schluessel:kennung>/", views.folgen, {"art": "kommune"}, name="folgen_kommune"),
    path("folgen/themenfeld/<slug:kennung>/", views.folgen, {"art": "themenfeld"}, name="folgen_themenfeld"),
    path("themenfelder/<slug:slug>/feed/", feeds.ThemenfeldFeed(), name="themenfeld_feed"),
    path("leistungen/<int:ozg_id>/feed/", feeds.LeistungFeed(), name="leistung_feed"),
    path("kommunen/<schluessel:schluessel>/feed/", feeds.KommuneFeed(), name="kommune_feed"),
]
