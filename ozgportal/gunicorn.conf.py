"""gunicorn settings for every start of the portal: Dockerfile, docker-compose.yml, `make serve` and the multi-node
test all run ``gunicorn -c ozgportal/gunicorn.conf.py ozgportal.wsgi:application --bind …``.

gunicorn loads this file by its path. It imports nothing of the portal on purpose: importing the ``ozgportal``
package loads the Celery app, which sets the dev settings as the default, and the workers would inherit them.
"""

import os

from gunicorn.http import wsgi

workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"

#: A body of known length up to this size leaves together with its header in one write (every page and API answer,
#: every open-data file and report of today: the largest, gebietskoerperschaften.json, has 4.4 MB); a larger one in
#: writes of this size, the first with the header. Bounds the memory a worker holds for one response.
SAMMELN_BIS = 8 << 20


class KopfMitInhalt(wsgi.Response):
    """gunicorn's HTTP/1 response, except that the header leaves the process only together with body bytes.

    gunicorn writes the header with one ``sendall`` and the body with the next (a file with ``sendfile`` after it).
    A node killed with SIGKILL in between has put a bare header on the wire: nginx has already passed it on to the
    client and can no longer try the other node (``proxy_next_upstream`` works only while nothing has been sent),
    so the client gets a response cut short. Here the header waits until the body is complete (known length up to
    SAMMELN_BIS) or until its first bytes are there (streamed bodies, larger ones) and goes out with them in one
    write. What the kernel has accepted it delivers even if the process dies the next instant: a killed node has
    sent either a complete response or nothing at all, and nothing is what nginx retries on the other node (as far
    as the kernel takes the write at once: on loopback about 4 MB even without a reader).
    HEAD, 204 and 304 have no body: their header leaves at ``close()``.
    """

    def __init__(self, req, sock, cfg):
        super().__init__(req, sock, cfg)
        self._kopf = None  # the header's bytes: built, not yet sent
        self._inhalt = []  # body bytes (framed when chunked), not yet sent
        self._inhalt_laenge = 0

    def start_response(self, status, headers, exc_info=None):
        # PEP 3333: after an error the application may replace status and header as long as nothing was sent.
        # Here body bytes may be held back as well; all of it is forgotten.
        if exc_info and not self.headers_sent:
            self.headers, self.response_length, self.sent = [], None, 0
            self._kopf, self._inhalt, self._inhalt_laenge = None, [], 0
        return super().start_response(status, headers, exc_info)

    def can_sendfile(self):
        # sendfile() would put the header on the wire alone, before the file: files go through write() instead.
        return False

    def send_headers(self):
        # gunicorn calls this before every body write and at close(): here it only builds the header.
        if self.headers_sent or self._kopf is not None:
            return
        zeilen = self.default_headers() + [f"{name}: {wert}\r\n" for name, wert in self.headers]
        self._kopf = ("".join(zeilen) + "\r\n").encode("latin-1")

    def _emit_body(self, data):
        # write() has already cut data to the Content-Length and counted it in self.sent. An empty piece sends
        # nothing (the header waits for real bytes), unless it completes a body of length 0.
        if data:
            self._inhalt.append(b"%X\r\n%s\r\n" % (len(data), data) if self.chunked else data)
            self._inhalt_laenge += len(data)
        vollstaendig = self.response_length is not None and self.sent >= self.response_length
        if vollstaendig or (self._inhalt and (self.response_length is None or self._inhalt_laenge >= SAMMELN_BIS)):
            self._senden()

    def close(self):
        self.send_headers()
        self._senden(b"0\r\n\r\n" if self.chunked else b"")

    def _senden(self, schluss=b""):
        daten = b"".join([self._kopf or b"", *self._inhalt, schluss])
        self._kopf, self._inhalt, self._inhalt_laenge = None, [], 0
        if daten:
            self.sock.sendall(daten)
        self.headers_sent = True


def on_starting(server):
    # In the master, before any worker is forked. The sync worker lets gunicorn.http.wsgi.create() pick the
    # module's Response class; tests/ops/test_gunicorn.py fails if that ever stops applying.
    wsgi.Response = KopfMitInhalt


def post_worker_init(worker):
    """The application is loaded in the worker (modules, URLconf, compiled settings): those objects live as long as
    the worker. Frozen (``gc.freeze``), the cyclic collector leaves them out of every full collection, which an
    uncached Kommune page, building tens of thousands of objects, otherwise triggers with each few pages."""
    import gc  # noqa: PLC0415

    gc.freeze()
