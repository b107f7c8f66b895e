"""The Kommune page: who executes what here, filters without JavaScript, downloads of exactly the filtered list."""

import csv
import datetime
import io
import re
from html import unescape

from django.utils import translation

import pytest
from openpyxl import load_workbook

from catalog.choices import EffektiveEbene, VollzugsEbene
from catalog.models import Gebietskoerperschaft, Leistung, Zustaendigkeit

pytestmark = pytest.mark.django_db

ITZEHOE = "01061046"  # Stadt, verwaltet sich selbst
HEILIGENSTEDTEN = "01061034"  # Gemeinde im Amt Itzehoe-Land


def zeilen_der_seite(html):
    """(OZG-ID, name) of every Leistung row shown, in page order."""
    return [(int(i), unescape(n)) for i, n in re.findall(r"<td>(\d{5})</td>\s*<th[^>]*><a[^>]*>([^<]*)</a>", html)]


def csv_zeilen(antwort):
    text = antwort.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_gemeinde_in_an_amt_sees_the_amt_kreis_and_land_as_executing_bodies(client):
    html = client.get(f"/kommunen/{HEILIGENSTEDTEN}/").content.decode()
    assert "Itzehoe-Land" in html and "führt die Verwaltungsgeschäfte der Gemeinde" in html
    assert 'href="/kommunen/010615138/"' in html  # Amt
    assert 'href="/kommunen/01061/"' in html  # Kreis Steinburg
    assert 'href="/kommunen/01/"' in html  # Land
    assert "noch nicht erfasst" in html
    assert len(zeilen_der_seite(html)) == 557


def test_counts_per_level_come_from_the_database_and_add_up(client):
    html = client.get(f"/kommunen/{ITZEHOE}/").content.decode()
    erwartet = {}
    for leistung in Leistung.objects.fuer_kommune(Gebietskoerperschaft.objects.get(ags=ITZEHOE)):
        erwartet[leistung.ebene] = erwartet.get(leistung.ebene, 0) + 1
    for ebene, anzahl in erwartet.items():
        assert f'href="?ebene={ebene}#leistungen" aria-label="{anzahl} Leistungen der Ebene' in html
    assert sum(erwartet.values()) == 557


def test_a_recorded_zustaendigkeit_names_the_kreis_and_is_marked_erfasst(client):
    land = Gebietskoerperschaft.objects.get(ars="01")
    Zustaendigkeit.objects.create(land=land, leistung=Leistung.objects.get(ozg_id=10000), ebene=VollzugsEbene.KREIS)
    html = client.get(f"/kommunen/{HEILIGENSTEDTEN}/?ebene=kreis").content.decode()
    assert zeilen_der_seite(html) == [(10000, "Elterngeld")]
    assert 'href="/kommunen/01061/">Steinburg</a><span class="hinweis">Kreis; erfasst</span>' in html
    # Once the Land has recorded something, the reason no longer says that nothing is recorded.
    antwort = client.get(f"/kommunen/{HEILIGENSTEDTEN}/").content.decode().split('class="antwort"', 1)[1]
    antwort = antwort.split("</section>", 1)[0]
    assert "hat noch keine Redaktion erfasst" not in antwort
    assert "Für diese Leistungen der Typisierung 2, 3 und 4 hat Schleswig-Holstein noch nicht erfasst" in antwort


