"""One error format (RFC 9457 problem details); a bad parameter is a 400 that names it."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/kommunen/?ebene=bundesland", "ebene"),
        ("/api/v1/leistungen/?themenfed=bildung", "themenfed"),
        ("/api/v1/leistungen/?ozg_id=abc", "ozg_id"),
        ("/api/v1/leistungen/?vollzug=bund,irgendwer", "vollzug"),
        ("/api/v1/leistungen/?page=0", "page"),
        ("/api/v1/kommunen/?einwohner__lte=0.5", "einwohner__lte"),
        ("/api/v1/leistungen/?page_size=5000", "page_size"),
        ("/api/v1/leistungen/?ordering=geheim", "ordering"),
        ("/api/v1/kommunen/?ordering=einwohner", "ordering"),
        ("/api/v1/labore/?gestartet_bis_after=", "gestartet_bis_after"),
        ("/api/v1/leistungen/?format=pdf", "format"),
        ("/api/v1/leika/?sdg1=vielleicht", "sdg1"),
        ("/api/v1/kommunen/?einwohner__gte=viele", "einwohner__gte"),
        ("/api/v1/phasenstatus/?stand_am=gestern", "stand_am"),
        ("/api/v1/kommunen/01061/leistungen/?ebene=kreisfrei", "ebene"),
        # A UTC offset no place has (PostgreSQL refuses beyond ±15:59; found by schemathesis).
        ("/api/v1/zustaendigkeiten/?geaendert_am_before=0724-11-09T10%3A42%3A43%2B16%3A40", "geaendert_am"),
    ],
)
def test_bad_parameter_is_400_naming_it(api, url, parameter):
    antwort = api.get(url)
    assert antwort.status_code == 400, antwort.content
    assert antwort["Content-Type"] == "application/problem+json"
    problem = antwort.json()
    assert problem["status"] == 400 and problem["title"] == "Ungültige Anfrage"
    assert [fehler["parameter"] for fehler in problem["errors"]] == [parameter]
    assert f"„{parameter}“" in problem["detail"]


@pytest.mark.parametrize("url", ["/api/v1/leistungen/?page=999", "/api/v1/kommunen/?cursor=kaputt"])
def test_a_page_that_does_not_exist_is_404(api, url):
    # Well-formed (the schema allows any page ≥ 1 and any cursor string), but there is no such page.
    antwort = api.get(url)
    assert antwort.status_code == 404 and antwort["Content-Type"] == "application/problem+json"


def test_range_filters_read_their_documented_names(api):
    assert api.get("/api/v1/labore/?gestartet_bis_after=2019-01-01&gestartet_bis_before=2030-01-01").status_code == 200


def test_errors_are_json_even_when_csv_was_asked(api):
    antwort = api.get("/api/v1/kommunen/?format=csv&ebene=x")
    assert antwort.status_code == 400 and antwort["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/leistungen/99999/",
        "/api/v1/kommunen/99/",
        "/api/v1/kommunen/01061/leistungen/x/",
        "/api/v1/zustaendigkeiten/01.10000/",
        "/api/v1/phasenstatus/bildung.kickoff.kein-datum/",
        "/api/v1/gibt-es-nicht/",
    ],
)
def test_not_found_is_a_problem_too(api, url):
    antwort = api.get(url)
    assert antwort.status_code == 404
    assert antwort["Content-Type"] == "application/problem+json"
    assert antwort.json()["title"] == "Nicht gefunden"


def test_body_errors_name_the_field(api, api_key):
    antwort = api.post(
        "/api/v1/umsetzungsstand/",
        {"land": "01", "leistung": 10000, "status": "fertig", "stand": "2024-01-01"},
        format="json",
        HTTP_AUTHORIZATION=f"Api-Key {api_key}",
    )
    assert antwort.status_code == 400
    assert [fehler["field"] for fehler in antwort.json()["errors"]] == ["status"]


def test_a_constraint_violation_is_a_400_not_a_500(api, api_key):
    daten = {"land": "01", "leistung": 10000, "status": "in_planung", "stand": "2024-01-01", "reifegrad": 6}
    antwort = api.post("/api/v1/umsetzungsstand/", daten, format="json", HTTP_AUTHORIZATION=f"Api-Key {api_key}")
    assert antwort.status_code == 400, antwort.content
    assert "Reifegrad" in antwort.json()["detail"]
