"""A QuerySet compiled once (core.vorbereitet): the same rows and objects as the QuerySet itself, one query each."""

import datetime

from django.db.models import Count, Q

import pytest

from catalog.choices import Anschlussstatus
from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung, Leistung
from core.vorbereitet import Vorbereitet

pytestmark = pytest.mark.django_db

ITZEHOE = "01061046"
HEILIGENSTEDTEN = "01061034"


def _mit_oberen(ags):
    return Gebietskoerperschaft.objects.filter(ags=ags).select_related("parent", "kreis", "land", "parent__parent")


def test_model_instances_with_what_select_related_joined(django_assert_num_queries):
    vorbereitet = Vorbereitet(_mit_oberen, str)
    for ags in (ITZEHOE, HEILIGENSTEDTEN, "00000000"):
        erwartet = list(_mit_oberen(ags))
        with django_assert_num_queries(1):
            gefunden = vorbereitet(ags)
        assert gefunden == erwartet
        for mit, ohne in zip(gefunden, erwartet, strict=True):
            assert {f.attname: getattr(mit, f.attname) for f in mit._meta.concrete_fields} == {
                f.attname: getattr(ohne, f.attname) for f in ohne._meta.concrete_fields
            }
            with django_assert_num_queries(0):  # joined, not read again
                assert (mit.parent, mit.kreis, mit.land, mit.parent and mit.parent.parent) == (
                    ohne.parent,
                    ohne.kreis,
                    ohne.land,
                    ohne.parent and ohne.parent.parent,
                )


def test_values_and_values_list_with_a_value_used_twice_and_in_a_list():
    gemeinde = Gebietskoerperschaft.objects.get(ags=HEILIGENSTEDTEN)
    for leistung in Leistung.objects.order_by("ozg_id")[:3]:
        KommunaleUmsetzung.objects.create(
            kommune=gemeinde, leistung=leistung, status=Anschlussstatus.GEPLANT, stand=datetime.date(2026, 1, 5),
            geplant_bis=datetime.date(2027, 3, 31),
        )  # fmt: skip

    def je_status(kommune_id):
        return (
            KommunaleUmsetzung.objects.filter(Q(kommune_id=kommune_id) | Q(kommune__parent_id=kommune_id))
            .order_by("status")
            .values("status", "geplant_bis")
            .annotate(n=Count("pk"))
        )

    def liste(*ids):
        return (
            KommunaleUmsetzung.objects.filter(kommune_id__in=ids)
            .order_by("leistung_id")
            .values_list("leistung_id", "stand")
        )

    assert Vorbereitet(je_status, int)(gemeinde.pk) == list(je_status(gemeinde.pk))
    assert Vorbereitet(je_status, int)(gemeinde.pk)[0]["geplant_bis"] == datetime.date(2027, 3, 31)
    assert Vorbereitet(liste, int, int)(gemeinde.pk, 1) == list(liste(gemeinde.pk, 1))


def test_a_value_the_query_rewrites_is_refused_when_built():
    vorbereitet = Vorbereitet(lambda name: Gebietskoerperschaft.objects.filter(name__startswith=name), str)
    with pytest.raises(ValueError, match="not a plain parameter"):
        vorbereitet("Itz")
