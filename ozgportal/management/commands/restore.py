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
from opendata.models import WebhookAbo, neues_geheimnis

#: Tables that must be empty before a restore: the portal's own data and its users.
PORTALDATEN = ["auth.user", "catalog.gebietskoerperschaft", "catalog.leistung", "themenfelder.phasenstatus"]

#: Models that moved to another app since a backup may have been written: old label → new label.
UMGEZOGEN = {
    "ozgportal.redaktionszuordnung": "redaktion.redaktionszuordnung",
    "ozgportal.historicalredaktionszuordnung": "redaktion.historicalredaktionszuordnung",
}


def neue_bezeichnung(objekt: dict) -> dict:
    """Rename moved models in one object of a backup: its model and the permissions that name one.

    Permissions travel as natural keys ``[codename, app_label, model]`` in groups and users.
    """
    objekt["model"] = UMGEZOGEN.get(objekt["model"], objekt["model"])
    for feld in ("permissions", "user_permissions"):
        for recht in objekt["fields"].get(feld, []):
            neu = UMGEZOGEN.get(f"{recht[1]}.{recht[2]}")
            if neu is not None:
                recht[1] = neu.split(".")[0]
    return objekt


def _sha256(datei: Path) -> str:
    summe = hashlib.sha256()
    with datei.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            summe.update(block)
    return summe.hexdigest()


def _zeilen(datei: Path):
    """The object lines of a backup (``manage.py backup`` writes one JSON object per line)."""
    with gzip.open(datei, "rt", encoding="utf-8") as f:
        next(f)  # header
        for zeile in f:
            if zeile.startswith("]"):
                return
            yield zeile.rstrip("\n").rstrip(",")


def _kopf_und_anzahl(datei: Path) -> dict:
    with gzip.open(datei, "rt", encoding="utf-8") as f:
        kopf = f.readline()
        if not kopf.startswith('{"format": "ozgportal-sicherung-1"'):
            raise CommandError(f"{datei} ist keine Sicherung des OZG-Portals.")
        for zeile in f:
            if zeile.startswith("]"):
                return json.loads("{" + zeile.removeprefix("], ").strip())["anzahl"]
    raise CommandError(f"{datei} ist unvollständig (Ende fehlt).")


def _geheimnisse_neu() -> int:
    """Webhook subscriptions come back without their secret: a new one, paused until the receiver has it."""

    abos = list(WebhookAbo.objects.filter(geheimnis=""))
    for abo in abos:
        abo.geheimnis, abo.aktiv = neues_geheimnis(), False
    WebhookAbo.objects.bulk_update(abos, ["geheimnis", "aktiv"])
    return len(abos)


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
            if _sha256(datei) != erwartet:
                raise CommandError(f"Prüfsumme von {datei} stimmt nicht: Datei beschädigt?")
        # Streamed twice, never loaded whole: first the header and the row counts at the end, then the rows.
        anzahl = {UMGEZOGEN.get(label, label): n for label, n in _kopf_und_anzahl(datei).items()}
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
            for label in reversed(list(anzahl)):
                apps.get_model(label)._default_manager.all()._raw_delete(using=connection.alias)
            gespeichert, aufgeschoben = 0, []
            for zeile in _zeilen(datei):
                objekt = neue_bezeichnung(json.loads(zeile))
                for obj in serializers.deserialize("python", [objekt], handle_forward_references=True):
                    obj.save()
                    if obj.deferred_fields:
                        aufgeschoben.append(obj)
                    gespeichert += 1
            for obj in aufgeschoben:
                obj.save_deferred_fields()
            for label, soll in anzahl.items():
                ist = apps.get_model(label)._default_manager.count()
                if ist != soll:
                    raise CommandError(
                        f"{label}: {ist} statt {soll} Zeilen nach der Wiederherstellung; nichts wurde gespeichert."
                    )
            neu_verschluesselt = _geheimnisse_neu()
        # Primary-key sequences must continue after the restored ids (PostgreSQL).
        if connection.vendor == "postgresql":
            labels = sorted({label.split(".")[0] for label in anzahl})
            with open(os.devnull, "w") as still:
                sql = call_command("sqlsequencereset", *labels, stdout=still, no_color=True)
            with connection.cursor() as cursor:
                cursor.execute(sql)
        self.stdout.write(f"{gespeichert} Zeilen wiederhergestellt, Zeilenzahlen aller Tabellen geprüft.")
        self.stdout.write(
            "Geheimnisse sind nicht in der Sicherung: Passwörter neu setzen (manage.py changepassword), "
            f"TOTP neu einrichten, API-Schlüssel neu ausgeben; {neu_verschluesselt} Webhook-Abo(s) mit neuem "
            "Geheimnis pausiert (Geheimnis dem Empfänger mitteilen, dann aktivieren)."
        )
