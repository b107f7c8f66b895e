"""The committed OpenAPI schema matches the code; the docs are served from our own static files."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

import pytest
import yaml

SCHEMA = Path(settings.BASE_DIR) / "ozgportal" / "api" / "openapi.yaml"


def test_committed_schema_matches_the_code(tmp_path):
    neu = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(neu))
    assert neu.read_text() == SCHEMA.read_text(), (
        "ozgportal/api/openapi.yaml weicht vom Code ab: `make api-schema` ausführen und die Änderung prüfen."
    )


def test_schema_speaks_german_from_the_models():
    schema = yaml.safe_load(SCHEMA.read_text())
    leistung = schema["components"]["schemas"]["Leistung"]["properties"]
    assert leistung["ozg_id"]["description"].startswith("Fünfstellige Kennung der OZG-Leistung")
    kommune = schema["paths"]["/api/v1/kommunen/{schluessel}/leistungen/"]["get"]
    namen = {p["name"] for p in kommune["parameters"]}
    assert {"ebene", "themenfeld", "q", "page", "page_size", "ordering", "format"} <= namen
    assert "304" in kommune["responses"] and "400" in kommune["responses"]


@pytest.mark.django_db
def test_schema_endpoint_serves_the_same_schema(client):
    antwort = client.get("/api/v1/schema/")
    assert antwort.status_code == 200
    assert yaml.safe_load(antwort.content)["info"]["title"] == "OZG-Portal API"


@pytest.mark.django_db
def test_docs_come_from_our_own_static_files(client):
    antwort = client.get("/api/v1/docs/")
    assert antwort.status_code == 200
    html = antwort.content.decode()
    assert "cdn" not in html.lower() and "unpkg" not in html
    quellen = re.findall(r'(?:src|href)="([^"]+)"', html)
    statisch = [q for q in quellen if q.startswith(settings.STATIC_URL)]
    assert any(q.endswith("swagger-ui-bundle.js") for q in statisch)
    for quelle in statisch:
        assert finders.find(quelle.removeprefix(settings.STATIC_URL)), quelle
    # No inline script (CSP script-src 'self'): the initialiser is its own URL.
    assert "<script>" not in html.replace(" ", "")
    skript = next(q for q in quellen if "script" in q and not q.startswith(settings.STATIC_URL))
    assert client.get(skript).status_code == 200
