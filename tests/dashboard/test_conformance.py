"""Conformance: schemathesis with the FEDERAL openapi.yaml (server URL replaced by ours), every operation, all checks.

A dashboard written against the federal "Dashboard Digitale Verwaltung" API must work against
``/api/dashboard/v1/`` unchanged: schema-valid requests are answered 2xx with bodies matching the federal schemas,
schema-invalid ones are rejected with a documented status and content type.
"""

from pathlib import Path

from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi import checks as openapi_checks

SPEC = Path(__file__).resolve().parents[2] / "dashboard" / "spec" / "openapi.yaml"

_roh = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
_roh["servers"] = [{"url": "http://testserver/api/dashboard/"}]
schema = schemathesis.openapi.from_dict(_roh)

ALLE_CHECKS = [
    not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.negative_data_rejection,
    openapi_checks.positive_data_acceptance,
    openapi_checks.missing_required_header,
    openapi_checks.unsupported_method,
    openapi_checks.use_after_free,
    openapi_checks.ensure_resource_availability,
    openapi_checks.ignored_auth,
    openapi_checks.allow_header_conformance,
]


@pytest.fixture
def wsgi_app():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def zeilen(tmp_path, leika):
    """Synthetic TEST DATA rows on every level, so that pages have content to check against the federal schema."""
    from dashboard.importers import importiere

    from .conftest import schreibe_csv, zeile

    pfad = schreibe_csv(
        tmp_path / "testdaten-konformitaet.csv",
        [
            zeile("010510044044", leika[0][0], art="bundesweit flächendeckend"),
            zeile("010510044044", leika[1][0], art="landesweit flächendeckend", aktiv=""),
            zeile("010510044044", leika[2][0], art="kreisweit flächendeckend", status="nicht ok"),
            zeile("010510044044", leika[3][0], art="in mind. einer Kommune verfügbar", aktiv="nein"),
            zeile("010510044044", ozgid=str(leika[4][1]), art="in mind. einer Kommune verfügbar"),
        ],
    )
    importiere([(pfad.name, pfad)])


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_federal_schema_conformance(case, wsgi_app, settings, zeilen):
    settings.ALLOWED_HOSTS = [*django_settings.ALLOWED_HOSTS, "testserver"]
    antwort = case.call(app=wsgi_app)
    case.validate_response(antwort, checks=ALLE_CHECKS)
