from django.urls import path, register_converter

from . import views


class SchluesselConverter:
    """Any path segment: the view explains a malformed key in its 404 instead of a bare "not found"."""

    regex = "[^/]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SchluesselConverter, "schluessel")

urlpatterns = [
    path("kommunen/", views.kommunen_suche, name="kommunen_suche"),
    path("kommunen/<schluessel:schluessel>/", views.kommune, name="kommune"),
    path(
        "kommunen/<schluessel:schluessel>/leistungen.csv",
        views.kommune_export,
        {"format": "csv"},
        name="kommune_csv",
    ),
    path(
        "kommunen/<schluessel:schluessel>/leistungen.xlsx",
        views.kommune_export,
        {"format": "xlsx"},
        name="kommune_xlsx",
    ),
    path("kommunen/<schluessel:schluessel>/druck/", views.kommune_druck, name="kommune_druck"),
    path(
        "kommunen/<schluessel:schluessel>/zustaendigkeit-vorlage.csv",
        views.zustaendigkeit_vorlage,
        name="zustaendigkeit_vorlage",
    ),
    path("leistungen/<int:ozg_id>/", views.leistung, name="leistung"),
]
