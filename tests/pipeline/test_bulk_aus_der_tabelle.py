"""Many created rows on PostgreSQL: the database writes their log entries from the stored rows (one INSERT …
SELECT). Each entry must say exactly what the per-row Python path says: key, scope, history row, after-image."""

import datetime

from django.db import transaction

import pytest

from catalog.models import Gebietskoerperschaft, Leistung, Umsetzungsstand
from core.aenderungen import bulk_schreiben
from core.bereiche import Bereiche, schluessel_von, werte_von
from core.models import Aenderung

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_angelegte_umsetzungsstaende_tragen_schluessel_bereich_und_historie():
    laender = list(Gebietskoerperschaft.objects.filter(ebene="land").order_by("ars"))
    belegt = set(Umsetzungsstand.objects.values_list("land_id", "leistung_id"))
    paare = [
        (land, le) for le in Leistung.objects.order_by("ozg_id") for land in laender if (land.pk, le.pk) not in belegt
    ]
    assert len(paare) > 250
    with transaction.atomic():
        vorher = Aenderung.objects.order_by("-id").values_list("id", flat=True).first() or 0
        zeilen = [
            Umsetzungsstand(land=land, leistung=le, status="in_planung", stand=datetime.date(2024, 1, 1))
            for land, le in paare[:250]
        ]
        bulk_schreiben(Umsetzungsstand, neu=zeilen, grund="Test (synthetisch)")
        eintraege = list(Aenderung.objects.filter(id__gt=vorher).order_by("id"))
        assert [e.objekt_id for e in eintraege] == [z.pk for z in zeilen]
        bereiche = Bereiche(zeilen)
        historie = {h.id: h.history_id for h in Umsetzungsstand.history.filter(id__in=[z.pk for z in zeilen])}
        for e, z in zip(eintraege, zeilen, strict=True):
            land_ars, gebiet_ars, themenfeld = bereiche.fuer(z)
            assert themenfeld and gebiet_ars  # the joins found something: the comparison is not '' == ''
            assert (e.modell, e.aktion, e.schluessel) == ("catalog.Umsetzungsstand", "angelegt", schluessel_von(z))
            assert (e.land_ars, e.gebiet_ars, e.themenfeld) == (land_ars, gebiet_ars, themenfeld)
            assert e.historie_id == historie[z.pk] and e.vorher is None
            assert set(e.nachher) == set(werte_von(z)) and e.nachher["leistung_id"] == z.leistung_id
        assert len({e.transaktion for e in eintraege}) == 1 and len({e.sekunde for e in eintraege}) == 1
        transaction.set_rollback(True)
