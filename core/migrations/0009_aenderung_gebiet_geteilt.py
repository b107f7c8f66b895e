"""The (gebiet_ars, id) index of 0005 split in two partial indexes: the structural entries have theirs since 0007,
the others get this one, and the full index goes. Every entry is then in exactly one per-Gebiet index: an import of
statuses maintains one scope index per entry (before 0007: two, gebiet and land), an import of the
Gemeindeverzeichnis two (gebiet and land, as before 0007). ``core.datenstand`` asks both halves (``_beide``).
"""

from django.db import migrations

#: Frozen copy of core.datenstand._SONST at this migration (the query's predicate must match it).
SONST = "modell NOT IN ('catalog.Gebietskoerperschaft', 'themenfelder.Teilnahme')"


class Migration(migrations.Migration):
    dependencies = [("core", "0008_aenderung_katalog_index")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS core_aenderung_sonst_gebiet ON core_aenderung (gebiet_ars, id) WHERE {SONST}",
            reverse_sql="DROP INDEX IF EXISTS core_aenderung_sonst_gebiet",
        ),
        migrations.RunSQL(
            sql="DROP INDEX IF EXISTS core_aenderung_gebiet_id",
            reverse_sql="CREATE INDEX IF NOT EXISTS core_aenderung_gebiet_id ON core_aenderung (gebiet_ars, id)",
        ),
    ]
