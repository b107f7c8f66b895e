"""Search support on PostgreSQL: the pg_trgm extension, trigram GIN indexes (typo tolerance) and GIN indexes on the
German full-text vector (stemming) of the searched names.

The indexes are raw SQL on purpose: they are not part of the models' state (SQLite has no equivalent and the
search falls back to plain matching there), so ``makemigrations`` must not see them. Both operations do nothing
on other databases.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("catalog_gebiet_name_trgm", "catalog_gebietskoerperschaft", "name"),
    ("catalog_leistung_name_trgm", "catalog_leistung", "name"),
    ("catalog_leika_bezeichnung_trgm", "catalog_leikaleistung", "bezeichnung"),
]


def _fts_name(name):
    return name.replace("_trgm", "_fts")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")
        # The expression is exactly what SearchVector(column, config="german") generates, so the planner uses it.
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {_fts_name(name)} ON {table} "
            f"USING gin (to_tsvector('german'::regconfig, COALESCE(({column})::text, ''::text)))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {_fts_name(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
