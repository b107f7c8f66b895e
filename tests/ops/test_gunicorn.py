"""gunicorn with the portal's config (ozgportal/gunicorn.conf.py): a response's header leaves together with its
body, so a worker killed with SIGKILL has sent either a complete response or nothing (which nginx retries on another
node, tests/ops/test_mehrknoten.py), and every kind of response is byte for byte what stock gunicorn sends.

Two levels. The response class on a SOCK_SEQPACKET socket pair, which keeps the boundary of every write, so the
writes can be counted (stock gunicorn's for comparison). And a real gunicorn on 127.0.0.1 serving the test app
tests/ops/gunicorn_antworten.py, once with the config and once without.
"""

import contextlib
import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

import pytest
from gunicorn.config import Config
from gunicorn.http import wsgi
from gunicorn.http.parser import RequestParser

from tests.ops.gunicorn_antworten import BLOCK, INHALT

KONFIG = Path(settings.BASE_DIR) / "ozgportal" / "gunicorn.conf.py"
MITTEL = 4_500_000  # below SAMMELN_BIS, the size of the largest open-data file
GROSS = 9 * (1 << 20) + 17  # above SAMMELN_BIS, not a multiple of a block


def _konfig():
    """The config file as gunicorn loads it (by path); its on_starting hook, which installs the class, is not run."""
    spec = importlib.util.spec_from_file_location("ozgportal_gunicorn_conf", KONFIG)
    modul = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modul)
    return modul


# --- the response class, write by write ---------------------------------------------------------------------------


def _schreibvorgaenge(klasse, antworten, methode="GET", version="1.1") -> list[bytes]:
    """Every write a response makes on its socket, one record each."""
    cfg = Config()
    anfrage = next(RequestParser(cfg, iter([f"{methode} / HTTP/{version}\r\nHost: x\r\n\r\n".encode()]), ("x", 1)))
    sender, empfaenger = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    with sender, empfaenger:
        antwort = klasse(anfrage, sender, cfg)
        antworten(antwort)
        antwort.close()
        empfaenger.setblocking(False)
        records = []
        with contextlib.suppress(BlockingIOError):
            while True:
                records.append(empfaenger.recv(1 << 20))
    return records


def _einteilig(laenge):
    def antworten(antwort):
        antwort.start_response("200 OK", [("Content-Length", str(laenge))])
        antwort.write(INHALT[:laenge])

    return antworten


def _datei(pfad, laenge):
    def antworten(antwort):
        antwort.start_response("200 OK", [("Content-Length", str(laenge))])
        with open(pfad, "rb") as datei:  # a real file: stock gunicorn would sendfile() it after the header
            antwort.write_file(wsgi.FileWrapper(datei, BLOCK))

    return antworten


def _strom(teile):
    def antworten(antwort):
        antwort.start_response("200 OK", [("Content-Type", "text/csv")])
        for teil in teile:
            antwort.write(teil)

    return antworten


def test_stock_gunicorn_writes_header_and_body_separately_the_config_in_one(tmp_path):
    klasse = _konfig().KopfMitInhalt
    kopf, inhalt = _schreibvorgaenge(wsgi.Response, _einteilig(5000))
    assert kopf.startswith(b"HTTP/1.1 200 OK\r\n") and kopf.endswith(b"\r\n\r\n") and inhalt == INHALT[:5000]
    (einzig,) = _schreibvorgaenge(klasse, _einteilig(5000))
    assert _ohne_datum(einzig) == _ohne_datum(kopf + inhalt)

    pfad = tmp_path / "datei"
    pfad.write_bytes(INHALT[:50_000])  # 13 blocks
    (einzig,) = _schreibvorgaenge(klasse, _datei(pfad, 50_000))
    assert einzig.startswith(b"HTTP/1.1 200 OK\r\n") and einzig.endswith(b"\r\n\r\n" + INHALT[:50_000])


@pytest.mark.parametrize(
    ("methode", "status", "kopf"),
    [("HEAD", "200 OK", [("Content-Length", "5000")]), ("GET", "204 No Content", []),
     ("GET", "304 Not Modified", [("ETag", '"v1"')])],
)  # fmt: skip
def test_a_response_without_body_still_sends_its_header_once(methode, status, kopf):
    def antworten(antwort):
        antwort.start_response(status, kopf)
        antwort.write(b"" if methode == "GET" else INHALT[:5000])  # HEAD: Django hands over the body all the same

    (einzig,) = _schreibvorgaenge(_konfig().KopfMitInhalt, antworten, methode=methode)
    assert einzig.startswith(f"HTTP/1.1 {status}\r\n".encode()) and einzig.endswith(b"\r\n\r\n")
    assert (b"Content-Length: 5000\r\n" in einzig) == (methode == "HEAD")


