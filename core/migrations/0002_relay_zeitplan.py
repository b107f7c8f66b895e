"""The relay's sweep in django-celery-beat (editable in the admin): every minute, hands whatever a broker outage
left behind to the consumers. And a first log entry, so that the Datenstand of an existing installation starts
now: validators from before the change log (another token, an older Last-Modified) never match it."""

import time

from django.db import migrations
from django.utils import timezone

NAME = "Änderungsprotokoll weiterreichen"


def anlegen(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if not PeriodicTask.objects.filter(name=NAME).exists():
        minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
        PeriodicTask.objects.create(
            name=NAME,
            task="core.weiterreichen",
            interval=minute,
            queue="default",
            description="Reicht noch nicht verarbeitete Einträge des Änderungsprotokolls an alle Konsumenten weiter.",
        )


def ausgangsstand(apps, schema_editor):
    Aenderung = apps.get_model("core", "Aenderung")
    if not Aenderung.objects.exists():
        Aenderung.objects.create(
            modell="core.Aenderung",
            aktion="angelegt",
            wie="migration",
            wer="migrate",
            zeitpunkt=timezone.now(),
            sekunde=int(time.time()),
            transaktion="migration",
        )


def entfernen(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(anlegen, entfernen),
        migrations.RunPython(ausgangsstand, migrations.RunPython.noop),
    ]
