"""Indexes for the per-Bereich data version (core.datenstand): MAX(id) for one gebiet_ars or land_ars, or over a
range of gebiet_ars, reads one end of one index range instead of the whole log.

Raw SQL, so the model (owned with the change pipeline) and its migration state stay as they are; the same
statements run on SQLite and PostgreSQL.
"""

from django.db import migrations

INDIZES = {
    "core_aenderung_gebiet_id": "(gebiet_ars, id)",
    "core_aenderung_land_id": "(land_ars, id)",
}


class Migration(migrations.Migration):
    dependencies = [("core", "0004_transaktion_ohne_index")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON core_aenderung {spalten}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, spalten in INDIZES.items()
    ]
