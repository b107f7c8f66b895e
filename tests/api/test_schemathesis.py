"""schemathesis against the committed schema: generated requests to every operation and method of our resources.

As a dashboard developer would run it from outside (``--checks all``): no 5xx, documented status codes and content
types, bodies and headers that conform to the schema, schema-valid requests accepted, schema-invalid ones rejected,
undeclared methods answered 405. Writes carry an API key.
"""

from pathlib import Path

from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi import checks as openapi_checks
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from redaktion.models import ApiSchluessel

SCHEMA_DATEI = Path(__file__).resolve().parents[2] / "ozgportal" / "api" / "openapi.yaml"

schema = (
    schemathesis.openapi.from_path(SCHEMA_DATEI)
    .include(method="GET")
    # The reports' endpoints belong to berichte/ and have their own tests; the federal dashboard's API is checked
    # against the federal schema in tests/dashboard/test_conformance.py.
    .exclude(path_regex=r"^/api/(v1/berichte|dashboard)/")
)

#: Every operation and method, writes included (with an API key).
schema_alle = schemathesis.openapi.from_path(SCHEMA_DATEI).exclude(path_regex=r"^/api/(v1/berichte|dashboard)/")

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture
def wsgi_app():
    # As Django's test client does: a request must not close the test's database connection (PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, wsgi_app, settings):
    settings.ALLOWED_HOSTS = [*django_settings.ALLOWED_HOSTS, "localhost", "testserver"]
    antwort = case.call(app=wsgi_app)
    case.validate_response(antwort, checks=CHECKS)


#: ``--checks all``, except the checks that re-send requests of their own (use_after_free,
#: ensure_resource_availability, ignored_auth): in-process they cannot reach the WSGI app. Writes without a key are
#: covered by tests/api/test_permissions.py.
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
    openapi_checks.allow_header_conformance,
]


@pytest.mark.django_db
@schema_alle.parametrize()
@hypothesis_settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_all_methods_all_checks(case, wsgi_app, settings):
    settings.ALLOWED_HOSTS = [*django_settings.ALLOWED_HOSTS, "localhost", "testserver"]
    headers = {}
    if case.method.upper() != "GET":
        _, key = ApiSchluessel.objects.create_key(name="schemathesis", recht="schreiben")
        headers["Authorization"] = f"Api-Key {key}"
    antwort = case.call(app=wsgi_app, headers=headers)
    case.validate_response(
        antwort,
        checks=ALLE_CHECKS,
        headers=headers,
        transport_kwargs={"app": wsgi_app, "base_url": "http://localhost"},
    )
