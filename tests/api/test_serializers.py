"""The hand-written list representations equal DRF's generic ones (which the schema describes)."""

import pytest
from rest_framework import serializers as drf

from catalog.api.serializers import KommuneLeistungSerializer, LeistungSerializer
from catalog.api.views import LeistungViewSet
from catalog.models import Gebietskoerperschaft, Leistung, Zustaendigkeit
from catalog.zustaendigkeit import ermittle

pytestmark = pytest.mark.django_db


def test_leistung_fast_path_equals_generic():
    serializer = LeistungSerializer(context={})
    for leistung in LeistungViewSet.queryset.all():
        assert serializer.to_representation(leistung) == drf.ModelSerializer.to_representation(serializer, leistung)


def test_kommune_leistung_answer_has_the_declared_fields_and_the_models_values(api, land_sh, elterngeld):
    """The answer is built from the list's rows (no model instances): same fields as declared, same values as the
    models say (recorded level, derived text, LeiKa keys)."""
    Zustaendigkeit.objects.create(land=land_sh, leistung=elterngeld, ebene="kreis")
    gebiet = Gebietskoerperschaft.objects.get(ars="01061")
    antwort = api.get("/api/v1/kommunen/01061/leistungen/?page_size=1000").json()["results"]
    assert len(antwort) == 557
    felder = set(KommuneLeistungSerializer().fields)
    for leistung, daten in zip(
        Leistung.objects.fuer_kommune(gebiet).select_related("lage__themenfeld").order_by("ozg_id"),
        antwort,
        strict=True,
    ):
        assert set(daten) == felder
        assert daten == {
            "ars": "01061",
            "ozg_id": leistung.ozg_id,
            "name": leistung.name,
            "themenfeld": {"slug": leistung.lage.themenfeld.slug, "name": leistung.lage.themenfeld.name},
            "lage": {"slug": leistung.lage.slug, "name": leistung.lage.name},
            "vollzug": leistung.vollzug,
            "ebene": leistung.ebene,
            "ebene_text": ermittle(leistung.vollzug, leistung.zustaendigkeit_erfasst).text,
            "abgeleitet": leistung.zustaendigkeit_erfasst is None,
            "land_status": leistung.land_status,
            "land_reifegrad": leistung.land_reifegrad,
            "kommune_status": leistung.kommune_status,
            "kommune_synthetisch": leistung.kommune_synthetisch,
            "leika_schluessel": sorted(k.schluessel for k in leistung.leika_leistungen.all() if k.schluessel),
        }
    assert next(d for d in antwort if d["ozg_id"] == 10000)["ebene"] == "kreis"
