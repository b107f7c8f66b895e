from pathlib import Path

from django.conf import settings

from core.management.base import ImportCommand
from labore.importers import import_labore


class Command(ImportCommand):
    """Import the Labore of the seed tables "Stand 11.04.2019" and link the Teilnahmen to them (after import_seed)."""

    aenderung_wie = "seed"  # how the change log records these writes (core.kontext)
    help = (
        "Importiert die Digitalisierungslabore der Tabellen „Stand 11.04.2019“ und ihre Teilnahmen (nach import_seed)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--ordner",
            type=Path,
            default=settings.FIXTURES_DIR / "seed-2019-04-11",
            help="Ordner mit den transkribierten Seed-Tabellen.",
        )

    def run(self, zaehler, **options):
        import_labore(options["ordner"], zaehler)
