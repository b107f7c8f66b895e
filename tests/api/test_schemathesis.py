"""schemathesis against the committed schema: generated requests to every GET operation of our resources.

No 5xx, documented status codes and content types, bodies and headers that conform to the schema.
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
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

SCHEMA_DATEI = Path(__file__).resolve().parents[2] / "ozgportal" / "api" / "openapi.yaml"

schema = (
    schemathesis.openapi.from_path(SCHEMA_DATEI)
    .include(method="GET")
    # The reports' endpoints belong to berichte/ and have their own tests.
    .exclude(path_regex=r"^/api/v1/berichte/")
)

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
