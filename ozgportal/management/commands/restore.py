import gzip
import hashlib
import json
import os
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from core.aenderungen import protokoll_aus

#: Tables that must be empty before a restore: the portal's own data and its users.
PORTALDATEN = ["auth.user", "catalog.gebietskoerperschaft", "catalog.leistung", "themenfelder.phasenstatus"]

#: Models that moved to another app since a backup may have been written: old label → new label.
UMGEZOGEN = {
    "ozgportal.redaktionszuordnung": "redaktion.redaktionszuordnung",
    "ozgportal.historicalredaktionszuordnung": "redaktion.historicalredaktionszuordnung",
}


def neue_bezeichnungen(inhalt: dict) -> dict:
    """Rename moved models in a backup: their rows, their counts and the permissions that name them.

    Permissions travel as natural keys ``[codename, app_label, model]`` in groups and users.
    """
    for objekt in inhalt["objekte"]:
        objekt["model"] = UMGEZOGEN.get(objekt["model"], objekt["model"])
        for feld in ("permissions", "user_permissions"):
            for recht in objekt["fields"].get(feld, []):
                neu = UMGEZOGEN.get(f"{recht[1]}.{recht[2]}")
                if neu is not None:
                    recht[1] = neu.split(".")[0]
    inhalt["anzahl"] = {UMGEZOGEN.get(label, label): n for label, n in inhalt["anzahl"].items()}
    return inhalt


class Command(BaseCommand):
    """Restore a file written by `manage.py backup` into an empty, migrated database, in one transaction.

    Refuses a non-empty database and a file whose checksum does not match; afterwards compares the row count of
    every table with the counts stored in the file and rolls back on any difference.
    """

    help = "Stellt eine Sicherung (manage.py backup) in einer leeren, migrierten Datenbank wieder her."

    def add_arguments(self, parser):
        parser.add_argument("datei", type=Path)

    def handle(self, *args, datei, **options):
        if not datei.exists():
            raise CommandError(f"{datei} gibt es nicht.")
        pruefsumme = datei.with_name(datei.name + ".sha256")
        if pruefsumme.exists():
            erwartet = pruefsumme.read_text().split()[0]
            if hashlib.sha256(datei.read_bytes()).hexdigest() != erwartet:
                raise CommandError(f"Prüfsumme von {datei} stimmt nicht: Datei beschädigt?")
        with gzip.open(datei, "rt", encoding="utf-8") as f:
            inhalt = json.load(f)
        if inhalt.get("format") != "ozgportal-sicherung-1":
            raise CommandError(f"{datei} ist keine Sicherung des OZG-Portals.")
        inhalt = neue_bezeichnungen(inhalt)
        # "Empty" means: no portal data. Migrations may have seeded a few rows (e.g. the nightly schedule of
        # django-celery-beat); those are replaced by the backup's own rows below.
        belegt = [label for label in PORTALDATEN if apps.get_model(label)._default_manager.exists()]
        if belegt:
            raise CommandError(
                f"Die Datenbank ist nicht leer ({', '.join(belegt)}); bitte in eine leere, migrierte Datenbank "
                "wiederherstellen."
            )
        # The backup carries the history rows itself; saving must not add new ones (m2m signals ignore "raw").
        # Likewise the change log: its rows are in the backup (m2m signals would record the restore itself).
        with override_settings(SIMPLE_HISTORY_ENABLED=False), protokoll_aus(), transaction.atomic():
            for label in reversed(list(inhalt["anzahl"])):
                apps.get_model(label)._default_manager.all()._raw_delete(using=connection.alias)
            objekte = serializers.deserialize("json", json.dumps(inhalt["objekte"]), handle_forward_references=True)
            gespeichert = 0
            for obj in objekte:
                obj.save()
                gespeichert += 1
            for label, anzahl in inhalt["anzahl"].items():
                ist = apps.get_model(label)._default_manager.count()
                if ist != anzahl:
                    raise CommandError(
                        f"{label}: {ist} statt {anzahl} Zeilen nach der Wiederherstellung; nichts wurde gespeichert."
                    )
        # Primary-key sequences must continue after the restored ids (PostgreSQL).
        if connection.vendor == "postgresql":
            labels = sorted({label.split(".")[0] for label in inhalt["anzahl"]})
            with open(os.devnull, "w") as still:
                sql = call_command("sqlsequencereset", *labels, stdout=still, no_color=True)
            with connection.cursor() as cursor:
                cursor.execute(sql)
        self.stdout.write(f"{gespeichert} Zeilen wiederhergestellt, Zeilenzahlen aller Tabellen geprüft.")
