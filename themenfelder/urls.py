from django.urls import path

from . import views

urlpatterns = [
    path("themenfelder/", views.themenfelder, name="themenfelder"),
    path("themenfelder/<slug:slug>/", views.themenfeld, name="themenfeld"),
]
