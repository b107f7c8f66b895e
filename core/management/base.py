"""Base class of the import commands: one transaction, a report of counts, --dry-run."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.importers import ImportFehler, Zaehler
from core.kontext import als_befehl


class ImportCommand(BaseCommand):
    """Runs ``self.run(zaehler, **options)`` atomically; with --dry-run it reports and rolls back."""

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Nur zeigen, was sich ändern würde; nichts speichern."
        )

    def run(self, zaehler: Zaehler, **options):
        raise NotImplementedError

    @als_befehl()
    def handle(self, *args, **options):
        zaehler = Zaehler()
        start = time.monotonic()
        try:
            with transaction.atomic():
                self.run(zaehler, **options)
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except ImportFehler as exc:
            raise CommandError(exc.bericht()) from exc
        dauer = time.monotonic() - start
        for zeile in zaehler.zeilen():
            self.stdout.write(zeile)
        if options["dry_run"]:
            self.stdout.write(self.style.WARNING("Probelauf (--dry-run): nichts wurde gespeichert."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Import abgeschlossen in {dauer:.1f} s."))
