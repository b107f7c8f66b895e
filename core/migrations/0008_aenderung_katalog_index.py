"""A partial index for the Katalogstand: the newest entry without a Gebiet that a body's page can show
(``core.datenstand``: every such entry except the report pointer's, ``SEITENFREMDE_MODELLE``).

The report pointer moves with every build (entries without a Gebiet, every few seconds under write load); the
(gebiet_ars, id) index of 0005 would have to step back over all of them on every page request to the newest
catalogue entry. Raw SQL as in 0005, the same statement on SQLite and PostgreSQL.
"""

from django.db import migrations

#: Frozen copy of core.datenstand._KATALOG at this migration (the query's predicate must match it).
KATALOG = "gebiet_ars = '' AND modell NOT IN ('berichte.AktuellerBericht')"


class Migration(migrations.Migration):
    dependencies = [("core", "0007_aenderung_struktur_indizes")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS core_aenderung_katalog ON core_aenderung (id) WHERE {KATALOG}",
            reverse_sql="DROP INDEX IF EXISTS core_aenderung_katalog",
        )
    ]
