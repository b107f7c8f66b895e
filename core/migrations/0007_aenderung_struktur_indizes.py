"""Partial indexes for the structural entries below a body (``core.datenstand.STRUKTUR_MODELLE``).

A body's page depends, of the bodies below it, only on their names and hierarchy and on Teilnahmen, not on their
statuses (``core.datenstand``). The "newest structural entry below" reads one end of one of these indexes; they
hold only the rows of those models, so an import of thousands of statuses does not maintain them. The full
``(land_ars, id)`` index of 0005 served only that query and goes: one index less to maintain per imported row.
Raw SQL as in 0005; the same statements run on SQLite and PostgreSQL (both have partial indexes).
"""

from django.db import migrations

#: Frozen copy of core.datenstand.STRUKTUR_MODELLE at this migration (the query's predicate must match it).
STRUKTUR = "modell IN ('catalog.Gebietskoerperschaft', 'themenfelder.Teilnahme')"

INDIZES = {
    "core_aenderung_struktur_gebiet": "(gebiet_ars, id)",
    "core_aenderung_struktur_land": "(land_ars, id)",
}


class Migration(migrations.Migration):
    dependencies = [("core", "0006_aenderung_bereich_collation_c")]

    operations = [
        *(
            migrations.RunSQL(
                sql=f"CREATE INDEX IF NOT EXISTS {name} ON core_aenderung {spalten} WHERE {STRUKTUR}",
                reverse_sql=f"DROP INDEX IF EXISTS {name}",
            )
            for name, spalten in INDIZES.items()
        ),
        migrations.RunSQL(
            sql="DROP INDEX IF EXISTS core_aenderung_land_id",
            reverse_sql="CREATE INDEX IF NOT EXISTS core_aenderung_land_id ON core_aenderung (land_ars, id)",
        ),
    ]