@pytest.mark.parametrize(
    ("parameter", "pruefung"),
    [
        ("themenfeld=familie-kind", lambda ls: all(x.lage.themenfeld.slug == "familie-kind" for x in ls)),
        ("ebene=bund", lambda ls: all(x.ebene == EffektiveEbene.BUND for x in ls)),
        ("typ=5", lambda ls: all(any("5" in k.typisierung for k in x.leika_leistungen.all()) for x in ls)),
        ("status=kein_stand", lambda ls: len(ls) == 557),
    ],
)
def test_filters_narrow_the_list_and_the_download_matches_the_page(client, parameter, pruefung):
    html = client.get(f"/kommunen/{ITZEHOE}/?{parameter}").content.decode()
    gezeigt = zeilen_der_seite(html)
    assert gezeigt
    leistungen = {x.ozg_id: x for x in Leistung.objects.fuer_kommune(Gebietskoerperschaft.objects.get(ags=ITZEHOE))}
    assert pruefung([leistungen[ozg_id] for ozg_id, _name in gezeigt])
    assert f"{len(gezeigt)} von 557 OZG-Leistungen" in html
    assert f'leistungen.csv?{parameter}"' in html

    csv_antwort = client.get(f"/kommunen/{ITZEHOE}/leistungen.csv?{parameter}")
    assert csv_antwort["Content-Type"].startswith("text/csv")
    zeilen = csv_zeilen(csv_antwort)
    assert zeilen[0][:2] == ["OZG-ID", "Leistung"]
    assert [(int(z[0]), z[1]) for z in zeilen[1:]] == gezeigt

    xlsx = client.get(f"/kommunen/{ITZEHOE}/leistungen.xlsx?{parameter}")
    blatt = load_workbook(io.BytesIO(xlsx.content), read_only=True).active
    werte = list(blatt.iter_rows(values_only=True))
    assert [(z[0], z[1]) for z in werte[1:]] == gezeigt


def test_typ_filter_reads_mixed_typisierungen(client):
    # "1, 2/3" is Typ 1 and Typ 2/3 at once; "10" is not Typ 1.
    typ1 = {i for i, _ in zeilen_der_seite(client.get(f"/kommunen/{ITZEHOE}/?typ=1").content.decode())}
    typ23 = {i for i, _ in zeilen_der_seite(client.get(f"/kommunen/{ITZEHOE}/?typ=2_3").content.decode())}
    gemischt = set(Leistung.objects.filter(leika_leistungen__typisierung="1, 2/3").values_list("ozg_id", flat=True))
    assert gemischt and gemischt <= typ1 and gemischt <= typ23


@pytest.mark.parametrize(
    "parameter",
    ["ebene=quatsch", "themenfeld=gibt-es-nicht", "typ=7x", "status=online", "lage=%00%27--"],
)
def test_malformed_filters_get_a_clear_message_not_a_500(client, parameter):
    antwort = client.get(f"/kommunen/{ITZEHOE}/?{parameter}")
    assert antwort.status_code == 400
    html = antwort.content.decode()
    assert "Die Filter konnten nicht angewendet werden" in html
    assert "ist nicht zulässig" in html
    download = client.get(f"/kommunen/{ITZEHOE}/leistungen.csv?{parameter}")
    assert download.status_code == 400
    assert "Der Download wurde nicht erstellt" in download.content.decode()


def test_query_count_does_not_grow_with_the_rows_shown(client, django_assert_num_queries):
    # Datenstand, body, catalogue (read in full inside a test's transaction, see below), list, Teilnahmen.
    with django_assert_num_queries(5):
        alle = client.get(f"/kommunen/{ITZEHOE}/")
    # A filter adds the whole list's counts (one aggregate), however many rows remain.
    with django_assert_num_queries(6):
        wenige = client.get(f"/kommunen/{ITZEHOE}/?themenfeld=familie-kind")
    assert len(zeilen_der_seite(alle.content.decode())) > 10 * len(zeilen_der_seite(wenige.content.decode()))
    with django_assert_num_queries(4):
        client.get(f"/kommunen/{ITZEHOE}/leistungen.csv")
    with django_assert_num_queries(4):
        client.get(f"/kommunen/{ITZEHOE}/leistungen.csv?themenfeld=familie-kind")


@pytest.fixture
def katalog_im_speicher(monkeypatch):
    """Outside a transaction (as in production) the catalogue is kept per Katalogstand. Tests run inside one, so
    only the catalogue's own guard is told it is outside; the kept catalogue is dropped afterwards."""
    from types import SimpleNamespace

    from catalog import leistungskatalog

    monkeypatch.setattr(leistungskatalog, "connection", SimpleNamespace(in_atomic_block=False))
    yield
    leistungskatalog._gespeichert = None


