from django.db import models


class BerichtslaufQuerySet(models.QuerySet):
    def aktuell(self, art: str):
        """The current build of ``art`` (the one ``AktuellerBericht`` points to), or None."""
        # models.py builds its managers from this module, so the model is looked up when the query runs.
        from .models import AktuellerBericht

        zeiger = AktuellerBericht.objects.filter(art=art).select_related("lauf").first()
        return zeiger.lauf if zeiger else None

    def verlauf(self, art: str, anzahl: int = 60):
        """The latest ``anzahl`` builds of ``art``, oldest first (for the progress chart)."""
        neueste = self.filter(art=art).order_by("-gebaut_am", "-id")[:anzahl]
        return sorted(neueste, key=lambda lauf: (lauf.gebaut_am, lauf.pk))
