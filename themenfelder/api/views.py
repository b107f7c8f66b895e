"""API views of the programme: Themenfelder (with tandem and current phases), tandem roles, phases, Teilnahmen."""

from datetime import date

from django.db.models import Prefetch

from catalog.api.views import anzahl
from catalog.models import Lage, Leistung, Themenfeld
from core.api.views import ReadWriteViewSet, SchluesselLookupMixin
from themenfelder.models import PhasenStatus, TandemRolle, Teilnahme

from .. import filtersets
from . import serializers


class ThemenfeldViewSet(ReadWriteViewSet):
    """The 14 Themenfelder with counts, their tandem and the latest status of each phase, in one request."""

    queryset = Themenfeld.objects.annotate(
        lagen_anzahl=anzahl(Lage, "themenfeld"),
        leistungen_anzahl=anzahl(Leistung, "lage__themenfeld"),
        # labore sits above themenfelder: its model is reached through the reverse relation Themenfeld.labore.
        labore_anzahl=anzahl(Themenfeld.labore.rel.related_model, "themenfeld"),
    ).prefetch_related(
        Prefetch("tandem", queryset=TandemRolle.objects.select_related("land", "organisation")),
        Prefetch(
            "phasen", queryset=PhasenStatus.objects.stand_am().order_by("stand", "phase"), to_attr="aktuelle_phasen"
        ),
    )
    serializer_class = serializers.ThemenfeldSerializer
    filterset_class = filtersets.ThemenfeldFilterSet
    lookup_field = "slug"
    ordering_fields = ["slug", "name", "lagen_anzahl", "leistungen_anzahl", "labore_anzahl"]
    ordering = ["name"]


class TandemRolleViewSet(SchluesselLookupMixin, ReadWriteViewSet):
    """Tandem roles; key ``<Themenfeld>.<Land-ARS oder Organisation>.<Umfang>``."""

    queryset = TandemRolle.objects.select_related("themenfeld", "land", "organisation")
    serializer_class = serializers.TandemRolleSerializer
    filterset_class = filtersets.TandemRolleFilterSet
    ordering_fields = ["rolle", "umfang"]
    ordering = ["themenfeld__name", "-rolle", "umfang", "organisation__kurzname", "land__ars"]

    def schluessel_filter(self, teile):
        if len(teile) != 3:
            return None
        themenfeld, partner, umfang = teile
        kriterien = {"themenfeld__slug": themenfeld, "umfang": umfang}
        if partner.isdigit():
            kriterien["land__ars"] = partner
        else:
            kriterien["organisation__slug"] = partner
        return kriterien


class PhasenStatusViewSet(SchluesselLookupMixin, ReadWriteViewSet):
    """Phase statuses with their Stand; ``?stand_am=2019-04-11`` reproduces the table of that day."""

    queryset = PhasenStatus.objects.select_related("themenfeld")
    serializer_class = serializers.PhasenStatusSerializer
    filterset_class = filtersets.PhasenStatusFilterSet
    ordering_fields = ["stand", "phase", "status"]
    ordering = ["themenfeld__name", "stand", "phase"]

    def schluessel_filter(self, teile):
        if len(teile) != 3:
            return None
        return {"themenfeld__slug": teile[0], "phase": teile[1], "stand": date.fromisoformat(teile[2])}


class TeilnahmeViewSet(SchluesselLookupMixin, ReadWriteViewSet):
    """Kommunen and IT-Dienstleister working in a Themenfeld; key ``<Themenfeld>.<Stand>.<Position>``."""

    queryset = Teilnahme.objects.select_related("themenfeld", "gebiet", "organisation", "laborzuordnung__labor")
    serializer_class = serializers.TeilnahmeSerializer
    filterset_class = filtersets.TeilnahmeFilterSet
    ordering_fields = ["position", "stand"]
    ordering = ["themenfeld__name", "position"]

    def schluessel_filter(self, teile):
        if len(teile) != 3:
            return None
        return {"themenfeld__slug": teile[0], "stand": date.fromisoformat(teile[1]), "position": int(teile[2])}
