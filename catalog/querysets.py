"""Reusable query logic of the catalogue, attached to the models with ``as_manager()``."""

from django.db import models
from django.db.models import OuterRef, Q, Subquery

from .choices import Ebene
from .zustaendigkeit import effektive_ebene


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
        # models.py builds its managers from this module, so the models are looked up when the query is built.
        from .models import Zustaendigkeit

        erfasst = Zustaendigkeit.objects.filter(land=land, leistung=OuterRef("pk"), leika_leistung__isnull=True).values(
            "ebene"
        )[:1]
        return self.annotate(zustaendigkeit_erfasst=Subquery(erfasst))

    def fuer_kommune(self, gebiet):
        """The OZG-Leistungen as a Kommune (or Land) sees them: who executes each there, and where it stands.

        Annotates ``zustaendigkeit_erfasst`` (recorded level in the Kommune's Land or None), ``ebene`` (an
        ``EffektiveEbene`` value: recorded, else derived), ``land_status``/``land_reifegrad`` (Umsetzungsstand
        in the Land) and ``kommune_status`` (KommunaleUmsetzung of this Gebietskörperschaft). All in one query.
        """
        # As above: models.py imports this module.
        from .models import KommunaleUmsetzung, Umsetzungsstand

        land_id = gebiet.pk if gebiet.land_id is None else gebiet.land_id
        stand_im_land = Umsetzungsstand.objects.filter(land_id=land_id, leistung=OuterRef("pk"))
        in_kommune = KommunaleUmsetzung.objects.filter(kommune=gebiet, leistung=OuterRef("pk"))
        return (
            self.mit_zustaendigkeit(land_id)
            .annotate(
                ebene=effektive_ebene(),
                land_status=Subquery(stand_im_land.values("status")[:1]),
                land_reifegrad=Subquery(stand_im_land.values("reifegrad")[:1]),
                kommune_status=Subquery(in_kommune.values("status")[:1]),
            )
            .select_related("lage__themenfeld")
        )

    def suche(self, text: str):
        text = text.strip()
        if text.isdigit():
            return self.filter(Q(ozg_id=int(text)) | Q(leika_leistungen__schluessel=text)).distinct()
        return self.filter(name__icontains=text)
