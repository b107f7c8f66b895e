from pathlib import Path

from django.conf import settings

from core.management.base import ImportCommand
from themenfelder.importers import import_seed


class Command(ImportCommand):
    """Import the seed tables "Stand 11.04.2019": tandems, phase statuses, participating Kommunen.

    The Labore of the same tables: ``import_labore`` (labore sits above themenfelder).
    """

    aenderung_wie = "seed"  # how the change log records these writes (core.kontext)
    help = (
        "Importiert die Tabellen „Stand 11.04.2019“ (Tandems, Phasen, Teilnahmen) aus Seed 000; Labore: import_labore."
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
        bericht = import_seed(options["ordner"], zaehler)
        self.stdout.write(f"Zuordnungsbericht: {len(bericht)} Einträge weichen vom Gemeindeverzeichnis ab:")
        for zeile in bericht:
            self.stdout.write(f"  {zeile}")
