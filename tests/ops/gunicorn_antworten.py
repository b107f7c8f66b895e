"""A test-only WSGI app for tests/ops/test_gunicorn.py: every kind of response Django hands to gunicorn, served by a
real gunicorn. Bodies are ``INHALT`` cut to the length in the path; ``…-abbruch`` paths SIGKILL their own worker
in the middle of the body, as a node dies under ``kill -9``.
"""

import io
import os
import signal
import time

#: Bytes with a period of 251, so that a shifted or lost piece cannot look right.
INHALT = (bytes(range(251)) * ((10 << 20) // 251 + 1))[: 10 << 20]
BLOCK = 4096  # Django's FileResponse.block_size


def _sterben():
    os.kill(os.getpid(), signal.SIGKILL)


class _SterbendeDatei(io.BytesIO):
    """A file whose worker dies at its second block (no fileno: gunicorn would iterate it even with sendfile)."""

    gelesen = 0

    def read(self, n=-1):
        self.gelesen += 1
        if self.gelesen == 2:
            _sterben()
        return super().read(n)


def app(environ, start_response):
    teile = environ["PATH_INFO"].strip("/").split("/")
    art, laenge = teile[0], int(teile[1]) if len(teile) > 1 else 0
    inhalt = INHALT[:laenge]
    laenge_kopf = [("Content-Type", "application/octet-stream"), ("Content-Length", str(laenge))]
    if art == "seite":  # HttpResponse: one piece with Content-Length
        start_response("200 OK", laenge_kopf)
        return [inhalt]
    if art == "teile":  # a body of known length in several pieces
        start_response("200 OK", laenge_kopf)
        return [inhalt[i : i + BLOCK] for i in range(0, laenge, BLOCK)]
    if art == "teile-abbruch":

        def stirbt_nach_dem_ersten_teil():
            yield inhalt[:BLOCK]
            _sterben()
            yield inhalt[BLOCK:]

        start_response("200 OK", laenge_kopf)
        return stirbt_nach_dem_ersten_teil()
    if art in ("strom", "strom-abbruch"):  # StreamingHttpResponse: no Content-Length

        def strom():
            for i in range(0, laenge, BLOCK):
                if i and art == "strom-abbruch":
                    _sterben()
                time.sleep(0.01)
                yield b""  # Django's streaming responses may yield empty pieces
                yield inhalt[i : i + BLOCK]

        start_response("200 OK", [("Content-Type", "text/csv")])
        return strom()
    if art == "datei":  # FileResponse: wsgi.file_wrapper over a real file
        datei = open(os.path.join(os.environ["OZG_TESTDATEIEN"], str(laenge)), "rb")  # noqa: SIM115 - closed by gunicorn
        start_response("200 OK", laenge_kopf)
        return environ["wsgi.file_wrapper"](datei, BLOCK)
    if art == "datei-abbruch":
        start_response("200 OK", laenge_kopf)
        return environ["wsgi.file_wrapper"](_SterbendeDatei(inhalt), BLOCK)
    if art == "leer":
        start_response("204 No Content", [])
        return [b""]
    if art == "unveraendert":  # Django's ConditionalGetMiddleware: 304 with the validator, no body
        start_response("304 Not Modified", [("ETag", '"v1"')])
        return [b""]
    start_response("404 Not Found", [("Content-Length", "0")])
    return [b""]
