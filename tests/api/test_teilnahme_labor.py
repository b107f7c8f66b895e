"""The Teilnahmen API keeps its field ``labor``; since issue 12 it reads and writes labore.LaborTeilnahme."""

import pytest

from labore.models import LaborTeilnahme
from themenfelder.models import Teilnahme

pytestmark = pytest.mark.django_db


def _schluessel(t: Teilnahme) -> str:
    return f"{t.themenfeld.slug}.{t.stand.isoformat()}.{t.position}"


def test_labor_lesen_setzen_wechseln_und_entfernen_mit_historie(api, api_key):
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {api_key}"}
    verknuepft = LaborTeilnahme.objects.select_related("teilnahme__themenfeld", "labor").first()
    antwort = api.get(f"/api/v1/teilnahmen/{_schluessel(verknuepft.teilnahme)}/")
    assert antwort.json()["labor"]["slug"] == verknuepft.labor.slug

    teilnahme = Teilnahme.objects.filter(laborzuordnung__isnull=True).select_related("themenfeld").first()
    url = f"/api/v1/teilnahmen/{_schluessel(teilnahme)}/"
    assert api.get(url).json()["labor"] is None
    andere = teilnahme.themenfeld.labore.order_by("slug")[:2] or verknuepft.labor.themenfeld.labore.order_by("slug")[:2]
    erstes, zweites = list(andere)[0], list(andere)[-1]

    gesetzt = api.patch(url, {"labor": erstes.slug}, format="json", **auth)
    assert gesetzt.status_code == 200, gesetzt.content
    assert gesetzt.json()["labor"]["slug"] == erstes.slug
    gewechselt = api.patch(url, {"labor": zweites.slug}, format="json", **auth)
    assert gewechselt.json()["labor"]["slug"] == zweites.slug
    assert list(teilnahme.labore.values_list("slug", flat=True)) == [zweites.slug]
    entfernt = api.patch(url, {"labor": None}, format="json", **auth)
    assert entfernt.status_code == 200 and entfernt.json()["labor"] is None
    assert not teilnahme.labore.exists()

    verlauf = LaborTeilnahme.history.filter(teilnahme_id=teilnahme.pk).order_by("history_date", "history_id")
    assert [(h.history_type, h.labor_id) for h in verlauf] == [("+", erstes.pk), ("~", zweites.pk), ("-", zweites.pk)]
    # Filter by Labor, as before.
    gefiltert = api.get(f"/api/v1/teilnahmen/?labor={verknuepft.labor.slug}").json()
    assert gefiltert["count"] == verknuepft.labor.teilnahmen.count()


def test_unbekanntes_labor_wird_abgelehnt_und_nichts_geschrieben(api, api_key):
    teilnahme = Teilnahme.objects.filter(laborzuordnung__isnull=True).select_related("themenfeld").first()
    antwort = api.patch(
        f"/api/v1/teilnahmen/{_schluessel(teilnahme)}/",
        {"labor": "gibt-es-nicht", "befund": "geändert"},
        format="json",
        HTTP_AUTHORIZATION=f"Api-Key {api_key}",
    )
    assert antwort.status_code == 409  # a reference to an unknown key conflicts with the stored data (README)
    assert "labor" in antwort.content.decode()
    teilnahme.refresh_from_db()
    assert teilnahme.befund != "geändert" and not teilnahme.labore.exists()
