"""A Themenfeld's phases come in the programme's order (Vorgespräche … TF-Abschluss), not alphabetically."""

import pytest

from themenfelder.choices import Phase

pytestmark = pytest.mark.django_db


def test_themenfeld_lists_its_phases_in_programme_order(client):
    for pfad in ("/api/v1/themenfelder/familie-kind/", "/api/v1/themenfelder/?page_size=20"):
        daten = client.get(pfad).json()
        themenfelder = daten.get("results", [daten])
        for themenfeld in themenfelder:
            phasen = [p["phase"] for p in themenfeld["phasen"]]
            assert phasen == [p for p in Phase.values if p in phasen], (pfad, phasen)
            assert len(phasen) >= 2
