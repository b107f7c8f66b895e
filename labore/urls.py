from django.urls import path

from . import views

urlpatterns = [
    path("labore/", views.labore, name="labore"),
    path("labore/<slug:slug>/", views.labor, name="labor"),
]
