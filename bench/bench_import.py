"""Full import of the real data into an empty database, on SQLite and on PostgreSQL.

Measures `manage.py load_all` (Gemeindeverzeichnis, OZG-Katalog 2019, seed tables) after a fresh `migrate`,
three runs each, plus a second run on the filled database (idempotent: everything unchanged).
Target (issue 2): under 60 s each.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "ozgportal_bench_import"
RUNS = 3


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def timed(env, *args) -> float:
    start = time.perf_counter()
    manage(env, *args)
    return time.perf_counter() - start


def psql(sql):
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc", sql], check=True)


def main():
    base_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ozgportal.settings.dev", "DEBUG": "False"}
    base_env.pop("REDIS_URL", None)
    results = {}

    times, again = [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**base_env, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
            manage(env, "migrate", "--noinput")
            times.append(timed(env, "load_all"))
            again.append(timed(env, "load_all"))
    results["SQLite"] = (times, again)

    times, again = [], []
    for _ in range(RUNS):
        psql(f"DROP DATABASE IF EXISTS {PG_DB}")
        psql(f"CREATE DATABASE {PG_DB}")
        env = {**base_env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{PG_DB}"}
        manage(env, "migrate", "--noinput")
        times.append(timed(env, "load_all"))
        again.append(timed(env, "load_all"))
    psql(f"DROP DATABASE IF EXISTS {PG_DB}")
    results["PostgreSQL"] = (times, again)

    print("Vollständiger Import (load_all) in eine leere Datenbank, Sekunden (Prozess inkl. Django-Start):")
    print(f"{'Datenbank':<12} {'leer: Median':>13} {'max':>6} {'zweiter Lauf: Median':>22}")
    for name, (leer, zweit) in results.items():
        print(f"{name:<12} {statistics.median(leer):>13.1f} {max(leer):>6.1f} {statistics.median(zweit):>22.1f}")


if __name__ == "__main__":
    main()
