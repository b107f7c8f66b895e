"""Run in its own process on an empty database (DATABASE_URL): labore 0003 / themenfelder 0002 keep every link.

Loads the real data, goes back to the schema with ``Teilnahme.labor``, gives one Teilnahme a Labor history of
three changes (synthetic, labelled in the reason), migrates forward and prints what the link tables hold as JSON.
Not a test module itself (no ``test_`` prefix): tests/labore/test_migration.py starts it, since the SQLite schema
editor cannot run inside the test's transaction.
"""

import datetime
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ozgportal.settings.test")
sys.path.insert(0, os.getcwd())
django.setup()

from django.core.management import call_command  # noqa: E402 — after django.setup()
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

still = open(os.devnull, "w")  # noqa: SIM115
call_command("migrate", verbosity=0, stdout=still)
call_command("load_all", verbosity=0, stdout=still)
call_command("migrate", "themenfelder", "0001", verbosity=0, stdout=still)
call_command("migrate", "labore", "0001", verbosity=0, stdout=still)

alt = MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps
Teilnahme = alt.get_model("themenfelder", "Teilnahme")
HistoricalTeilnahme = alt.get_model("themenfelder", "HistoricalTeilnahme")
Labor = alt.get_model("labore", "Labor")
vorher = dict(Teilnahme.objects.filter(labor__isnull=False).values_list("pk", "labor_id"))

# Synthetic history of one unlinked Teilnahme: Labor a, then b, then none (three rows after its import row).
teilnahme = Teilnahme.objects.filter(labor__isnull=True).order_by("pk").first()
a, b = Labor.objects.order_by("pk").values_list("pk", flat=True)[:2]
start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
basis = HistoricalTeilnahme.objects.filter(id=teilnahme.pk).get()
for tag, labor_id in enumerate([a, b, None], start=1):
    basis.pk = None
    basis.history_type, basis.labor_id = "~", labor_id
    basis.history_date = start + datetime.timedelta(days=tag)
    basis.history_change_reason = "synthetisch (Test der Migration)"
    basis.save()

call_command("migrate", verbosity=0, stdout=still)
neu = MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps
LaborTeilnahme = neu.get_model("labore", "LaborTeilnahme")
HistoricalLaborTeilnahme = neu.get_model("labore", "HistoricalLaborTeilnahme")
spalten = {f.name for f in neu.get_model("themenfelder", "Teilnahme")._meta.fields}
print(
    json.dumps(
        {
            "vorher": sorted(vorher.items()),
            "nachher": sorted(LaborTeilnahme.objects.values_list("teilnahme_id", "labor_id")),
            "a": a,
            "b": b,
            "verlauf": list(
                HistoricalLaborTeilnahme.objects.filter(teilnahme_id=teilnahme.pk)
                .order_by("history_date")
                .values_list("history_type", "labor_id", "history_change_reason")
            ),
            "historie_je_link": HistoricalLaborTeilnahme.objects.exclude(teilnahme_id=teilnahme.pk).count(),
            "teilnahme_hat_labor": "labor" in spalten,
        }
    )
)
