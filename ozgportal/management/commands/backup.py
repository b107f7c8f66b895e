import gzip
import hashlib
import json
import os
from pathlib import Path

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

#: Rebuilt by Django or irrelevant after a restore.
AUSGENOMMEN = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "admin.logentry",
    # A change marker django-celery-beat rewrites whenever a schedule is saved.
    "django_celery_beat.periodictasks",
    # Secrets never leave the database in a backup file (README, "Sicherung": re-keying after a restore).
    "otp_totp.totpdevice",
    "redaktion.apischluessel",
    "rest_framework_api_key.apikey",
}


def ohne_geheimnisse(obj):
    """The row as it may stand in a backup file: password hashes unusable, webhook secrets empty."""
    label = obj._meta.label_lower
    if label == "auth.user":
        obj.password = make_password(None)  # "!…": no password works until it is set again
    elif label == "opendata.webhookabo":
        obj.geheimnis = ""  # restore issues a new one and pauses the subscription
    return obj


def _datei_0600(datei: Path):
    # O_EXCL: never overwrite; 0600 from the first byte, whatever the umask.
    return os.fdopen(os.open(datei, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def _sha256(datei: Path) -> str:
    summe = hashlib.sha256()
    with datei.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            summe.update(block)
    return summe.hexdigest()


class Command(BaseCommand):
    """Write every row the portal needs (data, history, users, groups) into one gzip'd JSON file.

    Database-independent (a PostgreSQL backup restores into SQLite and back). Read in one transaction; on
    PostgreSQL a REPEATABLE READ, READ ONLY one, so every table is read at the same instant although other
    processes keep writing (a consistent snapshot). Written 0600, one object per line (restore streams it).
    Secrets stay out: password hashes, TOTP devices, API keys, webhook secrets (README: re-keying).
    Synthetic benchmark rows are left out unless asked for. For very large installations `pg_dump -Fc` is the
    faster alternative (see README, "Betrieb").
    """

    help = "Sichert alle Daten des Portals in eine gzip-komprimierte JSON-Datei."

    def add_arguments(self, parser):
        parser.add_argument("datei", type=Path, help="Zieldatei, z. B. sicherung-2026-11-22.json.gz")
        parser.add_argument("--mit-synthetischen", action="store_true", help="Auch synthetische Benchmark-Zeilen.")

    def handle(self, *args, datei, mit_synthetischen, **options):
        if datei.exists():
            raise CommandError(f"{datei} existiert schon; bitte einen neuen Namen wählen.")
        zaehler = {}
        # SET TRANSACTION must be the transaction's first statement: only when we open it (not inside a test's).
        eigene_transaktion = not connection.in_atomic_block
        with transaction.atomic(), _datei_0600(datei) as roh, gzip.open(roh, "wt", encoding="utf-8") as out:
            if connection.vendor == "postgresql" and eigene_transaktion:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            out.write('{"format": "ozgportal-sicherung-1", "objekte": [\n')
            erste = True
            for model in _modelle():
                qs = model._default_manager.order_by("pk")
                if not mit_synthetischen and any(f.name == "synthetisch" for f in model._meta.fields):
                    qs = qs.filter(synthetisch=False)
                n = 0
                for obj in qs.iterator(chunk_size=2000):
                    text = serializers.serialize(
                        "json", [ohne_geheimnisse(obj)], use_natural_foreign_keys=True, use_natural_primary_keys=False
                    )[1:-1]
                    out.write(("" if erste else ",\n") + text)
                    erste = False
                    n += 1
                zaehler[model._meta.label_lower] = n
            out.write("\n], " + f'"anzahl": {json.dumps(zaehler)}' + "}\n")
        digest = _sha256(datei)
        with _datei_0600(datei.with_name(datei.name + ".sha256")) as f:
            f.write(f"{digest}  {datei.name}\n".encode())
        self.stdout.write(f"{sum(zaehler.values())} Zeilen aus {len(zaehler)} Tabellen gesichert: {datei}")
        self.stdout.write(f"SHA-256: {digest}")


def _modelle():
    """Models in dependency order (parents first), so a restore can insert them in file order."""
    from django.core.serializers import sort_dependencies

    app_list = {cfg: None for cfg in apps.get_app_configs() if cfg.models_module is not None}
    return [
        m
        for m in sort_dependencies(app_list.items())
        if m._meta.label_lower not in AUSGENOMMEN and not m._meta.proxy and m._meta.managed
    ]
