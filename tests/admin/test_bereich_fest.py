"""A row stays in its Bereich: the fields that place it there (core.bereiche.bereichsfelder) are read-only in the
admin once it exists. The change log names a row's Bereich after the write, so a row moved to another Kommune or
Land would renew only the new Bereich's pages and ETags, and the old one's would keep showing it."""

from django.contrib import admin
from django.test import RequestFactory

import pytest

from core.aenderungen import verfolgt
from core.bereiche import bereichsfelder
from themenfelder.models import Teilnahme

pytestmark = pytest.mark.django_db


def test_every_admin_of_a_tracked_row_keeps_its_bereich_fields_read_only(fitko):
    request = RequestFactory().get("/admin/")
    request.user = fitko
    geprueft = []
    for model, model_admin in admin.site._registry.items():
        felder = bereichsfelder(model)
        if not felder or not verfolgt(model) or not model_admin.has_change_permission(request):
            continue
        obj = model._default_manager.first() or model()
        obj.pk = obj.pk or 1
        assert set(felder) <= set(model_admin.get_readonly_fields(request, obj)), model._meta.label
        # A new row chooses its Bereich.
        assert not set(felder) & set(model_admin.get_readonly_fields(request, None)), model._meta.label
        geprueft.append(model._meta.label)
    assert {"catalog.KommunaleUmsetzung", "catalog.Zustaendigkeit", "themenfelder.Teilnahme"} <= set(geprueft)


def test_a_teilnahme_posted_with_another_gebiet_keeps_its_own(client, fitko):
    teilnahme = Teilnahme.objects.select_related("gebiet").exclude(gebiet=None).first()
    assert teilnahme is not None, "the seeds record Teilnahmen of Kommunen"
    anderes = type(teilnahme.gebiet).objects.exclude(pk=teilnahme.gebiet_id).filter(ebene="gemeinde").first()
    client.force_login(fitko)
    url = f"/admin/themenfelder/teilnahme/{teilnahme.pk}/change/"
    seite = client.get(url)
    assert seite.status_code == 200
    assert 'name="gebiet"' not in seite.content.decode()
    client.post(url, {"gebiet": anderes.pk, "themenfeld": teilnahme.themenfeld_id, "art": teilnahme.art})
    teilnahme.refresh_from_db()
    assert teilnahme.gebiet_id != anderes.pk
