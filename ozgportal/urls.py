from django.contrib import admin
from django.urls import path

from . import views

admin.site.site_header = "OZG-Portal – Verwaltung"
admin.site.site_title = "OZG-Portal"
admin.site.index_title = "Daten pflegen"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
]
