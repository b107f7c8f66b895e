"""Backups as an operator needs them: 0600, without secrets, a consistent snapshot while others write, streamed
restore with its row-count check."""

import gzip
import os
import stat
import subprocess
import sys
import time

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection

import pytest

from opendata.models import WebhookAbo
from redaktion.models import ApiSchluessel

PASSWORT = "Lange-Sichere-Passphrase-2024"


def _manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        **kwargs,
    )


@pytest.mark.django_db
def test_backup_is_private_and_holds_no_secrets(tmp_path):
    User.objects.create_user("geheim", "g@example.org", PASSWORT)
    WebhookAbo.objects.create(name="Hook", url="https://example.org/h", geheimnis="s" * 64)
    _, schluessel = ApiSchluessel.objects.create_key(name="Dashboard")
    datei = tmp_path / "s.json.gz"
    call_command("backup", datei, stdout=open(os.devnull, "w"))  # noqa: SIM115
    for pfad in (datei, datei.with_name("s.json.gz.sha256")):
        assert stat.S_IMODE(pfad.stat().st_mode) == 0o600, pfad
    with gzip.open(datei, "rt") as f:
        text = f.read()
    hash_ = User.objects.get(username="geheim").password
    assert hash_ not in text and "s" * 64 not in text
    assert schluessel.split(".")[0] not in text and "otp_totp" not in text
    assert '"password": "!' in text


@pytest.mark.postgres  # snapshot isolation of a concurrent writer: PostgreSQL
@pytest.mark.django_db
def test_backup_while_another_process_writes_restores_and_passes_its_count_check(tmp_path):
    # The test database, committed data only: backup and writer are separate processes, as in production.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ozgportal.settings.test",
        "DATABASE_URL": os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"],
    }
    env.pop("REDIS_URL", None)
    schreiber_code = (
        "import time\n"
        "from django.db import transaction\n"
        "from catalog.models import Gebietskoerperschaft, Leistung, Zustaendigkeit\n"
        "land = Gebietskoerperschaft.objects.get(ars='02')\n"
        "ende = time.time() + 8\n"
        "leistungen = list(Leistung.objects.order_by('ozg_id')[:400])\n"
        "i = 0\n"
        "while time.time() < ende:\n"
        "    with transaction.atomic():\n"
        "        Zustaendigkeit.objects.create(land=land, leistung=leistungen[i % 400], ebene='kreis')\n"
        "        Zustaendigkeit.objects.filter(land=land, leistung=leistungen[(i + 200) % 400]).delete()\n"
        "    i += 1\n"
        "print('geschrieben', i)\n"
    )
    schreiber = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", schreiber_code],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(2)
        datei = tmp_path / "laufend.json.gz"
        ergebnis = _manage(env, "backup", str(datei))
        assert ergebnis.returncode == 0, ergebnis.stderr[-2000:]
        ausgabe, fehler = schreiber.communicate(timeout=60)
        assert schreiber.returncode == 0 and "geschrieben" in ausgabe, fehler[-2000:]
    finally:
        if schreiber.poll() is None:
            schreiber.kill()
        aufraeumen = (
            "from catalog.models import Zustaendigkeit\n"
            "Zustaendigkeit.objects.filter(land__ars='02').delete()\n"
            "Zustaendigkeit.history.filter(land__ars='02').delete()\n"
        )
        _manage(env, "shell", "-c", aufraeumen)

    ziel = tmp_path / "ziel.sqlite3"
    ziel_env = {**env, "DATABASE_URL": f"sqlite:///{ziel}"}
    assert _manage(ziel_env, "migrate", "-v0").returncode == 0
    wieder = _manage(ziel_env, "restore", str(datei))
    assert wieder.returncode == 0, wieder.stderr[-3000:]
    assert "Zeilenzahlen aller Tabellen geprüft" in wieder.stdout
