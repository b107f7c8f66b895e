"""Queries of the builds. models.py builds its managers from this module, so this module imports no model: the
pointer model is looked up in the app registry when the query runs (no import cycle)."""

from django.apps import apps
from django.db import models


class BerichtslaufQuerySet(models.QuerySet):
    def aktuell(self, art: str):
        """The current build of ``art`` (the one ``AktuellerBericht`` points to), or None."""
        zeiger = apps.get_model("berichte", "AktuellerBericht").objects.filter(art=art).select_related("lauf").first()
        return zeiger.lauf if zeiger else None

    def verlauf(self, art: str, anzahl: int = 60):
        """The latest ``anzahl`` builds of ``art``, oldest first (for the progress chart)."""
        neueste = self.filter(art=art).order_by("-gebaut_am", "-id")[:anzahl]
        return sorted(neueste, key=lambda lauf: (lauf.gebaut_am, lauf.pk))
