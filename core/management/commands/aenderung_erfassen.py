from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from core.aenderungen import erfassen
from core.kontext import als_befehl
from core.models import Aenderung


class Command(BaseCommand):
    """Record in the change log rows that were written outside Django (psql, another program).

    Every consumer (ETags, page and API caches, reports, open-data files, webhooks, e-mails) learns of a change
    only through the log. After such a write, name the model and the primary keys:
    ``manage.py aenderung_erfassen catalog.Leistung 12 13`` (``--geloescht`` for deleted rows).
    """

    help = "Erfasst außerhalb von Django geänderte Zeilen im Änderungsprotokoll (Modell und Primärschlüssel)."

    def add_arguments(self, parser):
        parser.add_argument("modell", help="App-Label und Modell, z. B. catalog.Leistung")
        parser.add_argument("pks", nargs="+", type=int, help="Primärschlüssel der geänderten Zeilen")
        parser.add_argument("--geloescht", action="store_true", help="Die Zeilen wurden gelöscht.")

    @als_befehl()
    def handle(self, *args, **options):
        try:
            model = apps.get_model(options["modell"])
        except (LookupError, ValueError) as fehler:
            raise CommandError(f"Unbekanntes Modell „{options['modell']}“: {fehler}") from fehler
        aktion = Aenderung.Aktion.GELOESCHT if options["geloescht"] else Aenderung.Aktion.GEAENDERT
        anzahl = erfassen(model, options["pks"], aktion)
        self.stdout.write(f"{anzahl} Änderungen an {model._meta.label} erfasst.")
