"""The log's scope columns compare bytewise (collation "C") on PostgreSQL.

``gebiet_ars`` and ``land_ars`` hold only digits, for which every collation orders alike; but with the database's
default collation (a libc locale such as C.UTF-8) every comparison in their indexes goes through strcoll. An import
writes one entry per row, and maintaining the per-Bereich indexes (migration 0005) with locale comparisons cost
about as much as the rest of the entry (bench/bench_pipeline.py, part 1: +27 % → +14 % over the import without the
log). The column collation, not an index expression, so that every query on the columns (``core.datenstand``)
compares in "C" without saying so and keeps using the indexes, which PostgreSQL rebuilds in "C" here.

Raw SQL, as in 0005: the model and its migration state stay as they are. SQLite compares bytewise already.
"""

from django.db import migrations

SPALTEN = {"land_ars": 2, "gebiet_ars": 12}


def _aendern(collation):
    def ausfuehren(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for spalte, laenge in SPALTEN.items():
            schema_editor.execute(
                f"ALTER TABLE core_aenderung ALTER COLUMN {spalte} TYPE varchar({laenge}) COLLATE {collation}"
            )

    return ausfuehren


class Migration(migrations.Migration):
    dependencies = [("core", "0005_aenderung_bereich_indizes")]

    operations = [migrations.RunPython(_aendern('"C"'), _aendern('"default"'))]
