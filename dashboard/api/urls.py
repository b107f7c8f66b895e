"""``/api/dashboard/v1/``: the federal dashboard's API (``spec/openapi.yaml``) over the portal's data."""

from django.urls import path, re_path

from . import views

app_name = "dashboard-api"
urlpatterns = [
    re_path(r"^v1/data$", views.DataView.as_view(), name="data"),
    re_path(r"^v1/data/(?P<ars>[^/]+)$", views.DataArsView.as_view(), name="data-ars"),
    re_path(r"^v1/ars$", views.ArsView.as_view(), name="ars"),
    path("", views.nicht_gefunden_view, name="wurzel"),
    re_path(r"^.*$", views.nicht_gefunden_view, name="nicht-gefunden"),
]
