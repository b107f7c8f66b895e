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
        # Python reads more than RFC 3339; the schema states RFC 3339, so the server refuses the rest.
        ("/api/v1/zustaendigkeiten/?geaendert_am_after=2024-01-01T10%3A42", "geaendert_am"),
        ("/api/v1/zustaendigkeiten/?geaendert_am_after=2024-01-01x10%3A42%3A00Z", "geaendert_am"),
        ("/api/v1/phasenstatus/?stand_am=20190411", "stand_am"),
        # Paging values are checked for exports too (found by schemathesis: page_size=-24827668&format=xlsx).
        ("/api/v1/phasenstatus/?format=xlsx&page_size=-3", "page_size"),
        ("/api/v1/kommunen/?format=csv&page_size=0", "page_size"),
        # Beyond the schema's +-1e50 (Django's DecimalField itself has no bound).
        ("/api/v1/kommunen/?laengengrad__lte=-1e51", "laengengrad__lte"),
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
        "/api/v1/leika/!/",  # a key the URL pattern refuses
        "/api/v1/leika/%0A/",  # a newline: no route's "." matches it
        "/api/v1/organisationen/+0.0/",  # a dot is no format suffix of a slug
        "/api/gibt-es-nicht/",  # below /api/ but outside every API: the 404 handler
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


def test_an_undeclared_method_is_405_before_any_permission(api, api_key):
    """Gebietskörperschaften are read-only reference data: no write is declared, so every write is 405, with or
    without a key (not 403 first), and Allow names what is declared."""
    for schluessel in (None, api_key):
        kopf = {"HTTP_AUTHORIZATION": f"Api-Key {schluessel}"} if schluessel else {}
        for methode, url in (
            ("post", "/api/v1/kommunen/"),
            ("patch", "/api/v1/kommunen/01/"),
            ("delete", "/api/v1/kommunen/01/"),
        ):
            antwort = getattr(api, methode)(url, {}, format="json", **kopf)
            assert antwort.status_code == 405, (methode, url, schluessel)
            assert antwort["Content-Type"] == "application/problem+json"
            assert antwort["Allow"] == "GET, HEAD, OPTIONS"


def test_a_text_field_takes_only_strings(api, api_key):
    antwort = api.post(
        "/api/v1/organisationen/",
        {"name": 5, "slug": "testdaten-zahl", "art": "bund"},
        format="json",
        HTTP_AUTHORIZATION=f"Api-Key {api_key}",
    )
    assert antwort.status_code == 400
    assert "name" in [fehler["field"] for fehler in antwort.json()["errors"]]


def test_optional_fields_of_a_unique_constraint_may_be_left_out(api, api_key):
    """LeiKa-Schlüssel and OZG-Leistung are optional (schema and model), though UNIQUE together: DRF's validator for
    the constraint would have required both (400 for a schema-valid body; found by schemathesis)."""
    daten = {"zeile": 999_001, "bezeichnung": "Testdaten: LeiKa-Zeile ohne Schlüssel"}
    antwort = api.post("/api/v1/leika/", daten, format="json", HTTP_AUTHORIZATION=f"Api-Key {api_key}")
    assert antwort.status_code == 201, antwort.content
    assert antwort.json()["leika_schluessel"] == "" and antwort.json()["leistung"] is None
