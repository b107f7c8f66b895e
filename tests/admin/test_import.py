"""CSV/XLSX import of Zuständigkeit and Umsetzungsstand in the admin: preview first, broken files change nothing."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from openpyxl import Workbook, load_workbook

from catalog.models import KommunaleUmsetzung, Leistung, Umsetzungsstand, Zustaendigkeit

URL = "/admin/catalog/zustaendigkeit/importieren/"


def csv_datei(text: str, name="zustaendigkeit.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


KOPF = "land,ozg_id,leika_schluessel,ebene,rechtsgrundlage,bemerkung\n"


def hochladen(client, url, datei):
    return client.post(url, {"datei": datei})


def bestaetigen(client, url, vorschau):
    return client.post(url, {"paket": vorschau.context["paket"], "bestaetigt": "1"})


def test_vorschau_aendert_nichts_und_bestaetigung_schreibt_mit_historie(client, land_sh, sh):
    client.force_login(land_sh)
    datei = csv_datei(KOPF + "SH,10000,,kreis,Zuständigkeitsverordnung SH,\nSH,10519,,gemeinde,,\n")
    vorschau = hochladen(client, URL, datei)
    assert vorschau.status_code == 200
    assert vorschau.context["zahlen"] == {"neu": 2, "geändert": 0, "unverändert": 0}
    assert "2 neu, 0 geändert, 0 unverändert" in vorschau.content.decode()
    assert not Zustaendigkeit.objects.exists()

    antwort = bestaetigen(client, URL, vorschau)
    assert antwort.status_code == 302
    erfasst = Zustaendigkeit.objects.get(land=sh, leistung__ozg_id=10000)
    assert erfasst.ebene == "kreis"
    historie = erfasst.history.get()
    assert historie.history_user == land_sh
    assert historie.history_change_reason == "Import zustaendigkeit.csv"


def test_zweiter_import_zeigt_vorher_und_nachher(client, land_sh, sh):
    client.force_login(land_sh)
    bestaetigen(client, URL, hochladen(client, URL, csv_datei(KOPF + "SH,10000,,kreis,,\n")))
    vorschau = hochladen(client, URL, csv_datei(KOPF + "SH,10000,,Gemeinde/Gemeindeverband,,\n"))
    assert vorschau.context["zahlen"] == {"neu": 0, "geändert": 1, "unverändert": 0}
    assert "vollziehende Ebene: Kreis → Gemeinde/Gemeindeverband" in vorschau.content.decode()
    bestaetigen(client, URL, vorschau)
    erfasst = Zustaendigkeit.objects.get(land=sh, leistung__ozg_id=10000)
    assert erfasst.ebene == "gemeinde"
    assert [h.ebene for h in erfasst.history.order_by("history_date")] == ["kreis", "gemeinde"]
    # Unchanged rows are reported and not written again.
    vorschau = hochladen(client, URL, csv_datei(KOPF + "SH,10000,,gemeinde,,\n"))
    assert vorschau.context["zahlen"] == {"neu": 0, "geändert": 0, "unverändert": 1}


def test_kaputte_datei_aendert_nichts_und_nennt_die_zeilen(client, land_sh, sh, he):
    client.force_login(land_sh)
    Zustaendigkeit.objects.create(land=sh, leistung_id=_leistung(10000), ebene="kreis")
    datei = csv_datei(
        KOPF
        + "SH,10000,,land,,\n"  # line 2: fine (would change kreis → land)
        + "SH,99999,,kreis,,\n"  # line 3: no such OZG-ID
        + "HE,10519,,kreis,,\n"  # line 4: another Land
        + "SH,10519,,bezirk,,\n"  # line 5: no such level
        + "SH,10000,,kreis,,\n"  # line 6: duplicate of line 2
    )
    antwort = hochladen(client, URL, datei)
    assert antwort.status_code == 400
    fehler = {(f.zeile, f.spalte) for f in antwort.context["fehler"]}
    assert fehler == {(3, "ozg_id"), (4, None), (5, "ebene"), (6, None)}
    inhalt = antwort.content.decode()
    assert "nichts wurde geändert" in inhalt
    for teil in ("99999", "bezirk", "gehört nicht zu Ihrem Bereich", "schon in Zeile 2"):
        assert teil in inhalt
    assert Zustaendigkeit.objects.get(land=sh).ebene == "kreis"
    assert not Zustaendigkeit.objects.filter(land=he).exists()


def _leistung(ozg_id):
    return Leistung.objects.get(ozg_id=ozg_id).pk


def test_falsche_kopfzeile_und_falsche_kodierung(client, fitko):
    client.force_login(fitko)
    antwort = hochladen(client, URL, csv_datei("land;leistung\nSH;10000\n"))
    assert antwort.status_code == 400
    assert "Spalten fehlen" in antwort.content.decode()
    kaputt = SimpleUploadedFile("z.csv", KOPF.encode() + "SH,10000,,kreis,Stra\xdfe,\n".encode("latin-1"))
    antwort = hochladen(client, URL, kaputt)
    assert antwort.status_code == 400
    assert "UTF-8" in antwort.content.decode()


def test_excel_csv_mit_semikolon(client, fitko, sh):
    client.force_login(fitko)
    text = KOPF.replace(",", ";") + "SH;10000;;kreis;„Verordnung, § 2“;\n"
    vorschau = hochladen(client, URL, csv_datei(text))
    assert vorschau.context["zahlen"]["neu"] == 1
    bestaetigen(client, URL, vorschau)
    assert Zustaendigkeit.objects.get(land=sh).rechtsgrundlage == "„Verordnung, § 2“"


def test_xlsx_umsetzungsstand_und_export_im_selben_format(client, land_sh, sh):
    client.force_login(land_sh)
    buch = Workbook()
    blatt = buch.active
    blatt.append(["land", "ozg_id", "status", "reifegradmodell", "reifegrad", "efa_anbieter", "online_url", "stand"])
    blatt.append(["SH", 10000, "online verfügbar", "1.1", 3, "HB", "https://example.org/elterngeld", "01.06.2024"])
    blatt.append(["SH", 10519, "in_umsetzung", "", None, "", "", "2024-06-01"])
    puffer = io.BytesIO()
    buch.save(puffer)
    url = "/admin/catalog/umsetzungsstand/importieren/"
    vorschau = hochladen(client, url, SimpleUploadedFile("stand.xlsx", puffer.getvalue()))
    assert vorschau.status_code == 200, vorschau.context.get("fehler")
    bestaetigen(client, url, vorschau)
    stand = Umsetzungsstand.objects.get(land=sh, leistung__ozg_id=10000)
    assert (stand.status, stand.reifegrad, stand.efa_anbieter.ars) == ("online_verfuegbar", 3, "04")
    assert stand.nachnutzend

    liste = client.post(
        "/admin/catalog/umsetzungsstand/",
        {"action": "als_xlsx_exportieren", "_selected_action": [stand.pk]},
    )
    zeilen = list(load_workbook(io.BytesIO(liste.content)).active.iter_rows(values_only=True))
    assert zeilen[1][:5] == ("SH", 10000, "online_verfuegbar", "1.1", 3)


def test_reifegrad_ausserhalb_des_modells(client, fitko):
    client.force_login(fitko)
    text = "land,ozg_id,status,reifegradmodell,reifegrad,stand\nSH,10000,online_verfuegbar,1.1,6,2024-06-01\n"
    antwort = hochladen(client, "/admin/catalog/umsetzungsstand/importieren/", csv_datei(text))
    assert antwort.status_code == 400
    assert [(f.zeile, f.spalte) for f in antwort.context["fehler"]] == [(2, "reifegrad")]


def test_kommune_redaktion_importiert_nur_die_eigene_kommune(client, kommune_kiel, kiel):
    client.force_login(kommune_kiel)
    url = "/admin/catalog/kommunaleumsetzung/importieren/"
    text = (
        "kommune,ozg_id,status,geplant_bis,online_url,stand\n"
        "01002000,10000,geplant,2025-01-01,,2024-06-01\n"
        "01003000,10000,angeschlossen,,,2024-06-01\n"  # Lübeck: not this editor's
    )
    antwort = hochladen(client, url, csv_datei(text))
    assert antwort.status_code == 400
    assert [f.zeile for f in antwort.context["fehler"]] == [3]
    assert not KommunaleUmsetzung.objects.exists()

    vorschau = hochladen(client, url, csv_datei(text.rsplit("\n", 2)[0] + "\n"))
    bestaetigen(client, url, vorschau)
    assert KommunaleUmsetzung.objects.get().kommune == kiel


def test_manipulierte_vorschau_wird_abgelehnt(client, land_sh):
    client.force_login(land_sh)
    antwort = client.post(URL, {"paket": "erfunden", "bestaetigt": "1"})
    assert antwort.status_code == 302
    assert not Zustaendigkeit.objects.exists()


@pytest.mark.parametrize("rolle", ["lesend", "kommune", "ohne"])
def test_import_nur_mit_schreibrecht(client, personen, rolle):
    client.force_login(personen[rolle])
    assert client.get(URL).status_code == 403