def test_the_catalogue_is_read_once_per_katalogstand(client, katalog_im_speicher, django_assert_num_queries):
    with django_assert_num_queries(5):
        client.get(f"/kommunen/{HEILIGENSTEDTEN}/", headers={"Accept-Language": "en"})
    # Another body, the other language, the API: the catalogue comes from memory (no query for it).
    with django_assert_num_queries(4):
        assert client.get(f"/kommunen/{ITZEHOE}/").status_code == 200
    with django_assert_num_queries(5):  # + the whole list's counts
        assert client.get(f"/kommunen/{ITZEHOE}/?themenfeld=familie-kind").status_code == 200
    with django_assert_num_queries(3):  # Datenstand (ETag of the download), body, list
        download = client.get(f"/kommunen/{ITZEHOE}/leistungen.csv")
    assert download.status_code == 200 and download["ETag"]
    erneut = client.get(f"/kommunen/{ITZEHOE}/leistungen.csv", headers={"If-None-Match": download["ETag"]})
    assert erneut.status_code == 304
    # Datenstand, body, the whole list (paged in Python: no COUNT; with the Land's part kept, the body's statuses).
    with django_assert_num_queries(3):
        assert client.get("/api/v1/kommunen/01061/leistungen/?page_size=200").status_code == 200
    # A change to the catalogue is a new Katalogstand: read again, with the new name.
    elterngeld = Leistung.objects.get(ozg_id=10000)
    elterngeld.name = "Elterngeld (synthetischer Testname)"
    elterngeld.save()
    with django_assert_num_queries(5):
        html = client.get(f"/kommunen/{ITZEHOE}/").content.decode()
    assert (10000, "Elterngeld (synthetischer Testname)") in zeilen_der_seite(html)


def test_synthetic_statuses_are_flagged_on_the_page_in_print_download_and_api(client):
    from catalog.models import KommunaleUmsetzung

    gebiet = Gebietskoerperschaft.objects.get(ags=ITZEHOE)
    KommunaleUmsetzung.objects.create(
        kommune=gebiet,
        leistung=Leistung.objects.get(ozg_id=10000),
        status="angeschlossen",
        synthetisch=True,
        stand=datetime.date(2026, 1, 5),
    )
    KommunaleUmsetzung.objects.create(
        kommune=gebiet, leistung=Leistung.objects.get(ozg_id=10001), status="geplant", stand=datetime.date(2026, 1, 5)
    )
    for pfad in (f"/kommunen/{ITZEHOE}/", f"/kommunen/{ITZEHOE}/druck/"):
        html = client.get(pfad).content.decode()
        zeile = html.split("<td>10000</td>", 1)[1].split("</tr>", 1)[0]
        assert 'Kommune: angeschlossen <mark class="synthetisch"' in zeile
        echt = html.split("<td>10001</td>", 1)[1].split("</tr>", 1)[0]
        assert "Kommune: geplant" in echt and "synthetisch" not in echt
        assert "1 Stand der Kommune in dieser Liste ist synthetisch" in html
        assert "Darin ist 1 synthetischer Stand" in html  # the plan counts it and says so
    csv = {int(z[0]): z for z in csv_zeilen(client.get(f"/kommunen/{ITZEHOE}/leistungen.csv"))[1:]}
    assert csv[10000][-1] == "Kommune: angeschlossen (synthetisch)" and csv[10001][-1] == "Kommune: geplant"
    antwort = client.get(f"/api/v1/kommunen/{ITZEHOE}/leistungen/?ozg_id=10000,10001,10002").json()
    je_id = {z["ozg_id"]: z for z in antwort["results"]}
    assert je_id[10000]["kommune_synthetisch"] is True and je_id[10001]["kommune_synthetisch"] is False
    assert je_id[10002]["kommune_synthetisch"] is None and je_id[10002]["kommune_status"] is None


