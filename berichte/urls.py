from django.urls import path

from . import views

app_name = "berichte"

urlpatterns = [
    path("", views.uebersicht, name="uebersicht"),
    path("themenfeldbearbeitung/", views.themenfeldbearbeitung, name="themenfeldbearbeitung"),
    path("umsetzungsstand/", views.umsetzungsstand, {"ebene": "laender"}, name="umsetzung-laender"),
    path("umsetzungsstand/kreise/", views.umsetzungsstand, {"ebene": "kreise"}, name="umsetzung-kreise"),
    path("umsetzungsstand/kommunen/", views.umsetzungsstand, {"ebene": "kommunen"}, name="umsetzung-kommunen"),
    path("labore/", views.labore, name="labore"),
    path("beteiligung/", views.beteiligung, name="beteiligung"),
    path("<slug:schluessel>.csv", views.download, {"format_": "csv"}, name="download-csv"),
    path("<slug:schluessel>.xlsx", views.download, {"format_": "xlsx"}, name="download-xlsx"),
]
