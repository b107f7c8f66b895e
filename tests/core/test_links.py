"""Every model's page link is reversed from its URL name (no fixed path) and answers with the page."""

from django.apps import apps
from django.urls import resolve

import pytest

pytestmark = pytest.mark.django_db


def _modelle_mit_seite():
    return [m for m in apps.get_models() if hasattr(m, "get_absolute_url") and m.__module__.split(".")[0] != "django"]


def test_every_page_link_resolves_and_answers(client):
    modelle = _modelle_mit_seite()
    assert {m._meta.label for m in modelle} >= {
        "catalog.Themenfeld",
        "catalog.Leistung",
        "catalog.Gebietskoerperschaft",
        "labore.Labor",
    }
    for model in modelle:
        obj = model.objects.order_by("pk").first()
        assert obj is not None, f"{model._meta.label}: keine Zeile in den echten Daten"
        link = obj.get_absolute_url()
        assert resolve(link).url_name, link
        assert client.get(link).status_code == 200, link
