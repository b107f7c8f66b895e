from django.db import models
from django.db.models import Max, OuterRef, Subquery


class PhasenStatusQuerySet(models.QuerySet):
    def stand_am(self, stichtag=None):
        """Per Themenfeld and phase the latest entry on or before ``stichtag`` (all dates if None).

        Keeps the table "Stand 11.04.2019" reproducible after later entries.
        """
        neuere = self.model.objects.filter(themenfeld=OuterRef("themenfeld"), phase=OuterRef("phase"))
        if stichtag is not None:
            neuere = neuere.filter(stand__lte=stichtag)
            qs = self.filter(stand__lte=stichtag)
        else:
            qs = self
        letzte = neuere.values("themenfeld", "phase").annotate(letzte=Max("stand")).values("letzte")
        return qs.filter(stand=Subquery(letzte))
