"""A client generated from the committed schema by a standard generator (openapi-python-client) compiles and reads.

The generator runs on ``ozgportal/api/openapi.yaml`` into a temporary directory; the generated package talks to the
portal through httpx's WSGI transport (no network).
"""

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

import httpx
import pytest

SCHEMA_DATEI = Path(__file__).resolve().parents[2] / "ozgportal" / "api" / "openapi.yaml"


@pytest.fixture(scope="module")
def client_paket(tmp_path_factory):
    ordner = tmp_path_factory.mktemp("generiert")
    programm = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
    assert programm, "openapi-python-client fehlt (make install)"
    ergebnis = subprocess.run(
        [
            programm,
            "generate",
            "--path",
            str(SCHEMA_DATEI),
            "--meta",
            "none",
            "--output-path",
            str(ordner / "ozg_client"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert ergebnis.returncode == 0, ergebnis.stdout + ergebnis.stderr
    # Compiles: every generated module is imported below; syntax errors would fail here.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ordner / "ozg_client")], check=True)
    sys.path.insert(0, str(ordner))
    try:
        yield importlib.import_module("ozg_client")
    finally:
        sys.path.remove(str(ordner))


@pytest.fixture
def wsgi_app():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_generated_client_reads_list_detail_and_a_kommunes_leistungen(client_paket, wsgi_app, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    leistungen = importlib.import_module("ozg_client.api.leistungen.leistungen_list")
    detail = importlib.import_module("ozg_client.api.leistungen.leistungen_retrieve")
    kommune = importlib.import_module("ozg_client.api.kommunen.kommunen_leistungen_list")
    client = client_paket.AuthenticatedClient(
        base_url="http://testserver",
        token="nur-lesen",
        prefix="Api-Key",
        httpx_args={"transport": httpx.WSGITransport(app=wsgi_app)},
        raise_on_unexpected_status=True,
    )
    seite = leistungen.sync(client=client, page_size=5, ordering="ozg_id")
    assert seite.count == 557 and [eintrag.ozg_id for eintrag in seite.results] == [10000, 10001, 10002, 10003, 10004]
    elterngeld = detail.sync("10000", client=client)
    assert elterngeld.ozg_id == 10000 and elterngeld.name.startswith("Elterngeld")
    heide = kommune.sync("01051044", client=client, page_size=10)
    assert heide.results and all(eintrag.ozg_id for eintrag in heide.results)
