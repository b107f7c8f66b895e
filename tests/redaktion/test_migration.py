"""Redaktionszuordnung moved from ozgportal to redaktion without copying its tables.

A fresh database migrates from zero; an existing one (data written under the old app label) keeps its rows, its
history and its groups' permissions. Runs on the suite's own database engine: a scratch SQLite file, or a scratch
PostgreSQL database beside the test database when DATABASE_URL points at PostgreSQL.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

import psycopg
import pytest

from ozgportal.management.commands.restore import neue_bezeichnung

WURZEL = Path(__file__).resolve().parents[2]

DATEN_ANLEGEN = """
from django.contrib.auth.models import Group, User
from catalog.models import Gebietskoerperschaft
from redaktion.models import Redaktionszuordnung
land = Gebietskoerperschaft.objects.create(ars="01", name="Testland (synthetisch)", ebene="land")
user = User.objects.create(username="redakteurin")
user.groups.add(Group.objects.get(name="FITKO-Redaktion"))
Redaktionszuordnung.objects.create(user=user, gebiet=land, bemerkung="synthetisch")
"""

DATEN_PRUEFEN = """
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from redaktion.models import Redaktionszuordnung
z = Redaktionszuordnung.objects.get()
assert (z.user.username, z.gebiet.ars, z.bemerkung) == ("redakteurin", "01", "synthetisch"), z
assert z.history.count() == 1
assert User.objects.get(username="redakteurin").has_perm("redaktion.change_redaktionszuordnung")
assert not ContentType.objects.filter(app_label="ozgportal").exists()
print("ok")
"""


@pytest.fixture
def leere_datenbank(tmp_path):
    """DATABASE_URL of an empty database of the suite's engine; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'leer.sqlite3'}"
        return
    db = settings.DATABASES["default"]
    name = f"mig_{uuid.uuid4().hex[:10]}"
    verbindung = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
    verbindung["dbname"] = "postgres"
    with psycopg.connect(**verbindung, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{name}"
    finally:
        with psycopg.connect(**verbindung, autocommit=True) as c:
            c.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _manage(database_url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "ozgportal.settings.test"}
    env.pop("REDIS_URL", None)
    if args[0] == "shell":
        args = (*args, "--no-imports")
    ergebnis = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=WURZEL, env=env, capture_output=True, text=True, timeout=300
    )
    assert ergebnis.returncode == 0, ergebnis.stdout + ergebnis.stderr
    return ergebnis.stdout


def test_von_null_und_aus_dem_alten_stand(leere_datenbank):
    _manage(leere_datenbank, "migrate", "--noinput")
    _manage(leere_datenbank, "setup_rollen")
    _manage(leere_datenbank, "shell", "-c", DATEN_ANLEGEN)
    assert _manage(leere_datenbank, "shell", "-c", DATEN_PRUEFEN).strip() == "ok"

    # Back to the state before the move (the rows under the old app label), then forward again as an existing
    # installation would migrate: nothing is lost, the permissions still hold.
    _manage(leere_datenbank, "migrate", "redaktion", "zero", "--noinput")
    alt = _manage(
        leere_datenbank,
        "shell",
        "-c",
        "from django.contrib.contenttypes.models import ContentType;"
        "print(sorted(ContentType.objects.filter(app_label='ozgportal').values_list('model', flat=True)))",
    )
    assert alt.strip() == "['historicalredaktionszuordnung', 'redaktionszuordnung']"
    _manage(leere_datenbank, "migrate", "--noinput")
    assert _manage(leere_datenbank, "shell", "-c", DATEN_PRUEFEN).strip() == "ok"


def test_keine_fehlende_migration(tmp_path):
    _manage(f"sqlite:///{tmp_path / 'leer.sqlite3'}", "makemigrations", "--check", "--dry-run")


def test_alte_sicherung_nennt_die_neue_app():
    # A backup written before the move names the ozgportal app for the rows and for the groups' permissions.
    zuordnung = {"model": "ozgportal.redaktionszuordnung", "pk": 1, "fields": {"bemerkung": ""}}
    gruppe = {
        "model": "auth.group",
        "pk": 1,
        "fields": {
            "name": "FITKO-Redaktion",
            "permissions": [
                ["change_redaktionszuordnung", "ozgportal", "redaktionszuordnung"],
                ["change_leistung", "catalog", "leistung"],
            ],
        },
    }
    assert neue_bezeichnung(zuordnung)["model"] == "redaktion.redaktionszuordnung"
    assert neue_bezeichnung(gruppe)["fields"]["permissions"] == [
        ["change_redaktionszuordnung", "redaktion", "redaktionszuordnung"],
        ["change_leistung", "catalog", "leistung"],
    ]
