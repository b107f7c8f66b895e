"""Queries and the one write rule of the phase statuses: a new Stand adds rows, it never overwrites older ones."""

from django.db import models, transaction
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

    @transaction.atomic
    def stand_erfassen(self, themenfeld, stand, quelle: str, status_je_phase: dict, grund: str) -> int:
        """Write the Stand ``stand`` of ``themenfeld``: a row per phase for that date, or the same date's row corrected.

        Earlier Stände stay as they are, so ``stand_am(datum)`` still shows any earlier table (e.g. 11.04.2019);
        every row written is recorded in the history with ``grund``. An empty ``quelle`` keeps the row's source.
        Returns how many rows were written.
        """
        geschrieben = 0
        for phase, status in status_je_phase.items():
            obj = self.filter(themenfeld=themenfeld, phase=phase, stand=stand).first()
            if obj is None:
                obj = self.model(themenfeld=themenfeld, phase=phase, stand=stand)
            elif obj.status == status and (obj.quelle == quelle or not quelle):
                continue
            obj.status = status
            obj.quelle = quelle or obj.quelle
            obj._change_reason = grund
            obj.save()
            geschrieben += 1
        return geschrieben
