"""The daily full pass of the stock of pages (catalog.vorrat) as a django-celery-beat schedule (editable in the
admin), on the queue of long jobs. Does nothing while SEITEN_VORRAT is off."""

import json

from django.db import migrations

NAME = "Seitenvorrat täglich auffüllen"


def anlegen(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    zeitplan, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="4", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/Berlin"
    )
    PeriodicTask.objects.create(
        name=NAME,
        task="catalog.seitenvorrat",
        crontab=zeitplan,
        kwargs=json.dumps({"alle": True}),
        queue="berichte",
        description="Baut die Seite und Leistungsliste jeder Gebietskörperschaft in den Cache, soweit sie nicht "
        "schon für den aktuellen Datenstand gebaut sind (nur mit SEITEN_VORRAT=alle).",
    )


def entfernen(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_suche"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(anlegen, entfernen)]
