"""Import from a URL of the federal API: every page is followed; bounded; a hanging or missing server fails clearly.

The servers run on 127.0.0.1 in this process and serve synthetic TEST DATA pages.
"""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from django.core.management import CommandError, call_command

import pytest

from dashboard.models import Onlinedienst

from .conftest import KOPFZEILE, zeile

pytestmark = pytest.mark.django_db

HEIDE = "010510044044"


@pytest.fixture
def server():
    """Starts a handler class on a free port of 127.0.0.1; yields a function returning the base URL."""
    laufende = []

    def starten(handler):
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        laufende.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    yield starten
    for httpd in laufende:
        httpd.shutdown()
        httpd.server_close()


def _seiten_handler(seiten, abrufe):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            nummer = int(parse_qs(urlsplit(self.path).query).get("page", ["0"])[0])
            abrufe.append(self.path)
            inhalt = {
                "_hinweis": KOPFZEILE,
                "content": seiten[nummer],
                "number": nummer,
                "totalPages": len(seiten),
                "last": nummer == len(seiten) - 1,
            }
            daten = json.dumps(inhalt).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(daten)))
            self.end_headers()
            self.wfile.write(daten)

        def log_message(self, *args):
            pass

    return Handler


def test_all_pages_are_followed(server, leika, capsys):
    seiten = [
        [zeile(HEIDE, k, art="in mind. einer Kommune verfügbar") for k, _ in leika[i * 3 : i * 3 + 3]] for i in range(4)
    ]
    abrufe = []
    basis = server(_seiten_handler(seiten, abrufe))
    call_command("import_dashboard", f"{basis}/api/v1/data/{HEIDE}?includeAbove=false&size=3")
    assert Onlinedienst.objects.count() == 12
    assert [parse_qs(urlsplit(p).query)["page"] for p in abrufe] == [["0"], ["1"], ["2"], ["3"]]
    assert all("includeAbove=false" in p for p in abrufe)


def test_page_limit_and_byte_limit(server, leika):
    seiten = [[zeile(HEIDE, k, art="in mind. einer Kommune verfügbar")] for k, _ in leika[:5]]
    basis = server(_seiten_handler(seiten, []))
    with pytest.raises(CommandError, match="mehr als 2 Seiten"):
        call_command("import_dashboard", f"{basis}/v1/data", "--max-seiten=2")
    with pytest.raises(CommandError, match="mehr als 500 Bytes"):
        call_command("import_dashboard", f"{basis}/v1/data", "--max-bytes=500")
    assert not Onlinedienst.objects.exists()


def test_a_hanging_server_times_out_with_a_clear_error(server):
    freigabe = threading.Event()

    class Haengt(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            freigabe.wait(10)

        def log_message(self, *args):
            pass

    basis = server(Haengt)
    try:
        with pytest.raises(CommandError, match=r"keine Antwort innerhalb von 0\.5 s"):
            call_command("import_dashboard", f"{basis}/v1/data", "--timeout=0.5")
    finally:
        freigabe.set()


def test_unreachable_server_is_named():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        frei = s.getsockname()[1]
    with pytest.raises(CommandError, match=rf"127\.0\.0\.1:{frei}/v1/data\?page=0: nicht erreichbar"):
        call_command("import_dashboard", f"http://127.0.0.1:{frei}/v1/data", "--timeout=2")


def test_error_status_is_named(server):
    class Fehlt(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_error(503)

        def log_message(self, *args):
            pass

    basis = server(Fehlt)
    with pytest.raises(CommandError, match="HTTP 503"):
        call_command("import_dashboard", f"{basis}/v1/data")
