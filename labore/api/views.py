"""API view of the Digitalisierungslabore."""

from django.db.models import Prefetch

from catalog.models import Leistung
from core.api.views import ReadWriteViewSet
from labore.models import Labor
from themenfelder.models import Teilnahme

from .. import filtersets
from . import serializers


class LaborViewSet(ReadWriteViewSet):
    """Digitalisierungslabore with their OZG-Leistungen and participants."""

    queryset = Labor.objects.select_related("themenfeld").prefetch_related(
        Prefetch("leistungen", queryset=Leistung.objects.only("ozg_id", "name").order_by("ozg_id")),
        Prefetch(
            "teilnahmen", queryset=Teilnahme.objects.select_related("gebiet", "organisation").order_by("position")
        ),
    )
    serializer_class = serializers.LaborSerializer
    filterset_class = filtersets.LaborFilterSet
    lookup_field = "slug"
    ordering_fields = ["slug", "titel", "gestartet_bis"]
    ordering = ["themenfeld__name", "titel"]
