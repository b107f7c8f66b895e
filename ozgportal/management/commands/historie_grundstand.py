from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from simple_history.utils import get_history_manager_for_model


class Command(BaseCommand):
    """Give every row with history but no history entry yet a first entry ("+", Ausgangsstand).

    The importers write in bulk without history. Without a first entry, the history of a row edited later
    would lack its "before", and ``Model.history.as_of(date)`` could not show the imported state (e.g. the
    Themenfeld table "Stand 11.04.2019" before a correction). Idempotent: rows that have history are skipped.
    """

    help = "Legt für importierte Einträge ohne Historie den Ausgangsstand in der Historie an."

    @transaction.atomic
    def handle(self, *args, **options):
        for model in apps.get_models():
            if not hasattr(model._meta, "simple_history_manager_attribute"):
                continue
            historie = get_history_manager_for_model(model)
            pk = model._meta.pk.attname
            ohne = model._default_manager.exclude(pk__in=historie.values(pk))
            objs = list(ohne)
            if not objs:
                continue
            historie.bulk_history_create(objs, batch_size=500, default_change_reason="Ausgangsstand (Import)")
            self.stdout.write(f"{model._meta.verbose_name_plural}: {len(objs)} Einträge mit Ausgangsstand")