def test_a_stream_sends_its_header_with_the_first_piece_then_each_piece_as_it_comes():
    klasse = _konfig().KopfMitInhalt
    teile = [b"", b"a;b\r\n", b"", b"1;2\r\n", b"3;4\r\n"]
    erster, *weitere = _schreibvorgaenge(klasse, _strom(teile))
    assert b"Transfer-Encoding: chunked\r\n" in erster and erster.endswith(b"\r\n\r\n5\r\na;b\r\n\r\n")
    assert weitere == [b"5\r\n1;2\r\n\r\n", b"5\r\n3;4\r\n\r\n", b"0\r\n\r\n"]
    # HTTP/1.0 (nginx's default towards its upstreams): no chunks, the end of the body is the end of the connection.
    erster, *weitere = _schreibvorgaenge(klasse, _strom(teile), version="1.0")
    assert b"chunked" not in erster and erster.endswith(b"\r\n\r\na;b\r\n") and weitere == [b"1;2\r\n", b"3;4\r\n"]


def test_a_body_above_the_bound_goes_in_bounded_writes_the_first_with_the_header(monkeypatch):
    konfig = _konfig()
    monkeypatch.setattr(konfig, "SAMMELN_BIS", 10_000)

    def antworten(antwort):
        antwort.start_response("200 OK", [("Content-Length", "25000")])
        for i in range(0, 25_000, BLOCK):
            antwort.write(INHALT[i : i + BLOCK])

    records = _schreibvorgaenge(konfig.KopfMitInhalt, antworten)
    kopf, _, erster = records[0].partition(b"\r\n\r\n")
    assert [len(r) for r in [erster, *records[1:]]] == [3 * BLOCK, 3 * BLOCK, 25_000 - 6 * BLOCK]
    assert erster + b"".join(records[1:]) == INHALT[:25_000]


def test_an_application_may_replace_status_and_header_after_an_error_while_nothing_was_sent():
    def antworten(antwort):
        antwort.start_response("200 OK", [("Content-Length", "25000")])
        antwort.write(INHALT[:BLOCK])  # held back: the body is not complete
        try:
            raise ValueError("beim Bauen des Inhalts")
        except ValueError:
            antwort.start_response("500 Internal Server Error", [("Content-Length", "6")], sys.exc_info())
        antwort.write(b"Fehler")

    (einzig,) = _schreibvorgaenge(_konfig().KopfMitInhalt, antworten)
    assert einzig.startswith(b"HTTP/1.1 500 Internal Server Error\r\n") and einzig.endswith(b"\r\n\r\nFehler")
    assert einzig.count(b"Content-Length") == 1


# --- a real gunicorn -------------------------------------------------------------------------------------------------


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Two gunicorns serving the test app, one worker each: ``mit`` the portal's config, ``ohne`` (stock)."""
    dateien = tmp_path_factory.mktemp("dateien")
    for laenge in (10_000, MITTEL, GROSS):
        (dateien / str(laenge)).write_bytes(INHALT[:laenge])
    env = {**os.environ, "PYTHONPATH": str(settings.BASE_DIR), "OZG_TESTDATEIEN": str(dateien)}
    prozesse, ports = {}, {}
    for name, konfig in (("mit", ["-c", str(KONFIG)]), ("ohne", [])):
        ports[name] = _port()
        ordner = tmp_path_factory.mktemp(name)  # no gunicorn.conf.py here: "ohne" really is stock
        prozesse[name] = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *konfig, "--bind", f"127.0.0.1:{ports[name]}", "--workers", "1",
             "tests.ops.gunicorn_antworten:app"],
            cwd=ordner, env=env, stdout=(ordner / "log").open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        for name, port in ports.items():
            ende = time.monotonic() + 30
            while _roh(port, "GET", "/seite/1") == b"":
                assert time.monotonic() < ende and prozesse[name].poll() is None, f"gunicorn {name} startet nicht"
                time.sleep(0.2)
        yield ports
    finally:
        for prozess in prozesse.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(prozess.pid, signal.SIGTERM)
            prozess.wait(timeout=30)


def _roh(port, methode, pfad, version="1.1") -> bytes:
    """Everything the server sends until it closes the connection (b"" if it closes without answering)."""
    daten = b""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(f"{methode} {pfad} HTTP/{version}\r\nHost: 127.0.0.1\r\n\r\n".encode())
            while stueck := s.recv(1 << 20):
                daten += stueck
    except ConnectionError:
        pass
    return daten


