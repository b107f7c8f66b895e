"""Reusable query logic of the catalogue, attached to the models with ``as_manager()``."""

from django.db import models
from django.db.models import OuterRef, Q, Subquery

from .choices import Ebene


class GebietskoerperschaftQuerySet(models.QuerySet):
    def laender(self):
        return self.filter(ebene=Ebene.LAND)

    def kommunen(self):
        """Kreise, Gemeindeverbände and Gemeinden: the levels that offer Leistungen locally."""
        return self.filter(ebene__in=[Ebene.KREIS, Ebene.GEMEINDEVERBAND, Ebene.GEMEINDE])

    def by_schluessel(self, schluessel: str):
        """Look up by AGS (8 digits) or Regionalschlüssel (2, 3, 4, 5, 9 or 12 digits)."""
        if len(schluessel) == 8:
            return self.filter(ags=schluessel)
        return self.filter(ars=schluessel)


class LeistungQuerySet(models.QuerySet):
    def mit_zustaendigkeit(self, land):
        """Annotate ``zustaendigkeit_erfasst``: the level recorded for the whole Leistung in ``land``, or None."""
        from .models import Zustaendigkeit

        erfasst = Zustaendigkeit.objects.filter(land=land, leistung=OuterRef("pk"), leika_leistung__isnull=True).values(
            "ebene"
        )[:1]
        return self.annotate(zustaendigkeit_erfasst=Subquery(erfasst))

    def suche(self, text: str):
        text = text.strip()
        if text.isdigit():
            return self.filter(Q(ozg_id=int(text)) | Q(leika_leistungen__schluessel=text)).distinct()
        return self.filter(name__icontains=text)
