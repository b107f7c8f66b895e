"""API routes of the Labore. ``ozgportal/api/urls.py`` puts every app's routes on one router."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("labore", views.LaborViewSet, basename="labor")
