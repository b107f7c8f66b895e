"""The main journey, as a user walks it: misspelt name → Kommune → filter → CSV that matches the page."""

import csv
import io

import pytest

pytestmark = pytest.mark.browser


def test_find_kommune_by_misspelt_name_filter_and_download_matching_csv(seite, portal):
    seite.goto(portal + "/")
    seite.get_by_label("Name, Gemeindeschlüssel (AGS) oder Postleitzahl").fill("Heiligenstedtn")
    seite.get_by_role("button", name="Kommune suchen").click()
    seite.wait_for_url("**/kommunen/?q=Heiligenstedtn")

    seite.get_by_role("link", name="Heiligenstedten", exact=True).click()
    seite.wait_for_url("**/kommunen/01061034/")
    assert seite.get_by_role("heading", level=1).inner_text() == "Heiligenstedten"
    assert seite.get_by_role("link", name="Itzehoe-Land").first.is_visible()

    seite.select_option("#filter-themenfeld", label="Familie & Kind")
    seite.select_option("#filter-typ", "2_3")
    seite.get_by_role("button", name="Filter anwenden").click()
    seite.wait_for_url("**themenfeld=familie-kind**")
    auf_der_seite = seite.eval_on_selector_all(
        "table.leistungen tbody tr",
        "rows => rows.map(r => [r.cells[0].innerText.trim(), r.cells[1].innerText.trim(), r.cells[4].innerText])",
    )
    assert 0 < len(auf_der_seite) < 557
    assert seite.inner_text("#anzahl").startswith(f"{len(auf_der_seite)} von 557 OZG-Leistungen")

    with seite.expect_download() as info:
        seite.get_by_role("link", name="Diese Liste als CSV herunterladen").click()
    download = info.value
    assert download.suggested_filename == "ozg-leistungen-01061034-heiligenstedten.csv"
    with open(download.path(), encoding="utf-8-sig") as datei:
        zeilen = list(csv.reader(io.StringIO(datei.read()), delimiter=";"))
    kopf, daten = zeilen[0], zeilen[1:]
    assert kopf[:2] == ["OZG-ID", "Leistung"]
    assert [(z[0], z[1]) for z in daten] == [(z[0], z[1]) for z in auf_der_seite]
    wer = kopf.index("Wer vollzieht hier")
    assert all(zeile[wer] in zelle for zeile, zelle in zip(daten, (z[2] for z in auf_der_seite), strict=True))
    assert seite.fremde_anfragen == []
