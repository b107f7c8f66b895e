"""Reusable query logic of the catalogue, attached to the models with ``as_manager()``."""

from django.db import models
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q

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
    def fuer_land(self, land_id):
        """The OZG-Leistungen as every body of one Land sees them: who executes each there, and the Land's status.

        Annotates ``zustaendigkeit_erfasst`` (recorded level in the Land or None), ``ebene`` (an ``EffektiveEbene``
        value: recorded, else derived, see ``catalog.zustaendigkeit``), ``land_status``/``land_reifegrad``
        (Umsetzungsstand in the Land). One row per Leistung: each is a LEFT JOIN on a unique key (the Zuständigkeit
        for the whole Leistung, the Land's Umsetzungsstand), not a correlated subquery; no ordering is inherited
        (the caller orders), no other table is joined.
        """
        return (
            self.alias(
                zust=FilteredRelation(
                    "zustaendigkeiten",
                    condition=Q(zustaendigkeiten__land_id=land_id, zustaendigkeiten__leika_leistung__isnull=True),
                ),
                im_land=FilteredRelation("umsetzungsstaende", condition=Q(umsetzungsstaende__land_id=land_id)),
            )
            .annotate(
                zustaendigkeit_erfasst=F("zust__ebene"),
                ebene=effektive_ebene(),
                land_status=F("im_land__status"),
                land_reifegrad=F("im_land__reifegrad"),
            )
            .order_by()
        )

    def fuer_kommune(self, gebiet):
        """The OZG-Leistungen as a Kommune (or Land) sees them: ``fuer_land`` of its Land, and where it stands.

        Adds ``kommune_status``/``kommune_synthetisch`` (KommunaleUmsetzung of this body), a LEFT JOIN on its
        unique key too.
        """
        land_id = gebiet.pk if gebiet.land_id is None else gebiet.land_id
        return (
            self.fuer_land(land_id)
            .alias(
                in_kommune=FilteredRelation(
                    "kommunale_umsetzungen", condition=Q(kommunale_umsetzungen__kommune_id=gebiet.pk)
                ),
            )
            .annotate(kommune_status=F("in_kommune__status"), kommune_synthetisch=F("in_kommune__synthetisch"))
        )

    def suche(self, text: str):
        """Name (all words), OZG-ID or LeiKa-Schlüssel: the ``q`` of every Leistungen list, page and API alike."""
        text = text.strip()
        if text.isdigit():
            # Exists, not a join: one row per Leistung however many LeiKa rows share the key, and no DISTINCT.
            leika = self.model._meta.get_field("leika_leistungen").related_model
            return self.filter(
                Q(ozg_id=int(text)) | Exists(leika.objects.filter(leistung=OuterRef("pk"), schluessel=text))
            )
        treffer = self
        for wort in text.split():
            treffer = treffer.filter(name__icontains=wort)
        return treffer
