"""Create the nightly rebuild of all reports as a django-celery-beat schedule (editable in the admin).

Created here rather than in CELERY_BEAT_SCHEDULE because beat would overwrite admin edits of a settings entry on
every start.
"""

import json

from django.db import migrations

NAME = "Berichte nachts neu bauen"


def anlegen(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    zeitplan, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/Berlin"
    )
    PeriodicTask.objects.create(
        name=NAME,
        task="berichte.alle_bauen",
        crontab=zeitplan,
        kwargs=json.dumps({"erzwingen": True, "ausloeser": "zeitplan"}),
        queue="berichte",
        description="Baut alle gespeicherten Berichte neu (Zeitplan in der Verwaltung änderbar).",
    )


def entfernen(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("berichte", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(anlegen, entfernen)]
