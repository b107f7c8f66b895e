"""API routes of the programme steering. ``ozgportal/api/urls.py`` puts every app's routes on one router."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("themenfelder", views.ThemenfeldViewSet, basename="themenfeld")
router.register("tandemrollen", views.TandemRolleViewSet, basename="tandemrolle")
router.register("phasenstatus", views.PhasenStatusViewSet, basename="phasenstatus")
router.register("teilnahmen", views.TeilnahmeViewSet, basename="teilnahme")
