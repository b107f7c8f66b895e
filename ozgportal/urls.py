from django.contrib import admin
from django.urls import include, path
from django.views import defaults

from core.api.views import nicht_gefunden

from . import views
from .health import health, live

admin.site.site_header = "OZG-Portal – Verwaltung"
admin.site.site_title = "OZG-Portal"
admin.site.index_title = "Daten pflegen"

urlpatterns = [
    path("", views.home, name="home"),
    path("suche/", views.suche, name="suche"),
    path("impressum/", views.infoseite, {"seite": "impressum"}, name="impressum"),
    path("datenschutz/", views.infoseite, {"seite": "datenschutz"}, name="datenschutz"),
    path("barrierefreiheit/", views.infoseite, {"seite": "barrierefreiheit"}, name="barrierefreiheit"),
    path("datenquellen/", views.infoseite, {"seite": "datenquellen"}, name="datenquellen"),
    path("", include("catalog.urls")),
    path("", include("themenfelder.urls")),
    path("", include("labore.urls")),
    path("", include("opendata.urls")),
    path("health/", health, name="health"),
    path("health/ready/", health, name="health-ready"),
    path("health/live/", live, name="health-live"),
    path("berichte/", include("berichte.urls")),
    path("api/v1/berichte/", include("berichte.api.urls")),
    path("api/v1/", include("ozgportal.api.urls")),
    path("api/dashboard/", include("dashboard.api.urls")),
    path("admin/", admin.site.urls),
]


def handler404(request, exception):
    """Below /api/ a 404 is problem details, also where no route matched (e.g. a key the URL pattern refuses)."""
    if request.path.startswith("/api/"):
        return nicht_gefunden(request, exception)
    return defaults.page_not_found(request, exception)
