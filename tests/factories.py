"""factory-boy factories for rows the real data lacks. Everything they make is synthetic and says so in its name."""

import datetime

import factory

from catalog.models import Leistung, Themenfeld
from labore.models import Labor, LaborTeilnahme
from themenfelder.choices import TeilnahmeArt
from themenfelder.models import Teilnahme


class LaborFactory(factory.django.DjangoModelFactory):
    """A synthetic Labor in an existing Themenfeld; ``leistungen=[...]`` links real OZG-Leistungen."""

    class Meta:
        model = Labor
        skip_postgeneration_save = True

    themenfeld = factory.LazyFunction(lambda: Themenfeld.objects.order_by("slug").first())
    slug = factory.Sequence(lambda n: f"synthetisches-labor-{n}")
    titel = factory.Sequence(lambda n: f"Synthetisches Labor {n} (Testdaten)")
    bemerkung = "synthetisch, nur für Tests"

    @factory.post_generation
    def leistungen(self, create, extracted, **kwargs):
        if create and extracted:
            self.leistungen.set(extracted)


class TeilnahmeFactory(factory.django.DjangoModelFactory):
    """A synthetic participation of a real Gebietskörperschaft, in the Themenfeld (and Labor) given."""

    class Meta:
        model = Teilnahme

    themenfeld = factory.LazyAttribute(lambda o: o.labor.themenfeld if o.labor else Themenfeld.objects.first())
    labor = None
    art = TeilnahmeArt.NUR_LABOR
    name_im_dokument = factory.Sequence(lambda n: f"Synthetische Kommune {n}")
    stand = datetime.date(2019, 4, 11)
    position = factory.Sequence(lambda n: 1000 + n)

    @classmethod
    def _create(cls, model_class, *args, labor=None, **kwargs):
        # The Labor link belongs to labore (LaborTeilnahme), not to the Teilnahme row.
        teilnahme = super()._create(model_class, *args, **kwargs)
        if labor is not None:
            LaborTeilnahme.objects.create(labor=labor, teilnahme=teilnahme)
        return teilnahme


def leistungen(anzahl: int) -> list[Leistung]:
    """Real OZG-Leistungen to link synthetic rows to."""
    return list(Leistung.objects.order_by("ozg_id")[:anzahl])
