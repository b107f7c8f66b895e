"""Fixtures of the open-data tests: a private OPENDATA_DIR, tasks inline (also with REDIS_URL), a webhook receiver."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.contrib.auth.models import Group, User

import pytest

from ozgportal.celery import app as celery_app
from redaktion import rules as rollen


@pytest.fixture
def opendata_dir(settings, tmp_path):
    settings.OPENDATA_DIR = tmp_path / "opendata"
    return settings.OPENDATA_DIR


@pytest.fixture
def inline():
    """Run Celery tasks in the test's process, also when REDIS_URL would send them to a worker."""
    alt = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = alt


class Empfaenger:
    """A real HTTP server on 127.0.0.1 that records every POST; answers 500 to the first ``fehler`` requests."""

    def __init__(self):
        self.anfragen = []
        self.fehler = 0
        empfaenger = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                laenge = int(self.headers.get("Content-Length", 0))
                inhalt = self.rfile.read(laenge)
                empfaenger.anfragen.append(
                    {"headers": {k.lower(): v for k, v in self.headers.items()}, "inhalt": inhalt}
                )
                if empfaenger.fehler > 0:
                    empfaenger.fehler -= 1
                    self.send_response(500)
                else:
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/haken"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def sequenzen(self):
        return [json.loads(a["inhalt"])["sequenz"] for a in self.anfragen]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def empfaenger():
    e = Empfaenger()
    yield e
    e.stop()


def person(name, rolle=None, **extra) -> User:
    user = User.objects.create_user(
        name, f"{name}@example.org", "Lange-Sichere-Passphrase-2024", is_staff=True, **extra
    )
    if rolle:
        user.groups.add(Group.objects.get(name=rolle))
    return user


@pytest.fixture
def fitko(db):
    return person("fitko-od", rollen.FITKO)


@pytest.fixture
def land_redaktion(db):
    return person("land-od", rollen.LAND)
