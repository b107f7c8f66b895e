"""Run every benchmark in bench/ (files named bench_*.py), one after another, and print their figures.

Benchmarks measure; they never fail the build. Each is bounded in time and talks only to 127.0.0.1.
Most need PostgreSQL: they use DATABASE_URL if set, else postgres://postgres@127.0.0.1:5432/ozgportal_bench.
Usage: make bench            (all)
       make bench ONLY=import (those whose name contains "import")
"""

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    nur = os.environ.get("ONLY", "")
    skripte = sorted(p for p in HERE.glob("bench_*.py") if nur in p.stem)
    fehler = 0
    for skript in skripte:
        print(f"\n=== {skript.stem} ===", flush=True)
        start = time.monotonic()
        ergebnis = subprocess.run([sys.executable, str(skript)], cwd=HERE.parent, check=False)
        print(f"--- {skript.stem}: {time.monotonic() - start:.0f} s, Exit {ergebnis.returncode}", flush=True)
        fehler += ergebnis.returncode != 0
    return 1 if fehler else 0


if __name__ == "__main__":
    sys.exit(main())
