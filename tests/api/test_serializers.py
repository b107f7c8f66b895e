"""The hand-written list representations equal DRF's generic ones (which the schema describes)."""

import pytest
from rest_framework import serializers as drf

from catalog.api.serializers import KommuneLeistungSerializer, LeistungSerializer
from catalog.api.views import LeistungViewSet, leika_liste
from catalog.models import Gebietskoerperschaft, Leistung, Zustaendigkeit

pytestmark = pytest.mark.django_db


def test_leistung_fast_path_equals_generic():
    serializer = LeistungSerializer(context={})
    for leistung in LeistungViewSet.queryset.all():
        assert serializer.to_representation(leistung) == drf.ModelSerializer.to_representation(serializer, leistung)


def test_kommune_leistung_fast_path_equals_generic(land_sh, elterngeld):
    Zustaendigkeit.objects.create(land=land_sh, leistung=elterngeld, ebene="kreis")
    gebiet = Gebietskoerperschaft.objects.get(ars="01061")
    serializer = KommuneLeistungSerializer(context={"gebiet": gebiet})
    for leistung in Leistung.objects.fuer_kommune(gebiet).annotate(leika_liste=leika_liste()):
        assert serializer.to_representation(leistung) == drf.ModelSerializer.to_representation(serializer, leistung)
