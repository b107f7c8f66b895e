from pathlib import Path

from django.conf import settings

from catalog.importers.quellen import import_katalog
from core.management.base import ImportCommand


class Command(ImportCommand):
    """Import the OZG-Umsetzungskatalog: Themenfelder, Lagen, OZG-Leistungen and LeiKa-Leistungen."""

    help = "Importiert den OZG-Umsetzungskatalog (Themenfelder, Lagen, OZG-Leistungen, LeiKa-Leistungen)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--ordner",
            type=Path,
            default=settings.FIXTURES_DIR / "ozg-katalog-2019",
            help="Ordner mit themenfelder.csv, lagen.csv, leistungen.csv, leika.csv.",
        )

    def run(self, zaehler, **options):
        import_katalog(options["ordner"], zaehler)
