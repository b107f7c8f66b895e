from django.urls import path

from ..tabellen import TABELLEN
from . import views

app_name = "berichte-api"

urlpatterns = [
    path("", views.BerichteListe.as_view(), name="berichte"),
    path("laeufe/", views.LaeufeListe.as_view(), name="laeufe"),
    *[path(f"{s}/", views.tabellen_ansicht(s), name=s) for s in TABELLEN],
]
