"""Every Fach-App has the same skeleton: each concern lives in its standard module or the app does not have it.

The concern of every class and function is read from what it is (a Model, a FilterSet, a Celery task …), not from
where it lies, so a FilterSet written into views.py, or a serializer beside the models, fails here. There is no
list of exceptions; ``core`` (shared infrastructure) and ``ozgportal`` (the project's wiring) are not Fach-Apps.
A standard module may be a package (``catalog/models/``, ``catalog/importers/``). The README's skeleton table is
compared with what is there, so it cannot drift.
"""

import importlib
import importlib.util
import inspect
import pkgutil
import re
from pathlib import Path

from django.contrib.admin.options import BaseModelAdmin
from django.core.management.base import BaseCommand
from django.db import models
from django.views import View

import pytest
from celery import Task
from celery.local import Proxy
from django_filters import FilterSet
from rest_framework.routers import BaseRouter
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

import core.importers

FACH_APPS = ["redaktion", "catalog", "themenfelder", "labore", "berichte", "opendata", "dashboard"]

#: concern → the module (or package) of the skeleton where it must live, relative to the app.
SKELETT = {
    "Modell": ["models"],
    "Auswahlliste (TextChoices)": ["choices"],
    "QuerySet": ["querysets"],
    "FilterSet": ["filtersets"],
    "Verwaltung (ModelAdmin)": ["admin"],
    "Seiten-View": ["views", "admin"],
    "URL-Liste": ["urls", "api.urls"],
    "Serializer": ["api.serializers"],
    "API-View": ["api.views"],
    "Import (liest mit core.importers)": ["importers"],
    "Celery-Task": ["tasks"],
    "Befehl": ["management.commands"],
}


def _anliegen(modul) -> set[str]:
    """The concerns a module defines itself (imported names do not count)."""
    gefunden = set()
    for name, obj in vars(modul).items():
        if inspect.isclass(obj) and obj.__module__ == modul.__name__:
            for basis, anliegen in [
                (models.Model, "Modell"),
                (models.Choices, "Auswahlliste (TextChoices)"),
                (models.QuerySet, "QuerySet"),
                (FilterSet, "FilterSet"),
                (BaseModelAdmin, "Verwaltung (ModelAdmin)"),
                (BaseSerializer, "Serializer"),
                (APIView, "API-View"),
                (BaseCommand, "Befehl"),
            ]:
                if issubclass(obj, basis) and not (basis is models.Model and obj._meta.abstract):
                    gefunden.add(anliegen)
            if issubclass(obj, View) and not issubclass(obj, APIView):
                gefunden.add("Seiten-View")
        elif inspect.isfunction(obj) and obj.__module__ == modul.__name__:
            if list(inspect.signature(obj).parameters)[:1] == ["request"]:
                # A plain function view of the API (e.g. the federal 404 answer) is an API view, not a page.
                gefunden.add("API-View" if modul.__name__.endswith(".api.views") else "Seiten-View")
        elif isinstance(obj, Proxy | Task):
            # @shared_task leaves a proxy until the app is finalised; the task class carries the defining module.
            aufgabe = obj._get_current_object() if isinstance(obj, Proxy) else obj
            if isinstance(aufgabe, Task) and type(aufgabe).__module__ == modul.__name__:
                gefunden.add("Celery-Task")
        if name == "urlpatterns" or (isinstance(obj, BaseRouter) and name == "router"):
            gefunden.add("URL-Liste")
        # Reading or syncing with the shared machinery makes an importer; catching its error type does not.
        if (
            inspect.isfunction(obj)
            and obj.__module__ == core.importers.__name__
            and modul.__name__ != core.importers.__name__
        ):
            gefunden.add("Import (liest mit core.importers)")
    return gefunden


def _module(app: str):
    paket = importlib.import_module(app)
    for info in pkgutil.walk_packages(paket.__path__, f"{app}."):
        if ".migrations" not in info.name:
            yield importlib.import_module(info.name)


