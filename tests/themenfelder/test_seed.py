"""The seed tables "Stand 11.04.2019": tandems, phases, participating Kommunen and their mapping."""

import datetime

from django.core.management import CommandError, call_command

import pytest

from catalog.models import Organisation, Themenfeld
from core.importers import Zaehler
from themenfelder.choices import Phase, PhasenStatus, Rolle, Umfang
from themenfelder.importers import import_seed
from themenfelder.models import PhasenStatus as PhasenStatusModel
from themenfelder.models import TandemRolle, Teilnahme

pytestmark = pytest.mark.django_db
STAND = datetime.date(2019, 4, 11)


def _tandem(name):
    return {
        (r.partner_kurz, r.rolle, r.umfang)
        for r in TandemRolle.objects.filter(themenfeld__name=name).select_related("land", "organisation")
    }


def test_tandem_of_familie_und_kind():
    assert _tandem("Familie & Kind") == {
        ("BMFSFJ", Rolle.FEDERFUEHRUNG, Umfang.THEMENFELD),
        ("HB", Rolle.FEDERFUEHRUNG, Umfang.THEMENFELD),
        ("SL", Rolle.MITARBEIT, Umfang.THEMENFELD),
        ("BY", Rolle.MITARBEIT, Umfang.EINZELTHEMA),
        ("BLK Justiz", Rolle.MITARBEIT, Umfang.EINZELTHEMA),
    }
    assert Organisation.objects.get(kurzname="BMFSFJ").art == "bundesressort"


def test_every_themenfeld_has_six_phases_as_of_the_seed():
    assert PhasenStatusModel.objects.filter(stand=STAND).count() == 14 * 6
    familie = dict(PhasenStatusModel.objects.filter(themenfeld__name="Familie & Kind").values_list("phase", "status"))
    assert familie == {
        Phase.VORGESPRAECHE: PhasenStatus.ABGESCHLOSSEN,
        Phase.KICKOFF: PhasenStatus.ABGESCHLOSSEN,
        Phase.ANALYSE_PLANUNG: PhasenStatus.ABGESCHLOSSEN,
        Phase.DURCHFUEHRUNG_LABORE: PhasenStatus.LAUFEND,
        Phase.UMSETZUNGSPLANUNG: PhasenStatus.LAUFEND,
        Phase.ABSCHLUSS: PhasenStatus.IN_VORBEREITUNG,
    }
    steuern = dict(PhasenStatusModel.objects.filter(themenfeld__name="Steuern & Zoll").values_list("phase", "status"))
    assert steuern[Phase.KICKOFF] == PhasenStatus.LAUFEND
    assert steuern[Phase.DURCHFUEHRUNG_LABORE] == PhasenStatus.NICHT_BEGONNEN


def test_stand_am_keeps_the_seed_reproducible_after_a_later_status():
    familie = Themenfeld.objects.get(name="Familie & Kind")
    PhasenStatusModel.objects.create(
        themenfeld=familie,
        phase=Phase.DURCHFUEHRUNG_LABORE,
        status=PhasenStatus.ABGESCHLOSSEN,
        stand=datetime.date(2020, 6, 1),
    )
    heute = PhasenStatusModel.objects.stand_am().filter(themenfeld=familie)
    damals = PhasenStatusModel.objects.stand_am(STAND).filter(themenfeld=familie)
    assert heute.get(phase=Phase.DURCHFUEHRUNG_LABORE).status == PhasenStatus.ABGESCHLOSSEN
    assert damals.get(phase=Phase.DURCHFUEHRUNG_LABORE).status == PhasenStatus.LAUFEND
    assert heute.count() == damals.count() == 6
    assert not PhasenStatusModel.objects.stand_am(datetime.date(2019, 1, 1)).exists()


def test_participants_resolve_to_real_gebietskoerperschaften():
    teilnahmen = Teilnahme.objects.filter(stand=STAND)
    assert teilnahmen.count() == 67
    assert teilnahmen.filter(organisation__art="it_dienstleister").count() == 3
    kommunen = teilnahmen.filter(gebiet__isnull=False)
    assert kommunen.count() == 64
    # The seed headline says 53 Kommunen; its own table names 54 distinct ones (see fixtures SOURCE.md).
    assert kommunen.values("gebiet").distinct().count() == 54
    assert kommunen.values("themenfeld").distinct().count() == 9
    laender = {t.gebiet.ars[:2] for t in kommunen.select_related("gebiet")}
    assert len(laender) == 15


def test_wrong_land_codes_are_reported_not_dropped():
    bremen = Teilnahme.objects.filter(name_im_dokument="Bremen", land_im_dokument="NI").select_related("gebiet")
    assert bremen.count() == 2
    assert {t.gebiet.ars for t in bremen} == {"04011"}
    assert all("NI statt HB" in t.befund for t in bremen)
    schwerin = Teilnahme.objects.get(name_im_dokument="Schwerin")
    assert schwerin.gebiet.land_kuerzel == "MV" and "SH statt MV" in schwerin.befund
    assert Teilnahme.objects.get(name_im_dokument="Otenaukreis").gebiet.name == "Ortenaukreis"


def test_import_report_lists_discrepancies(capsys):
    call_command("import_seed", dry_run=True)
    ausgabe = capsys.readouterr().out
    assert "Bremen (NI) → Bremen, Stadt [04011, HB]: Land-Kürzel falsch: NI statt HB" in ausgabe
    assert "Teilnahmen: 0 neu, 0 geändert, 67 unverändert" in ausgabe


def test_second_import_changes_nothing(settings):
    zaehler = Zaehler()
    import_seed(settings.FIXTURES_DIR / "seed-2019-04-11", zaehler)
    assert not zaehler.geaendert


def test_mapping_to_unknown_ars_or_wrong_land_is_rejected(fixtures_copy):
    ordner = fixtures_copy / "seed-2019-04-11"
    datei = ordner / "kommunen_zuordnung.csv"
    text = datei.read_text(encoding="utf-8")
    text = text.replace("Bottrop,NW,05512,", "Bottrop,NW,05599,")
    text = text.replace(
        "Schwerin,SH,13004,Schwerin,MV,Land-Kürzel falsch: SH statt MV,", "Schwerin,SH,13004,Schwerin,MV,,"
    )
    datei.write_text(text, encoding="utf-8")
    tandems = ordner / "tandems.csv"
    tandems.write_text(tandems.read_text(encoding="utf-8").replace("BMFSFJ,FF", "BMFSFJ,XX", 1), encoding="utf-8")

    with pytest.raises(CommandError) as info:
        call_command("import_seed", ordner=ordner)
    meldung = str(info.value)
    assert (
        "kommunen_zuordnung.csv, Zeile 2, Spalte „ars“, Wert „05599“: Regionalschlüssel nicht im Gemeindeverzeichnis"
        in meldung
    )
    assert "Land im Dokument SH ≠ MV: Befund fehlt" in meldung
    assert "tandems.csv, Zeile 2, Spalte „rolle“, Wert „XX“" in meldung
