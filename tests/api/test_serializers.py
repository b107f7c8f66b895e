"""The hand-written list representations equal DRF's generic ones (which the schema describes)."""

import datetime
from types import SimpleNamespace

from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy as _

import pytest
from rest_framework import serializers as drf
from rest_framework.renderers import JSONRenderer

from catalog import kommunenliste
from catalog.api.serializers import KommuneLeistungSerializer, LeistungSerializer
from catalog.api.views import LeistungViewSet
from catalog.leistungskatalog import katalog_der_anfrage
from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung, Leistung, Umsetzungsstand, Zustaendigkeit
from catalog.zustaendigkeit import ermittle
from core.api.renderers import SchnellJSONRenderer
from core.datenstand import bereich_setzen, datenstand_der_anfrage

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


@pytest.fixture
def jede_art_von_zeile(land_sh):
    """Rows of every kind in Itzehoe: recorded levels (Bund, Land, Kreis, Gemeinde), derived ones (Bund: "laut
    Typisierung"), the Land's status with and without Reifegrad, the Kommune's status real, synthetic or unset."""
    leistungen = list(Leistung.objects.order_by("ozg_id")[:12])
    for leistung, ebene in zip(leistungen, ["bund", "land", "kreis", "gemeinde"], strict=False):
        Zustaendigkeit.objects.create(land=land_sh, leistung=leistung, ebene=ebene)
    for leistung, (status, reifegrad) in zip(
        leistungen[2:], [("online_verfuegbar", 3), ("in_planung", None), ("in_umsetzung", 0)], strict=False
    ):
        Umsetzungsstand.objects.create(
            land=land_sh, leistung=leistung, status=status, reifegrad=reifegrad, stand=datetime.date(2026, 1, 5)
        )
    itzehoe = Gebietskoerperschaft.objects.get(ags="01061046")
    for leistung, synthetisch in zip(leistungen[5:], [False, True, False], strict=False):
        KommunaleUmsetzung.objects.create(
            kommune=itzehoe, leistung=leistung, status="angeschlossen", synthetisch=synthetisch,
            stand=datetime.date(2026, 1, 5),
        )  # fmt: skip
    return itzehoe


@pytest.mark.parametrize("sprache", ["de", "en"])
@pytest.mark.parametrize("schluessel", ["01061046", "01061", "01"])
def test_kommune_leistung_fast_path_equals_the_declared_fields(jede_art_von_zeile, monkeypatch, sprache, schluessel):
    """The hand-written representation of the list's rows is DRF's field-based one of the same rows as the models
    give them (``fuer_kommune``), key for key in the same order, and both renderers write the same bytes."""
    # Outside a transaction (as in production) the Land's part is kept: only the guard is told so.
    monkeypatch.setattr(kommunenliste, "connection", SimpleNamespace(in_atomic_block=False))
    gebiet = Gebietskoerperschaft.objects.by_schluessel(schluessel).get()
    request = RequestFactory().get(f"/api/v1/kommunen/{schluessel}/leistungen/")
    bereich_setzen(request, kommunenliste.gebiet_bereich(schluessel))
    katalog, stand = katalog_der_anfrage(request), datenstand_der_anfrage(request)
    with translation.override(sprache):
        for gespeichert in (False, True):  # the whole list by its query, then from the kept Land part
            zeilen = kommunenliste.ganze_liste_nach_ozg_id(gebiet, katalog, stand)
            assert isinstance(zeilen, kommunenliste.NachOzgId) == gespeichert
            serializer = KommuneLeistungSerializer(zeilen, many=True, context={"gebiet": gebiet})
            schnell = serializer.data
            feld = serializer.child
            modelle = Leistung.objects.fuer_kommune(gebiet).select_related("lage__themenfeld").order_by("ozg_id")
            generisch = []
            for leistung in modelle:
                leistung.abgeleitet = leistung.zustaendigkeit_erfasst is None
                leistung.leistung = katalog.leistungen[leistung.pk]  # the LeiKa keys, as get_leika_schluessel reads
                generisch.append(drf.ModelSerializer.to_representation(feld, leistung))
            assert [list(d.items()) for d in schnell] == [list(d.items()) for d in generisch]
            arten = {
                (d["ebene"], d["abgeleitet"], d["land_reifegrad"] is None, d["kommune_synthetisch"]) for d in schnell
            }
            assert {("bund", True), ("bund", False), ("kreis", False)} <= {a[:2] for a in arten}
            if schluessel == "01061046":
                assert {True, False, None} == {a[3] for a in arten}
            antwort = {"count": len(schnell), "next": None, "previous": None, "results": schnell}
            assert SchnellJSONRenderer().render(antwort) == JSONRenderer().render(antwort)
        kommunenliste._laender.clear()


def test_schnell_json_writes_the_bytes_of_drfs_renderer():
    daten = {
        "text": "".join(map(chr, range(0x80))) + "äß€\u2028\u2029\U0001f600",
        "lazy": _("Bund"),
        "zahlen": [0, -1, 2**63 - 1],
        "wahr": [True, False, None],
        "datum": datetime.date(2026, 1, 5),
        "zeit": datetime.datetime(2026, 1, 5, 12, 30, 1, 123456, tzinfo=datetime.UTC),
        "leer": {},
    }
    assert SchnellJSONRenderer().render(daten) == JSONRenderer().render(daten)
    assert SchnellJSONRenderer().render(daten, "application/json; indent=4") == JSONRenderer().render(
        daten, "application/json; indent=4"
    )
    assert SchnellJSONRenderer().render(None) == b""
