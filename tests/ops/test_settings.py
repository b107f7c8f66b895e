"""Settings come from the environment; production refuses to start without a real SECRET_KEY."""

import os
import subprocess
import sys

import pytest


def _check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ozgportal.settings.production", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_missing_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    ergebnis = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={**env, "DJANGO_SETTINGS_MODULE": "ozgportal.settings.production"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert ergebnis.returncode != 0
    assert "SECRET_KEY muss in Produktion gesetzt sein" in ergebnis.stderr


@pytest.mark.parametrize("key", ["", "kurz", "unsicher-nur-fuer-die-entwicklung" + "x" * 40])
def test_production_refuses_weak_secret_key(key):
    assert _check({"SECRET_KEY": key}).returncode != 0


@pytest.mark.eingebettet
def test_embedded_default_is_sqlite_with_inline_tasks(settings):
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_without_redis_url_tasks_run_inline(settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is (not os.environ.get("REDIS_URL"))
