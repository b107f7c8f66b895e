"""The database cache table (CACHES["api_datenstand"] without Redis), so `migrate` alone prepares a node."""

from django.core.management import call_command
from django.db import migrations


def tabelle_anlegen(apps, schema_editor):
    # Idempotent: creates only the tables of database caches that do not exist yet.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("ozgportal", "0002_api_schluessel")]

    operations = [migrations.RunPython(tabelle_anlegen, migrations.RunPython.noop)]