def test_land_page_shows_the_land_in_the_programme(client):
    html = client.get("/kommunen/01/").content.decode()
    assert "Schleswig-Holstein im OZG-Programm" in html
    assert "Kreise und kreisfreie Städte (15)" in html
    assert "Rollen in Themenfeld-Tandems" in html


def test_kreis_page_lists_its_aemter_and_gemeinden(client):
    html = client.get("/kommunen/01061/").content.decode()
    assert 'href="/kommunen/010615138/">Itzehoe-Land</a> (Amt,' in html
    assert "Gemeinden im Kreis (" in html
    assert 'href="/kommunen/01061046/">Itzehoe, Stadt</a>' in html  # amtsfrei: listed itself


@pytest.mark.django_db
def test_numbers_are_written_the_german_way(client):
    html = client.get("/kommunen/01061034/").content.decode()  # Heiligenstedten
    assert "8,97 km²" in html
    assert "1.487" in html  # Einwohner


def test_first_screen_answers_itself_for_it_and_open_with_reason_and_who_can_change_it(client):
    html = client.get(f"/kommunen/{HEILIGENSTEDTEN}/").content.decode()
    antwort = html.split('class="antwort"', 1)[1].split("</section>", 1)[0]
    gebiet = Gebietskoerperschaft.objects.get(ags=HEILIGENSTEDTEN)
    je_ebene = {}
    for leistung in Leistung.objects.fuer_kommune(gebiet):
        je_ebene[leistung.ebene] = je_ebene.get(leistung.ebene, 0) + 1
    vor_ort = je_ebene.get(EffektiveEbene.GEMEINDE, 0) + je_ebene.get(EffektiveEbene.KOMMUNE, 0)
    offen = je_ebene.get(EffektiveEbene.OFFEN, 0) + je_ebene.get(EffektiveEbene.GEMISCHT, 0)
    selbst = f'antwort--selbst"><span class="wert">{vor_ort}</span> '
    assert selbst + "vor Ort – vollzieht für die Gemeinde: Itzehoe-Land (Amt)" in antwort
    assert f'antwort--offen"><span class="wert">{offen}</span> noch nicht erfasst' in antwort
    assert f"der Bund {je_ebene[EffektiveEbene.BUND]}" in antwort
    # No Zuständigkeit recorded in Schleswig-Holstein: the reason, who can change it, the format and a template.
    assert "Für Schleswig-Holstein hat noch keine Redaktion erfasst" in antwort
    assert "Land-Redaktion von Schleswig-Holstein" in antwort
    assert 'href="/datenquellen/#import-zustaendigkeit"' in antwort
    assert 'href="/kommunen/01/zustaendigkeit-vorlage.csv"' in antwort
    assert 'id="import-zustaendigkeit"' in client.get("/datenquellen/").content.decode()
    # The full list stays, folded per Themenfeld without a filter and open with one.
    assert html.count('<details class="themenfeld-gruppe">') == 14
    gefiltert = client.get(f"/kommunen/{HEILIGENSTEDTEN}/?themenfeld=familie-kind").content.decode()
    assert '<details class="themenfeld-gruppe" open>' in gefiltert


