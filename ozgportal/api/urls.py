"""``/api/v1/``: the resources of every app, the OpenAPI schema and its documentation (served from our own static
files). The shared API machinery lives in ``core.api``."""

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework import routers
from rest_framework.routers import DefaultRouter

from catalog.api.urls import router as catalog_routen
from core.api import views
from labore.api.urls import router as labore_routen
from themenfelder.api.urls import router as themenfelder_routen


class Router(DefaultRouter):
    # The root view answers with ETag and Last-Modified like every other GET.
    APIRootView = type("APIRootView", (views.ConditionalGetMixin, routers.APIRootView), {})


# Each app registers its resources in its own api/urls.py; one router serves them all, so there is one API root
# listing every resource and the route names stay "api:<basename>-list" / "-detail".
router = Router()
for routen in (themenfelder_routen, catalog_routen, labore_routen):
    router.registry.extend(routen.registry)

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("ping/", views.ping, name="ping"),
    *router.urls,
    # csrf_exempt: an unknown address answers 404 problem details for every method, not Django's HTML CSRF page.
    # [\s\S]: "." would not match a newline, and such a path fell through to Django's HTML 404.
    re_path(r"^[\s\S]*$", csrf_exempt(views.nicht_gefunden), name="nicht-gefunden"),
]
