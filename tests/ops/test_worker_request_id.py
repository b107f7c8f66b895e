"""The request id travels with a task into a real Celery worker (subprocess, local Redis)."""

import os
import subprocess
import sys
import time

from django.conf import settings

import pytest

from ozgportal.observability import request_id_var
from ozgportal.tasks import diagnose

pytestmark = pytest.mark.celery_worker  # needs PostgreSQL and Redis; see tests/conftest.py


@pytest.fixture
def worker(tmp_path):
    log = tmp_path / "worker.log"
    with log.open("w") as ausgabe:
        prozess = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ozgportal",
                "worker",
                "-Q",
                "default",
                "--pool=solo",
                "-n",
                f"diagnose-{os.getpid()}@%h",
                "-l",
                "info",
            ],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "ozgportal.settings.test"},
            stdout=ausgabe,
            stderr=subprocess.STDOUT,
        )
    try:
        for _ in range(100):
            if "ready" in log.read_text():
                break
            time.sleep(0.2)
        yield prozess
    finally:
        prozess.terminate()
        prozess.wait(timeout=30)


def test_request_id_reaches_the_worker(worker):
    token = request_id_var.set("anfrage-4711abcd")
    try:
        ergebnis = diagnose.apply_async().get(timeout=30)
    finally:
        request_id_var.reset(token)
    assert ergebnis["request_id"] == "anfrage-4711abcd"
    assert ergebnis["worker"]
