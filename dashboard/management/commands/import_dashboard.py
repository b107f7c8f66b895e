"""``manage.py import_dashboard FILE|URL …``: load rows in the federal dashboard's format."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.importers import ImportFehler
from core.kontext import als_befehl

from ...importers import AbrufFehler, importiere, seiten_laden


class Command(BaseCommand):
    help = (
        "Importiert Zeilen im Format des Dashboards Digitale Verwaltung (CSV mit ; oder ,, XLSX, JSON-Seiten von "
        "GET /v1/data/{ars}) aus Dateien oder von einer URL der API (alle Seiten). Prüft erst alles; bei Fehlern "
        "wird nichts geschrieben."
    )

    def add_arguments(self, parser):
        parser.add_argument("quellen", nargs="+", metavar="DATEI|URL")
        parser.add_argument("--dry-run", action="store_true", help="nur prüfen und zählen, nichts schreiben")
        parser.add_argument("--max-seiten", type=int, default=None, help="höchstens so viele Seiten je URL")
        parser.add_argument("--max-bytes", type=int, default=None, help="höchstens so viele Bytes je URL")
        parser.add_argument("--timeout", type=float, default=None, help="Sekunden je Abruf")

    @als_befehl()  # log entries say: written by a command
    def handle(self, *args, quellen, dry_run, max_seiten, max_bytes, timeout, **options):
        with tempfile.TemporaryDirectory(prefix="import-dashboard-") as ordner:
            dateien = []
            for nummer, quelle in enumerate(quellen):
                if quelle.startswith(("http://", "https://")):
                    ziel = Path(ordner) / str(nummer)
                    ziel.mkdir()
                    try:
                        seiten = seiten_laden(quelle, ziel, max_seiten=max_seiten, max_bytes=max_bytes, timeout=timeout)
                    except AbrufFehler as exc:
                        raise CommandError(f"Abruf fehlgeschlagen, nichts wurde geändert: {exc}") from exc
                    dateien += [(f"{quelle} (Seite {i})", p) for i, p in enumerate(seiten)]
                else:
                    pfad = Path(quelle)
                    if not pfad.is_file():
                        raise CommandError(f"{quelle}: Datei nicht gefunden")
                    dateien.append((pfad.name, pfad))
            try:
                plan, ergebnis = importiere(dateien, dry_run=dry_run)
            except ImportFehler as exc:
                raise CommandError(exc.bericht()) from exc
        self.stdout.write(
            f"{plan.zeilen} Zeilen geprüft, {plan.dienste} Onlinedienste"
            + (f", {plan.zusammengefasst} gleiche Zeilen zusammengefasst" if plan.zusammengefasst else "")
        )
        for zeile in ergebnis.zeilen():
            self.stdout.write(zeile)
        if dry_run:
            self.stdout.write("Probelauf (--dry-run): nichts wurde geschrieben.")
