import gzip
import hashlib
import json
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

#: Rebuilt by Django or irrelevant after a restore.
AUSGENOMMEN = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "admin.logentry",
    # A change marker django-celery-beat rewrites whenever a schedule is saved.
    "django_celery_beat.periodictasks",
}


class Command(BaseCommand):
    """Write every row the portal needs (data, history, users, groups) into one gzip'd JSON file.

    Database-independent (a PostgreSQL backup restores into SQLite and back) and read in one transaction,
    so the file is a consistent snapshot. Synthetic benchmark rows are left out unless asked for.
    For very large installations `pg_dump -Fc` is the faster alternative (see README, "Betrieb").
    """

    help = "Sichert alle Daten des Portals in eine gzip-komprimierte JSON-Datei."

    def add_arguments(self, parser):
        parser.add_argument("datei", type=Path, help="Zieldatei, z. B. sicherung-2026-11-22.json.gz")
        parser.add_argument("--mit-synthetischen", action="store_true", help="Auch synthetische Benchmark-Zeilen.")

    def handle(self, *args, datei, mit_synthetischen, **options):
        if datei.exists():
            raise CommandError(f"{datei} existiert schon; bitte einen neuen Namen wählen.")
        zaehler = {}
        with transaction.atomic(), gzip.open(datei, "wt", encoding="utf-8") as out:
            out.write('{"format": "ozgportal-sicherung-1", "objekte": [\n')
            erste = True
            for model in _modelle():
                qs = model._default_manager.order_by("pk")
                if not mit_synthetischen and any(f.name == "synthetisch" for f in model._meta.fields):
                    qs = qs.filter(synthetisch=False)
                n = 0
                for obj in qs.iterator(chunk_size=2000):
                    text = serializers.serialize(
                        "json", [obj], use_natural_foreign_keys=True, use_natural_primary_keys=False
                    )[1:-1]
                    out.write(("" if erste else ",\n") + text)
                    erste = False
                    n += 1
                zaehler[model._meta.label_lower] = n
            out.write("\n], " + f'"anzahl": {json.dumps(zaehler)}' + "}\n")
        digest = hashlib.sha256(datei.read_bytes()).hexdigest()
        datei.with_name(datei.name + ".sha256").write_text(f"{digest}  {datei.name}\n")
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