def skelett(app: str) -> dict[str, set[str]]:
    """concern → the modules of ``app`` that define it."""
    ergebnis = {}
    for modul in _module(app):
        for anliegen in _anliegen(modul):
            ergebnis.setdefault(anliegen, set()).add(modul.__name__)
    return ergebnis


def _am_platz(app: str, modul: str, anliegen: str) -> bool:
    relativ = modul.removeprefix(f"{app}.")
    return any(relativ == ort or relativ.startswith(f"{ort}.") for ort in SKELETT[anliegen])


@pytest.mark.parametrize("app", FACH_APPS)
def test_jedes_anliegen_im_standardmodul(app):
    falsch = {
        modul: anliegen
        for anliegen, module in skelett(app).items()
        for modul in module
        if not _am_platz(app, modul, anliegen)
    }
    assert falsch == {}, f"{app}: Anliegen außerhalb des Gerüsts (Modul → Anliegen): {falsch}"


def test_der_test_erkennt_ein_anliegen_am_falschen_platz(tmp_path, monkeypatch):
    # A FilterSet and a task written into a views module: both must be reported.
    paket = tmp_path / "probeapp"
    paket.mkdir()
    (paket / "__init__.py").write_text("")
    (paket / "views.py").write_text(
        "import django_filters\n"
        "from celery import shared_task\n"
        "from catalog.models import Leistung\n"
        "class LeistungFilter(django_filters.FilterSet):\n"
        "    class Meta:\n"
        "        model = Leistung\n"
        "        fields = ['ozg_id']\n"
        "@shared_task(name='probeapp.aufgabe')\n"
        "def aufgabe():\n"
        "    pass\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    ergebnis = skelett("probeapp")
    assert ergebnis["FilterSet"] == {"probeapp.views"}
    assert ergebnis["Celery-Task"] == {"probeapp.views"}
    assert not _am_platz("probeapp", "probeapp.views", "FilterSet")


#: Column of the README's skeleton table → the module (or package) it stands for.
README_SPALTEN = {
    "`models`": "models",
    "`choices`": "choices",
    "`querysets`": "querysets",
    "`filtersets`": "filtersets",
    "`admin`": "admin",
    "`views`": "views",
    "`urls`": "urls",
    "`api/{serializers,views,urls}`": "api",
    "`importers`": "importers",
    "`tasks`": "tasks",
    "`management/commands`": "management.commands",
}


def _readme_tabelle() -> dict[str, dict[str, bool]]:
    """app → column → ✓ in the README's skeleton table."""
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    zeilen = [z for z in text.splitlines() if z.startswith("|")]
    kopf_nr = next(i for i, z in enumerate(zeilen) if z.startswith("| App | `models`"))
    kopf = [zelle.strip() for zelle in zeilen[kopf_nr].strip("|").split("|")]
    tabelle = {}
    for zeile in zeilen[kopf_nr + 2 :]:
        zellen = [zelle.strip() for zelle in zeile.strip("|").split("|")]
        if len(zellen) != len(kopf) or not re.fullmatch(r"`\w+`", zellen[0]):
            break
        tabelle[zellen[0].strip("`")] = {k: z.startswith("✓") for k, z in zip(kopf[1:], zellen[1:], strict=True)}
    return tabelle


def _hat_modul(app: str, modul: str) -> bool:
    if importlib.util.find_spec(f"{app}.{modul.split('.')[0]}") is None:
        return False
    if modul == "management.commands":
        befehle = importlib.import_module(f"{app}.management.commands")
        return any(not info.ispkg for info in pkgutil.iter_modules(befehle.__path__))
    return importlib.util.find_spec(f"{app}.{modul}") is not None


def test_readme_geruest_stimmt_mit_den_apps_ueberein():
    tabelle = _readme_tabelle()
    assert sorted(tabelle) == sorted(FACH_APPS), "jede Fach-App hat genau eine Zeile"
    abweichend = {
        (app, spalte): ("README ✓" if steht else "README –")
        for app, zeile in tabelle.items()
        for spalte, steht in zeile.items()
        if steht != _hat_modul(app, README_SPALTEN[spalte])
    }
    assert abweichend == {}, f"README-Gerüsttabelle weicht vom Code ab: {abweichend}"
