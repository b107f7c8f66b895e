import time
from datetime import date

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung, Leistung


class Command(BaseCommand):
    """Generate synthetic KommunaleUmsetzung rows (every Gemeinde × every OZG-Leistung) for benchmarks only.

    Every row has ``synthetisch=True`` and reports that count them say so. One INSERT … SELECT in the database (no
    Python loop, no signals, no history rows); existing rows, real or synthetic, are left alone
    (ON CONFLICT DO NOTHING), so a second run adds nothing. ``--loeschen`` removes all synthetic rows again.
    Never part of ``make run``.
    """

    help = "Erzeugt synthetische Umsetzungsstände der Kommunen (nur für Lasttests, als synthetisch markiert)."

    def add_arguments(self, parser):
        parser.add_argument("--gemeinden", type=int, default=None, help="nur die ersten N Gemeinden (Tests)")
        parser.add_argument("--leistungen", type=int, default=None, help="nur die ersten N OZG-Leistungen")
        parser.add_argument("--saat", type=int, default=0, help="verändert die Verteilung reproduzierbar")
        parser.add_argument("--loeschen", action="store_true", help="alle synthetischen Zeilen entfernen")

    def handle(self, *args, gemeinden, leistungen, saat, loeschen, **options):
        start = time.monotonic()
        if loeschen:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {connection.ops.quote_name(KommunaleUmsetzung._meta.db_table)} WHERE synthetisch"
                )
                anzahl = cursor.rowcount
            self.stdout.write(f"{anzahl} synthetische Zeilen entfernt.")
            return
        erwartet = Gebietskoerperschaft.objects.filter(ebene="gemeinde").count() * Leistung.objects.count()
        if not gemeinden and not leistungen and KommunaleUmsetzung.objects.filter(synthetisch=True).count() >= erwartet:
            self.stdout.write(f"Synthetische Daten sind schon vollständig ({erwartet} Zeilen); nichts zu tun.")
            return
        ku = connection.ops.quote_name(KommunaleUmsetzung._meta.db_table)
        gebiet = connection.ops.quote_name(Gebietskoerperschaft._meta.db_table)
        leistung = connection.ops.quote_name(Leistung._meta.db_table)
        g_limit = f"LIMIT {int(gemeinden)}" if gemeinden else ""
        l_limit = f"LIMIT {int(leistungen)}" if leistungen else ""
        if connection.vendor == "postgresql":
            # Deterministic per Gemeinde and Leistung: the same run gives the same distribution.
            wurf = f"abs(hashtext(g.ars || ':' || l.ozg_id || ':' || {int(saat)})) %% 100"
            datum = "(CAST(%s AS date) + (x.h * 3))"
        else:
            wurf = "abs(random()) %% 100"
            datum = "date(%s, '+' || (x.h * 3) || ' days')"
        sql = (
            f"INSERT INTO {ku} (kommune_id, leistung_id, status, geplant_bis, online_url, stand, synthetisch) "
            "SELECT x.gid, x.lid, "
            "CASE WHEN x.h < 35 THEN 'angeschlossen' WHEN x.h < 65 THEN 'geplant' ELSE 'nicht_geplant' END, "
            f"CASE WHEN x.h >= 35 AND x.h < 65 THEN {datum} END, '', %s, TRUE "
            f"FROM (SELECT g.id AS gid, l.id AS lid, {wurf} AS h "
            f"FROM (SELECT id, ars FROM {gebiet} WHERE ebene = 'gemeinde' ORDER BY ars {g_limit}) g "
            f"CROSS JOIN (SELECT id, ozg_id FROM {leistung} ORDER BY ozg_id {l_limit}) l "
            # "WHERE 1 = 1": SQLite needs a WHERE before ON CONFLICT in an INSERT … SELECT.
            "ORDER BY g.id, l.id) x WHERE 1 = 1 "
            "ON CONFLICT (kommune_id, leistung_id) DO NOTHING"
        )
        heute = date.today()
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute(sql, [heute, heute])
            neu = cursor.rowcount
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {ku}")
        self.stdout.write(
            f"{neu} synthetische Umsetzungsstände angelegt in {time.monotonic() - start:.1f} s "
            "(markiert als synthetisch; entfernen mit --loeschen)."
        )
