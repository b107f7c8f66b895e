"""Turning Teilnahme.labor around (issue 12) keeps every link and its history, on SQLite and on PostgreSQL."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from django.conf import settings

import psycopg
import pytest

SKRIPT = Path(__file__).with_name("migration_laborteilnahme.py")


@pytest.fixture
def leere_datenbank(tmp_path):
    """DATABASE_URL of an empty database of the same engine as the test run's, dropped afterwards."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        yield f"sqlite:///{tmp_path / 'migration.sqlite3'}"
        return
    name = f"migration_{uuid.uuid4().hex[:12]}"
    verbindung = {k: db[v] for k, v in {"host": "HOST", "port": "PORT", "user": "USER"}.items() if db.get(v)}
    if db.get("PASSWORD"):
        verbindung["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **verbindung) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        yield os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **verbindung) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_migration_behaelt_jede_verknuepfung_und_ihre_historie(leere_datenbank, tmp_path):
    # Neither Redis nor the shared file cache: the subprocess's commits must not replace the API's Datenstand
    # that the tests running beside it read.
    umgebung = {k: v for k, v in os.environ.items() if k != "REDIS_URL"} | {
        "DATABASE_URL": leere_datenbank,
        "API_DATENSTAND_DIR": str(tmp_path / "datenstand"),
    }
    lauf = subprocess.run(
        [sys.executable, str(SKRIPT)],
        cwd=settings.BASE_DIR,
        env=umgebung,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert lauf.returncode == 0, lauf.stderr[-3000:]
    ergebnis = json.loads(lauf.stdout.strip().splitlines()[-1])

    assert ergebnis["vorher"], "the real data links Teilnahmen to Labore"
    assert ergebnis["nachher"] == ergebnis["vorher"]
    assert not ergebnis["teilnahme_hat_labor"]
    a, b, grund = ergebnis["a"], ergebnis["b"], "synthetisch (Test der Migration)"
    assert ergebnis["verlauf"] == [["+", a, grund], ["~", b, grund], ["-", b, grund]]
