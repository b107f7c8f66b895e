from django.core.management.base import BaseCommand, CommandError

from opendata.bauen import alle_bauen, speicher
from opendata.datensaetze import alle


class Command(BaseCommand):
    """Write the open-data files (CSV, JSON, XLSX) of all or the named datasets into the open-data storage
    (OPENDATA_DIR or STORAGES['opendata']).

    Part of ``make load``: writes every file at once (also those the relay would rebuild after ``load_all``), so
    a fresh installation serves them before the first change.
    """

    help = "Schreibt die Dateien unter /opendaten/ (alle oder die genannten Datensätze)."

    def add_arguments(self, parser):
        parser.add_argument("namen", nargs="*", help="Datensätze, z. B. leistungen tandems (leer: alle)")

    def handle(self, *args, namen, **options):
        unbekannt = sorted(set(namen) - set(alle()))
        if unbekannt:
            raise CommandError(f"Unbekannte Datensätze: {', '.join(unbekannt)}; bekannt: {', '.join(alle())}")
        ergebnis = alle_bauen(namen or None)
        for name, groessen in ergebnis.items():
            self.stdout.write(f"{name}: " + ", ".join(f"{f} {g} Bytes" for f, g in groessen.items()))
        ablage = speicher()
        # A file-system storage names its directory; object storage (S3) has none to show.
        self.stdout.write(f"{len(ergebnis)} Datensätze in {getattr(ablage, 'location', type(ablage).__name__)}")
