"""Helpers for the federal-format tests. Every file they write is synthetic TEST DATA, labelled in name and header."""

import csv
import json
from pathlib import Path

import pytest

from catalog.models import LeikaLeistung
from dashboard.choices import SPALTEN

KOPFZEILE = "# TESTDATEN: synthetische Zeilen nur für Tests, keine echten Umsetzungsstände"


def zeile(ars: str, leika_key: str = "", ozgid="", art="landesweit flächendeckend", aktiv="ja", status="ok", url=None):
    """One synthetic row in the federal format."""
    return {
        "leika_key": leika_key,
        "leika_name": "",
        "ars": ars,
        "ozgid": ozgid,
        "url": url if url is not None else f"https://testdaten.invalid/{ars}/{leika_key or ozgid}",
        "online_status": status,
        "aktiv": aktiv,
        "art_flaechendeckung": art,
    }


def schreibe_csv(pfad: Path, zeilen, trenner=";") -> Path:
    assert "testdaten" in pfad.name
    with pfad.open("w", encoding="utf-8", newline="") as f:
        f.write(KOPFZEILE + "\n")
        schreiber = csv.writer(f, delimiter=trenner)
        schreiber.writerow(SPALTEN)
        for z in zeilen:
            schreiber.writerow([z.get(s, "") for s in SPALTEN])
    return pfad


def schreibe_json(pfad: Path, zeilen, **seite) -> Path:
    assert "testdaten" in pfad.name
    inhalt = {"_hinweis": KOPFZEILE, "content": list(zeilen), "last": True, **seite}
    pfad.write_text(json.dumps(inhalt), encoding="utf-8")
    return pfad


@pytest.fixture
def leika(db):
    """Real LeiKa-Schlüssel of the 2019 catalogue that belong to exactly one OZG-Leistung."""
    return list(
        LeikaLeistung.objects.exclude(schluessel="")
        .exclude(leistung=None)
        .order_by("zeile")
        .values_list("schluessel", "leistung__ozg_id")[:400]
    )


@pytest.fixture(autouse=True)
def _grosszuegige_drosselung(settings):
    # As in tests/api: the anonymous throttle would answer 429 to the generated requests of one test.
    from django.core.cache import cache

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/min"}}
    cache.clear()