def test_import_template_lists_the_open_leistungen_and_imports_once_filled(client, django_user_model):
    from catalog.importers.formate import FORMATE
    from catalog.importers.verwaltung import plane_import

    antwort = client.get("/kommunen/01061034/zustaendigkeit-vorlage.csv")
    assert antwort["Content-Disposition"].endswith('zustaendigkeit-importvorlage-SH.csv"')
    zeilen = csv_zeilen(antwort)
    assert zeilen[0] == ["land", "ozg_id", "leika_schluessel", "ebene", "rechtsgrundlage", "bemerkung"]
    land = Gebietskoerperschaft.objects.get(ars="01")
    offen = {
        x.ozg_id
        for x in Leistung.objects.fuer_kommune(land)
        if x.ebene in (EffektiveEbene.OFFEN, EffektiveEbene.GEMISCHT)
    }
    assert {int(z[1]) for z in zeilen[1:]} == offen and all(z[0] == "SH" and z[3] == "" for z in zeilen[1:])

    fmt = FORMATE[Zustaendigkeit]
    admin = django_user_model.objects.create_superuser("fitko-test", "fitko@example.invalid", "ein-langes-passwort")
    # As downloaded (ebene empty) the import refuses the file and names the column.
    _plan, fehler = plane_import(fmt, admin, "vorlage.csv", antwort.content)
    assert fehler and any("ebene" in str(f) for f in fehler)
    # Filled in for two rows (the rest deleted), it plans two new Zuständigkeiten.
    ausgefuellt = "\n".join([";".join(zeilen[0]), f"SH;{zeilen[1][1]};;kreis;;", f"SH;{zeilen[2][1]};;gemeinde;;"])
    plan, fehler = plane_import(fmt, admin, "vorlage.csv", ausgefuellt.encode())
    assert fehler == [] and [z.art for z in plan] == ["neu", "neu"]


def test_the_parts_kept_across_pages_follow_the_language_and_the_land(client):
    """Footer, table heads and a Land's "Warum offen?" are rendered once and kept: each page still shows its own."""
    # override restores the language afterwards: LocaleMiddleware's activation would outlive the request.
    with translation.override("de"):
        de = client.get(f"/kommunen/{HEILIGENSTEDTEN}/").content.decode()
        en = client.get(f"/kommunen/{HEILIGENSTEDTEN}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        wieder_de = client.get(f"/kommunen/{HEILIGENSTEDTEN}/").content.decode()
        bayern = client.get("/kommunen/09162000/").content.decode()  # München
    assert wieder_de == de
    assert "Datenquellen: © Statistisches Bundesamt" in de and "Impressum</a>" in de
    assert "Data sources: © Federal Statistical Office" in en and "Impressum (legal notice)</a>" in en
    assert "Warum offen? Für Schleswig-Holstein hat noch keine Redaktion erfasst" in de
    assert "Why open? For Schleswig-Holstein no editorial team has yet recorded" in en
    assert "Warum offen? Für Bayern hat noch keine Redaktion erfasst" in bayern
    assert "Land-Redaktion von Bayern" in bayern and "Schleswig-Holstein" not in bayern
    # The chart of the levels is kept too: München's shows München's counts.
    gebiet = Gebietskoerperschaft.objects.get(ags="09162000")
    bund = sum(1 for leistung in Leistung.objects.fuer_kommune(gebiet) if leistung.ebene == EffektiveEbene.BUND)
    assert f">{bund}</text>" in bayern.split('id="ebenen"', 1)[1].split("</svg>", 1)[0]


def test_the_kept_main_navigation_marks_each_pages_own_entry_and_switches_the_language_to_the_same_page(client):
    """The navigation is kept by the page's view: a Kommune page marks no entry, the overview pages their own, and
    the language switch always links back to the very page shown."""

    def navigation(pfad):
        html = client.get(pfad).content.decode()
        return html.split('<nav class="kopf__nav"', 1)[1].split("</nav>", 1)[0]

    with translation.override("de"):
        itzehoe = navigation(f"/kommunen/{ITZEHOE}/")
        themenfelder = navigation("/themenfelder/")
        heiligenstedten = navigation(f"/kommunen/{HEILIGENSTEDTEN}/?ebene=kreis")
        start = navigation("/")
    assert 'aria-current="page"' not in itzehoe and 'aria-current="page"' not in heiligenstedten
    assert themenfelder.count('aria-current="page"') == 1
    assert '<a href="/themenfelder/" aria-current="page">' in themenfelder
    assert start.count('aria-current="page"') == 1 and '<a href="/" aria-current="page">' in start
    assert f'href="/sprache/en/?weiter=/kommunen/{ITZEHOE}/"' in itzehoe
    assert f'href="/sprache/en/?weiter=/kommunen/{HEILIGENSTEDTEN}/%3Febene%3Dkreis"' in heiligenstedten
