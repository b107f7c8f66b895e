import multiprocessing
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from catalog import vorrat


def _teil(schluessel):
    return vorrat.auffuellen(schluessel)


class Command(BaseCommand):
    """Fill the stock of pages and API answers now (``catalog.vorrat``): after a deployment or an emptied Redis."""

    help = (
        "Baut die Seiten und API-Antworten jeder Gebietskörperschaft (Deutsch und Englisch) in den Cache, soweit "
        "sie nicht schon für den aktuellen Datenstand gebaut sind. Nur mit SEITEN_VORRAT=alle."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--prozesse", type=int, default=1, help="So viele Prozesse bauen nebeneinander (1–16, Standard 1)."
        )

    def handle(self, *args, prozesse, **options):
        if not vorrat.an():
            raise CommandError("Der Seitenvorrat ist aus: SEITEN_VORRAT=alle setzen (und den Seiten-Cache an).")
        if not 1 <= prozesse <= 16:
            raise CommandError(f"--prozesse {prozesse}: erlaubt sind 1 bis 16.")
        start = time.monotonic()
        bis = vorrat.relay.letzte_id()  # read before the pages: they show at least this state
        schluessel = vorrat.koerper(None)
        if prozesse == 1:
            teile = [vorrat.auffuellen(schluessel)]
        else:
            connections.close_all()  # each process opens its own connection
            with multiprocessing.get_context("fork").Pool(prozesse) as pool:
                teile = pool.map(_teil, [schluessel[i::prozesse] for i in range(prozesse)])
        vorrat.markieren(bis)  # the worker goes on from here instead of filling it all again
        gesamt = {k: sum(t[k] for t in teile) for k in teile[0]}
        self.stdout.write(
            f"Seitenvorrat: {gesamt['koerper']} Gebietskörperschaften, {gesamt['neu']} gebaut, "
            f"{gesamt['treffer']} schon aktuell, {gesamt['fehler']} Fehler, {time.monotonic() - start:.0f} s"
        )
        if gesamt["fehler"]:
            raise CommandError(f"{gesamt['fehler']} Adressen antworteten nicht mit 200 (siehe Log).")
