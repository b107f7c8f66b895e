"""Fuzzing the importers: whatever bytes arrive, an import either reads them or names the problem.

Never another exception, never a partial write (the readers write nothing; the writers run only after them).
"""

import contextlib
import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.importers.quellen import GV_SPALTEN, LEIKA_SPALTEN, lese_gemeindeverzeichnis, lese_katalog
from core.importers import ImportFehler
from themenfelder.importers import lese_seed

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

zelle = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", "01", "0", "00", "000", "0000", "10", "40", "60", "64", " 1 234", "9,5", "1.5", "2/3", "1, 2/3"]
    ),
)


def _csv(header, rows):
    puffer = io.StringIO()
    writer = csv.writer(puffer)
    writer.writerow(header)
    writer.writerows(rows)
    return puffer.getvalue()


@FUZZ
@given(rows=st.lists(st.lists(zelle, min_size=len(GV_SPALTEN), max_size=len(GV_SPALTEN)), max_size=8))
def test_gemeindeverzeichnis_reader_never_crashes(tmp_path_factory, rows):
    datei = tmp_path_factory.mktemp("gv") / "gv.csv"
    datei.write_text(_csv(GV_SPALTEN, rows), encoding="utf-8")
    try:
        lese_gemeindeverzeichnis(datei)
    except ImportFehler as exc:
        assert all(f.datei == "gv.csv" and f.meldung for f in exc.fehler)


@FUZZ
@given(rohdaten=st.binary(max_size=300))
def test_gemeindeverzeichnis_reader_survives_arbitrary_bytes(tmp_path_factory, rohdaten):
    datei = tmp_path_factory.mktemp("gv") / "gv.csv"
    datei.write_bytes(rohdaten)
    with contextlib.suppress(ImportFehler):
        lese_gemeindeverzeichnis(datei)


@FUZZ
@given(
    leistungen=st.lists(st.tuples(zelle, zelle), max_size=5),
    leika=st.lists(st.lists(zelle, min_size=len(LEIKA_SPALTEN), max_size=len(LEIKA_SPALTEN)), max_size=6),
)
def test_katalog_reader_never_crashes(tmp_path_factory, leistungen, leika):
    ordner = tmp_path_factory.mktemp("katalog")
    (ordner / "themenfelder.csv").write_text("themenfeld\nBildung\n", encoding="utf-8")
    (ordner / "lagen.csv").write_text("lage,themenfeld\nSchule,Bildung\n", encoding="utf-8")
    (ordner / "leistungen.csv").write_text(
        _csv(["ozg_id", "leistung", "lage", "themenfeld"], [[o, n, "Schule", "Bildung"] for o, n in leistungen]),
        encoding="utf-8",
    )
    (ordner / "leika.csv").write_text(_csv(LEIKA_SPALTEN, leika), encoding="utf-8")
    try:
        daten = lese_katalog(ordner)
    except ImportFehler as exc:
        assert all(f.meldung for f in exc.fehler)
    else:
        assert all(10000 <= ozg_id <= 99999 for ozg_id in daten["leistungen"])


@pytest.mark.django_db
@FUZZ
@given(text=st.text(max_size=200))
def test_seed_reader_never_crashes(tmp_path_factory, text):
    from django.conf import settings as django_settings

    ordner = tmp_path_factory.mktemp("seed")
    for quelle in (django_settings.FIXTURES_DIR / "seed-2019-04-11").glob("*.csv"):
        (ordner / quelle.name).write_text(quelle.read_text(encoding="utf-8"), encoding="utf-8")
    (ordner / "phasen.csv").write_text("themenfeld,phase,symbol,status,stand\n" + text, encoding="utf-8")
    try:
        lese_seed(ordner)
    except ImportFehler as exc:
        assert all(f.meldung for f in exc.fehler)
