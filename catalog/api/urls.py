"""API routes of the catalogue. ``ozgportal/api/urls.py`` puts the routes of every app on one ``/api/v1/`` router."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("lagen", views.LageViewSet, basename="lage")
router.register("leistungen", views.LeistungViewSet, basename="leistung")
router.register("leika", views.LeikaLeistungViewSet, basename="leika")
router.register("kommunen", views.GebietskoerperschaftViewSet, basename="kommune")
router.register("organisationen", views.OrganisationViewSet, basename="organisation")
router.register("zustaendigkeiten", views.ZustaendigkeitViewSet, basename="zustaendigkeit")
router.register("umsetzungsstand", views.UmsetzungsstandViewSet, basename="umsetzungsstand")
router.register("kommunale-umsetzung", views.KommunaleUmsetzungViewSet, basename="kommunale-umsetzung")