def _ohne_datum(roh: bytes) -> bytes:
    return re.sub(rb"\r\nDate: [^\r]*", b"", roh, count=1)


def _zerlegen(roh: bytes, methode="GET") -> tuple[str, dict[str, str], bytes, bool]:
    """Status line, header, body (chunks joined) and whether the body is complete by its own framing."""
    kopf, _, rest = roh.partition(b"\r\n\r\n")
    status, *zeilen = kopf.decode("latin-1").split("\r\n")
    felder = dict(zeile.split(": ", 1) for zeile in zeilen)
    if methode == "HEAD":  # the Content-Length of the GET, and no body
        return status, felder, rest, rest == b""
    if felder.get("Transfer-Encoding") == "chunked":
        inhalt = b""
        while rest:
            groesse, _, rest = rest.partition(b"\r\n")
            if int(groesse, 16) == 0:
                return status, felder, inhalt, rest == b"\r\n"
            inhalt, rest = inhalt + rest[: int(groesse, 16)], rest[int(groesse, 16) + 2 :]
        return status, felder, inhalt, False
    if "Content-Length" in felder:
        return status, felder, rest, len(rest) == int(felder["Content-Length"])
    return status, felder, rest, True


@pytest.mark.parametrize(
    ("methode", "pfad", "version", "status", "laenge"),
    [
        ("GET", "/seite/50000", "1.1", "200 OK", 50_000),
        ("GET", "/seite/0", "1.1", "200 OK", 0),
        ("GET", f"/seite/{GROSS}", "1.1", "200 OK", GROSS),
        ("GET", "/teile/100000", "1.1", "200 OK", 100_000),
        ("GET", f"/teile/{GROSS}", "1.1", "200 OK", GROSS),
        ("GET", "/datei/10000", "1.1", "200 OK", 10_000),
        ("GET", f"/datei/{MITTEL}", "1.1", "200 OK", MITTEL),
        ("GET", f"/datei/{GROSS}", "1.1", "200 OK", GROSS),
        ("GET", "/datei/10000", "1.0", "200 OK", 10_000),
        ("HEAD", "/seite/50000", "1.1", "200 OK", 0),
        ("HEAD", "/datei/10000", "1.1", "200 OK", 0),
        ("GET", "/leer", "1.1", "204 No Content", 0),
        ("GET", "/unveraendert", "1.1", "304 Not Modified", 0),
        ("GET", "/strom/20000", "1.1", "200 OK", 20_000),
        ("GET", "/strom/20000", "1.0", "200 OK", 20_000),
    ],
)
def test_every_kind_of_response_is_byte_for_byte_what_stock_gunicorn_sends(
    server, methode, pfad, version, status, laenge
):
    mit, ohne = (_roh(server[name], methode, pfad, version) for name in ("mit", "ohne"))
    assert _ohne_datum(mit) == _ohne_datum(ohne)
    erhalten_status, felder, inhalt, vollstaendig = _zerlegen(mit, methode)
    assert erhalten_status == f"HTTP/{version} {status}" and vollstaendig
    assert inhalt == INHALT[:laenge]
    if methode == "HEAD":
        assert felder["Content-Length"] == pfad.rsplit("/", 1)[1]
    if pfad == "/unveraendert":
        assert felder["ETag"] == '"v1"'


@pytest.mark.parametrize("pfad", ["/teile-abbruch/20000", "/datei-abbruch/20000"])
def test_a_worker_killed_mid_body_has_sent_nothing_with_the_config_a_bare_start_without(server, pfad):
    # With the config nothing left the worker, so a proxy may send the request to another node.
    assert _roh(server["mit"], "GET", pfad) == b""
    # Stock gunicorn had sent the header and the first block: a proxy has passed them on and can only cut the
    # response short.
    status, felder, inhalt, vollstaendig = _zerlegen(_roh(server["ohne"], "GET", pfad))
    assert status == "HTTP/1.1 200 OK" and inhalt == INHALT[:BLOCK] and not vollstaendig


def test_a_stream_cut_by_a_killed_worker_is_seen_incomplete_by_its_framing(server):
    # A stream cannot be held back until its end. Its first piece has left with the header; over HTTP/1.1 the
    # missing last chunk tells the proxy (and any client) that it is cut (nginx: proxy_http_version 1.1).
    status, _felder, inhalt, vollstaendig = _zerlegen(_roh(server["mit"], "GET", "/strom-abbruch/20000"))
    assert status == "HTTP/1.1 200 OK" and inhalt == INHALT[:BLOCK] and not vollstaendig
