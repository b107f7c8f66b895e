from pathlib import Path

from django.conf import settings

from catalog.importers.quellen import import_gemeindeverzeichnis
from core.management.base import ImportCommand


class Command(ImportCommand):
    """Import every Land, Kreis, Gemeindeverband and Gemeinde from the Destatis Gemeindeverzeichnis (GV-ISys)."""

    help = "Importiert das Gemeindeverzeichnis (Länder, Kreise, Gemeindeverbände, Gemeinden)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--datei",
            type=Path,
            default=settings.FIXTURES_DIR / "gemeindeverzeichnis" / "gv-auszug-q4.csv",
            help="CSV-Auszug des GV-ISys (Standard: fixtures/gemeindeverzeichnis/gv-auszug-q4.csv).",
        )

    def run(self, zaehler, **options):
        import_gemeindeverzeichnis(options["datei"], zaehler)
