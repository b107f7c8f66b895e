"""API, every resource and route × anonymous, API key and each role: public read, writes as the rules say."""

import pytest
from rest_framework.test import APIClient

from catalog.models import Gebietskoerperschaft, Umsetzungsstand, Zustaendigkeit

from .routen import API_OHNE_SCHREIBPRUEFUNG, KOMMUNE_LEISTUNGEN_FORMAT, api_sonderrouten
from .tabellen import (
    API_RESSOURCEN,
    API_ROLLEN,
    ERLAUBT,
    KIEL,
    LUEBECK,
    api_client,
    api_objekte,
    api_schreiben_soll,
    pruefe,
    schluessel_von,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", [p for p, _ in API_RESSOURCEN])
@pytest.mark.parametrize("rolle", API_ROLLEN)
def test_api_ressource(personen, regional, api_key, rolle, prefix):
    """Every resource: list and detail (also with a format suffix) for all, then POST/PUT/PATCH/DELETE."""
    viewset = dict(API_RESSOURCEN)[prefix]
    client = api_client(personen, rolle, api_key)
    basis = f"/api/v1/{prefix}/"
    # The format-suffix routes answer the same for everyone: requested anonymously only.
    endungen = [".json"] if rolle == "anonym" else []
    for url in [basis, *(f"/api/v1/{prefix}{e}" for e in endungen)]:
        antwort = client.get(url, {"page_size": 2} if "kommunen" not in url else {})
        assert antwort.status_code == 200, (rolle, url, antwort.content[:300])
    zeilen = api_objekte(viewset, rolle, personen, regional)
    for obj, _innen in zeilen:
        schluessel = schluessel_von(viewset, obj)
        for url in [f"{basis}{schluessel}/", *(f"{basis}{schluessel}{e}" for e in endungen)]:
            antwort = client.get(url)
            assert antwort.status_code == 200, (rolle, url, antwort.content[:300])
    # Writes: POST {} to the list, PUT/PATCH {} and DELETE to each row.
    soll = api_schreiben_soll(rolle, viewset, "POST", True)
    antwort = client.post(basis, {}, format="json")
    pruefe(antwort, ERLAUBT["POST"] if soll == "erlaubt" else soll, (rolle, "POST", basis))
    for obj, innen in zeilen:
        url = f"{basis}{schluessel_von(viewset, obj)}/"
        for methode in ("PUT", "PATCH"):
            soll = api_schreiben_soll(rolle, viewset, methode, innen)
            antwort = getattr(client, methode.lower())(url, {}, format="json")
            pruefe(antwort, ERLAUBT[methode] if soll == "erlaubt" else soll, (rolle, methode, url))
            if soll == 403:
                assert antwort["Content-Type"] == "application/problem+json", (rolle, methode, url)


#: Resources whose test row is referenced through PROTECT foreign keys (Themenfeld ← Lage ← Leistung ← LeiKa,
#: Organisation ← TandemRolle): deleting it must be refused with a problem answer (409), not crash.
GESCHUETZT = {"themenfelder", "lagen", "leistungen", "organisationen"}


def _loeschen_faelle():
    for rolle in API_ROLLEN:
        for prefix, _viewset in API_RESSOURCEN:
            yield pytest.param(rolle, prefix, id=f"{rolle}-{prefix}")


@pytest.mark.parametrize(("rolle", "prefix"), list(_loeschen_faelle()))
def test_api_loeschen(personen, regional, api_key, rolle, prefix):
    """DELETE on each row: done (204) or refused because it is still referenced (409) where allowed, else 403."""
    viewset = dict(API_RESSOURCEN)[prefix]
    client = api_client(personen, rolle, api_key)
    for obj, innen in api_objekte(viewset, rolle, personen, regional):
        url = f"/api/v1/{prefix}/{schluessel_von(viewset, obj)}/"
        soll = api_schreiben_soll(rolle, viewset, "DELETE", innen)
        antwort = client.delete(url)
        if soll == "erlaubt" and prefix in GESCHUETZT:
            assert antwort.status_code == 409, (rolle, url, antwort.status_code)
            assert antwort["Content-Type"] == "application/problem+json"
        pruefe(antwort, (204, 409) if soll == "erlaubt" else soll, (rolle, "DELETE", url))
        existiert = type(obj)._default_manager.filter(pk=obj.pk).exists()
        assert existiert is (antwort.status_code != 204), (rolle, url)


@pytest.mark.parametrize("rolle", API_ROLLEN)
def test_api_sonderrouten(personen, api_key, rolle):
    """Read-only API routes: the same answer for everyone."""
    client = api_client(personen, rolle, api_key)
    for url, soll in api_sonderrouten():
        pruefe(client.get(url), soll, (rolle, url))


def _schreib_faelle():
    for url, _ in api_sonderrouten():
        if url in API_OHNE_SCHREIBPRUEFUNG:
            continue
        for rolle in API_ROLLEN:
            yield pytest.param(rolle, url, id=f"{rolle}-{url}")


@pytest.mark.parametrize(("rolle", "url"), list(_schreib_faelle()))
def test_api_sonderrouten_nehmen_keine_schreibanfragen_an(personen, api_key, rolle, url):
    antwort = api_client(personen, rolle, api_key).post(url, {}, format="json")
    assert antwort.status_code in (403, 405), (rolle, "POST", url, antwort.status_code)


def test_api_kommune_leistungen_mit_formatendung():
    antwort = APIClient().get(KOMMUNE_LEISTUNGEN_FORMAT, {"page_size": 2})
    assert antwort.status_code == 200


def test_api_land_redaktion_schreibt_nur_im_eigenen_land(personen, regional, gebiete):
    client = api_client(personen, "land", None)
    neu = {"leistung": 10001, "leika_leistung": None, "ebene": "kreis"}
    antwort = client.post("/api/v1/zustaendigkeiten/", {**neu, "land": "01"}, format="json")
    assert antwort.status_code == 201, antwort.content
    antwort = client.post("/api/v1/zustaendigkeiten/", {**neu, "land": "09"}, format="json")
    assert antwort.status_code == 403, antwort.content
    assert client.patch("/api/v1/zustaendigkeiten/01.10000/", {"ebene": "gemeinde"}, format="json").status_code == 200
    assert client.patch("/api/v1/zustaendigkeiten/09.10000/", {"ebene": "gemeinde"}, format="json").status_code == 403
    # Nor may it move its own new row into another Land: nobody moves a row out of its Bereich (core.bereiche).
    verschoben = client.patch("/api/v1/zustaendigkeiten/01.10001/", {"land": "09"}, format="json")
    assert verschoben.status_code == 400 and [f["field"] for f in verschoben.json()["errors"]] == ["land"]
    assert list(Zustaendigkeit.objects.filter(land=gebiete["by"]).values_list("ebene", flat=True)) == ["land"]


def test_api_kommune_redaktion_schreibt_nur_die_eigene_kommune(personen, regional):
    client = api_client(personen, "kommune", None)
    ars_kiel = Gebietskoerperschaft.objects.get(ags=KIEL).ars
    ars_luebeck = Gebietskoerperschaft.objects.get(ags=LUEBECK).ars
    neu = {"leistung": 10001, "status": "geplant", "stand": "2024-06-01"}
    assert client.post("/api/v1/kommunale-umsetzung/", {**neu, "kommune": ars_kiel}, format="json").status_code == 201
    fremd = client.post("/api/v1/kommunale-umsetzung/", {**neu, "kommune": ars_luebeck}, format="json")
    assert fremd.status_code == 403, fremd.content
    assert client.post("/api/v1/umsetzungsstand/", {}, format="json").status_code == 403


def test_api_key_legt_an_und_loescht(api_key, gebiete):
    client = api_client({}, "api_key", api_key)
    neu = {"land": "01", "leistung": 10002, "status": "in_planung", "stand": "2024-01-01"}
    assert client.post("/api/v1/umsetzungsstand/", neu, format="json").status_code == 201
    assert client.delete("/api/v1/umsetzungsstand/01.10002/").status_code == 204
    assert not Umsetzungsstand.objects.exists()


def test_api_falscher_schluessel_schreibt_nicht(api_key, regional):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Api-Key falsch.falsch")
    assert client.delete("/api/v1/zustaendigkeiten/01.10000/").status_code == 403
    assert Zustaendigkeit.objects.filter(land__ars="01").exists()
