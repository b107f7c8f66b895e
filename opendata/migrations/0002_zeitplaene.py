"""Schedules in django-celery-beat (editable in the admin): due webhook deliveries every minute, and a nightly
rebuild of all open-data files (catches changes that bypassed the signals, such as bulk imports)."""

import json

from django.db import migrations

WEBHOOKS = "Fällige Webhook-Zustellungen"
DATEIEN = "Offene Daten nachts neu schreiben"


def anlegen(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if not PeriodicTask.objects.filter(name=WEBHOOKS).exists():
        minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
        PeriodicTask.objects.create(
            name=WEBHOOKS,
            task="opendata.webhooks_faellige",
            interval=minute,
            queue="default",
            description="Stellt fällige und wiederholte Webhook-Zustellungen zu.",
        )
    if not PeriodicTask.objects.filter(name=DATEIEN).exists():
        nachts, _ = CrontabSchedule.objects.get_or_create(
            minute="0", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/Berlin"
        )
        PeriodicTask.objects.create(
            name=DATEIEN,
            task="opendata.dateien_bauen",
            crontab=nachts,
            kwargs=json.dumps({"namen": []}),
            queue="default",
            description="Schreibt alle Dateien unter /opendaten/ neu.",
        )


def entfernen(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[WEBHOOKS, DATEIEN]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("opendata", "0001_webhooks_abonnements"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(anlegen, entfernen)]
