from django.core.management.base import BaseCommand, CommandError

from berichte.choices import Ausloeser, Berichtsart
from berichte.tasks import bericht_bauen


class Command(BaseCommand):
    """Rebuild the stored reports now, in this process (default) or queued for the worker (``--einreihen``)."""

    help = "Baut die gespeicherten Berichte neu (alle oder die genannten)."

    def add_arguments(self, parser):
        parser.add_argument("arten", nargs="*", help=f"Berichte: {', '.join(Berichtsart.values)} (leer: alle)")
        parser.add_argument("--erzwingen", action="store_true", help="auch bauen, wenn sich nichts geändert hat")
        parser.add_argument("--einreihen", action="store_true", help="an den Worker geben statt hier zu bauen")

    def handle(self, *args, arten, erzwingen, einreihen, **options):
        unbekannt = set(arten) - set(Berichtsart.values)
        if unbekannt:
            raise CommandError(f"Unbekannte Berichte: {', '.join(sorted(unbekannt))}")
        for art in arten or Berichtsart.values:
            kwargs = {"art": art, "erzwingen": erzwingen, "ausloeser": Ausloeser.BEFEHL}
            if einreihen:
                bericht_bauen.apply_async(kwargs=kwargs)
                self.stdout.write(f"{art}: eingereiht")
                continue
            # apply() runs the task here, through the same code path as the worker (lock, data state, retries).
            ergebnis = bericht_bauen.apply(kwargs=kwargs, throw=True).get()
            self.stdout.write(f"{art}: {ergebnis['status']} (Lauf {ergebnis['lauf_id']}, {ergebnis['dauer_ms']} ms)")
