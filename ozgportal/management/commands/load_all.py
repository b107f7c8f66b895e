from django.conf import settings
from django.core.management import call_command

from catalog.importers.quellen import import_gemeindeverzeichnis, import_katalog
from core.management.base import ImportCommand
from labore.importers import import_labore
from themenfelder.importers import import_seed


class Command(ImportCommand):
    """Load all real data in one transaction: Gemeindeverzeichnis, OZG-Katalog 2019, seed tables 11.04.2019."""

    help = "Lädt alle echten Daten (Gemeindeverzeichnis, OZG-Katalog, Seed-Tabellen) in einer Transaktion."

    def run(self, zaehler, **options):
        daten = settings.FIXTURES_DIR
        import_gemeindeverzeichnis(daten / "gemeindeverzeichnis" / "gv-auszug-q4.csv", zaehler)
        import_katalog(daten / "ozg-katalog-2019", zaehler)
        bericht = import_seed(daten / "seed-2019-04-11", zaehler)
        import_labore(daten / "seed-2019-04-11", zaehler)  # needs the Teilnahmen of import_seed
        self.stdout.write(
            f"Zuordnungsbericht Seed: {len(bericht)} Einträge weichen vom Gemeindeverzeichnis ab "
            "(manage.py import_seed --dry-run zeigt sie)."
        )
        # Roles of the Redaktion and a first history entry for the imported rows (see each command's docstring).
        call_command("setup_rollen", stdout=self.stdout, verbosity=options.get("verbosity", 1))
        call_command("historie_grundstand", stdout=self.stdout, verbosity=options.get("verbosity", 1))
