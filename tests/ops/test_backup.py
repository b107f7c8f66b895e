"""Backup and restore: a full round trip into an empty database gives back every row."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import CommandError, call_command

import pytest

from catalog.choices import VollzugsEbene
from catalog.models import Gebietskoerperschaft, Zustaendigkeit

pytestmark = pytest.mark.django_db(transaction=False)


def test_round_trip_into_an_empty_database(tmp_path, land_sh, elterngeld):
    # An edit with history, so history rows travel too.
    Zustaendigkeit.objects.create(land=land_sh, leistung=elterngeld, ebene=VollzugsEbene.KREIS)
    datei = tmp_path / "sicherung.json.gz"
    call_command("backup", datei, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert datei.with_name("sicherung.json.gz.sha256").exists()

    ziel = tmp_path / "ziel.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ozgportal.settings.test", "DATABASE_URL": f"sqlite:///{ziel}"}
    env.pop("REDIS_URL", None)

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )

    assert manage("migrate", "-v0").returncode == 0
    ergebnis = manage("restore", str(datei))
    assert ergebnis.returncode == 0, ergebnis.stderr[-3000:]
    assert "Zeilenzahlen aller Tabellen geprüft" in ergebnis.stdout

    pruefung = manage(
        "shell",
        "-c",
        (
            "from catalog.models import *; from themenfelder.models import *; "
            "print(Gebietskoerperschaft.objects.count(), LeikaLeistung.objects.count(), TandemRolle.objects.count(), "
            "Zustaendigkeit.objects.get().ebene, Zustaendigkeit.history.count(), "
            "Gebietskoerperschaft.objects.get(name='Itzehoe-Land').children.count())"
        ),
    )
    erwartet = [
        Gebietskoerperschaft.objects.count(),
        5249,
        78,
        "kreis",
        1,
        Gebietskoerperschaft.objects.get(name="Itzehoe-Land").children.count(),
    ]
    assert pruefung.stdout.split()[-6:] == [str(x) for x in erwartet]

    # A second restore into the now filled database is refused and changes nothing.
    zweite = manage("restore", str(datei))
    assert zweite.returncode != 0 and "nicht leer" in zweite.stderr


def test_corrupt_backup_is_refused(tmp_path):
    datei = tmp_path / "s.json.gz"
    call_command("backup", datei, stdout=open(os.devnull, "w"))  # noqa: SIM115
    daten = bytearray(datei.read_bytes())
    daten[100] ^= 0xFF
    datei.write_bytes(bytes(daten))
    with pytest.raises(CommandError, match="Prüfsumme"):
        call_command("restore", datei)


def test_backup_does_not_overwrite(tmp_path):
    datei = tmp_path / "s.json.gz"
    datei.write_text("alt")
    with pytest.raises(CommandError, match="existiert schon"):
        call_command("backup", datei)
