"""``/api/v1/``: every resource, the OpenAPI schema and its documentation (served from our own static files)."""

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework import routers
from rest_framework.routers import DefaultRouter

from catalog.api import views as catalog
from labore.api import views as labore
from themenfelder.api import views as themenfelder

from . import views


class Router(DefaultRouter):
    # The root view answers with ETag and Last-Modified like every other GET.
    APIRootView = type("APIRootView", (views.ConditionalGetMixin, routers.APIRootView), {})


router = Router()
router.register("themenfelder", themenfelder.ThemenfeldViewSet, basename="themenfeld")
router.register("lagen", catalog.LageViewSet, basename="lage")
router.register("leistungen", catalog.LeistungViewSet, basename="leistung")
router.register("leika", catalog.LeikaLeistungViewSet, basename="leika")
router.register("labore", labore.LaborViewSet, basename="labor")
router.register("kommunen", catalog.GebietskoerperschaftViewSet, basename="kommune")
router.register("organisationen", catalog.OrganisationViewSet, basename="organisation")
router.register("zustaendigkeiten", catalog.ZustaendigkeitViewSet, basename="zustaendigkeit")
router.register("tandemrollen", themenfelder.TandemRolleViewSet, basename="tandemrolle")
router.register("phasenstatus", themenfelder.PhasenStatusViewSet, basename="phasenstatus")
router.register("teilnahmen", themenfelder.TeilnahmeViewSet, basename="teilnahme")
router.register("umsetzungsstand", catalog.UmsetzungsstandViewSet, basename="umsetzungsstand")
router.register("kommunale-umsetzung", catalog.KommunaleUmsetzungViewSet, basename="kommunale-umsetzung")

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("ping/", views.ping, name="ping"),
    *router.urls,
    # csrf_exempt: an unknown address answers 404 problem details for every method, not Django's HTML CSRF page.
    re_path(r"^.*$", csrf_exempt(views.nicht_gefunden), name="nicht-gefunden"),
]
