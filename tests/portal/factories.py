"""Test data for the Kommune page (factory_boy). Everything made here is synthetic and exists only in tests."""

import datetime

import factory

from catalog.choices import Anschlussstatus
from catalog.models import KommunaleUmsetzung


class KommunaleUmsetzungFactory(factory.django.DjangoModelFactory):
    """A Kommune-Redaktion's status for one OZG-Leistung (test data, never a fixture)."""

    class Meta:
        model = KommunaleUmsetzung

    status = Anschlussstatus.GEPLANT
    geplant_bis = factory.LazyAttribute(
        lambda o: datetime.date(2027, 6, 30) if o.status == Anschlussstatus.GEPLANT else None
    )
    stand = datetime.date(2026, 1, 15)
