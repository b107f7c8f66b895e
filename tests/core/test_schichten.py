"""The layer contract (import-linter, pyproject.toml) holds for the tree and fails on a new upward import.

Runs ``lint-imports`` on a copy of the first-party packages in tmp_path, so the check of the failing case never
touches the working tree.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

WURZEL = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _pakete() -> list[str]:
    konfiguration = tomllib.loads((WURZEL / "pyproject.toml").read_text())
    return konfiguration["tool"]["importlinter"]["root_packages"]


def _lint_imports(ordner: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=ordner,
        capture_output=True,
        text=True,
        timeout=120,
        # Only the copy may be found: the editable install would otherwise resolve the packages to the worktree.
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ordner), "COLUMNS": "200"},
    )


@pytest.fixture
def kopie(tmp_path) -> Path:
    for paket in _pakete():
        shutil.copytree(WURZEL / paket, tmp_path / paket, ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
    shutil.copy(WURZEL / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_schichten_gehalten(kopie):
    ergebnis = _lint_imports(kopie)
    assert ergebnis.returncode == 0, ergebnis.stdout + ergebnis.stderr
    assert "1 kept, 0 broken" in ergebnis.stdout


def test_neuer_import_nach_oben_bricht_den_vertrag(kopie):
    # catalog (a lower layer) reaching up into berichte: the kind of import the contract exists to stop.
    with (kopie / "catalog" / "choices.py").open("a") as datei:
        datei.write("\nimport berichte.models  # noqa\n")
    ergebnis = _lint_imports(kopie)
    assert ergebnis.returncode == 1, ergebnis.stdout + ergebnis.stderr
    assert "catalog is not allowed to import berichte" in ergebnis.stdout
    assert "catalog.choices -> berichte.models" in ergebnis.stdout
