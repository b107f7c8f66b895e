"""The stock of pages and API answers (core.vorrat, catalog.vorrat): built before anyone asks, exactly what a
visitor would have got, renewed for the bodies a change affects, stored compressed, one entry per address.

The caches store nothing inside a transaction and tests run inside one: ``caches_wie_ausserhalb_einer_transaktion``
tells only the caches' guards otherwise. The relay's hand-over after a commit is the pipeline's (tests/pipeline);
here the consumer and the task body are called as the relay and the worker call them.
"""

import datetime
import gzip

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

import pytest

from catalog import vorrat
from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung, Leistung
from core import seitencache
from core.models import Aenderung, Neubauauftrag

pytestmark = pytest.mark.django_db

HEILIGENSTEDTEN = "01061034"  # Gemeinde in the Amt Itzehoe-Land, Kreis Steinburg
ITZEHOE = "01061046"
AMT, KREIS, LAND = "010615138", "01061", "01"


@pytest.fixture
def vorrat_an(settings, caches_wie_ausserhalb_einer_transaktion):
    settings.SEITEN_VORRAT = "alle"
    settings.OPENDATA_BASIS_URL = "http://testserver"  # the address the test client asks
    settings.SEITEN_CACHE_SEKUNDEN = 600
    settings.API_ANTWORT_CACHE_SEKUNDEN = 600
    caches[settings.API_ANTWORT_CACHE].clear()
    yield
    caches[settings.API_ANTWORT_CACHE].clear()


def frisch(client, settings, pfad, sprache):
    """What a visitor gets with no cache at all."""
    alt = settings.SEITEN_CACHE_SEKUNDEN, settings.API_ANTWORT_CACHE_SEKUNDEN
    settings.SEITEN_CACHE_SEKUNDEN = settings.API_ANTWORT_CACHE_SEKUNDEN = 0
    try:
        return client.get(pfad, headers={"Accept-Language": sprache}).content
    finally:
        settings.SEITEN_CACHE_SEKUNDEN, settings.API_ANTWORT_CACHE_SEKUNDEN = alt


def test_the_stock_serves_what_a_visitor_would_have_got(client, settings, vorrat_an):
    ergebnis = vorrat.auffuellen([HEILIGENSTEDTEN, KREIS])
    assert ergebnis == {"koerper": 2, "neu": 8, "treffer": 0, "fehler": 0}
    for schluessel in (HEILIGENSTEDTEN, KREIS):
        for pfad in vorrat.adressen(schluessel):
            for sprache in ("de", "en"):
                antwort = client.get(pfad, headers={"Accept-Language": sprache})
                assert antwort["X-Ozg-Cache"] == "treffer", (pfad, sprache)
                assert "Accept-Encoding" in antwort["Vary"]
                assert antwort.content == frisch(client, settings, pfad, sprache), (pfad, sprache)
    # Current entries cost a read, no build.
    assert vorrat.auffuellen([HEILIGENSTEDTEN, KREIS])["treffer"] == 8


def test_a_stored_answer_goes_out_gzip_encoded_to_clients_that_accept_it(client, settings, vorrat_an):
    vorrat.auffuellen([HEILIGENSTEDTEN])
    pfad = f"/kommunen/{HEILIGENSTEDTEN}/"
    antwort = client.get(pfad, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert antwort["Content-Encoding"] == "gzip" and antwort["X-Ozg-Cache"] == "treffer"
    assert gzip.decompress(antwort.content) == frisch(client, settings, pfad, "de")
    assert len(antwort.content) * 4 < len(gzip.decompress(antwort.content))
    assert "Content-Encoding" not in client.get(pfad)  # no Accept-Encoding: plain


def test_an_answer_built_for_another_host_is_not_served(client, settings, vorrat_an):
    settings.OPENDATA_BASIS_URL = "https://ozg.example.invalid"
    vorrat.auffuellen([HEILIGENSTEDTEN])
    # Its paging links name the other host: built again for this one.
    assert client.get(f"/api/v1/kommunen/{HEILIGENSTEDTEN}/leistungen/")["X-Ozg-Cache"] == "neu"


def test_one_entry_per_address_replaced_by_the_next_build(client, rf, vorrat_an):
    pfad = f"/kommunen/{HEILIGENSTEDTEN}/"
    erste = client.get(pfad)
    with translation.override("de"):
        schluessel = seitencache.adresse(rf.get(pfad), "seite")
    cache = caches[settings.API_ANTWORT_CACHE]
    assert cache.get(schluessel)[0] == erste["ETag"]
    KommunaleUmsetzung.objects.create(
        kommune=Gebietskoerperschaft.objects.get(ags=HEILIGENSTEDTEN),
        leistung=Leistung.objects.get(ozg_id=10000),
        status="angeschlossen",
        stand=datetime.date(2026, 1, 5),
    )
    zweite = client.get(pfad)
    assert zweite["X-Ozg-Cache"] == "neu" and zweite["ETag"] != erste["ETag"]  # the old entry is not used …
    assert cache.get(schluessel)[0] == zweite["ETag"]  # … the new build took its place instead of leaving it behind


def test_a_kommunes_status_renews_that_kommune_only(client, settings, vorrat_an):
    vorrat.auffuellen([HEILIGENSTEDTEN, ITZEHOE, AMT, KREIS, LAND])
    start = Aenderung.objects.latest("id").id
    # The stock is current up to here (its first run ever covers the whole log: everything, a full fill).
    Neubauauftrag.objects.create(schluessel=vorrat.AUFTRAG, task=vorrat.TASK, argumente={}, erledigt_bis=start)
    KommunaleUmsetzung.objects.create(
        kommune=Gebietskoerperschaft.objects.get(ags=HEILIGENSTEDTEN),
        leistung=Leistung.objects.get(ozg_id=10000),
        status="angeschlossen",
        stand=datetime.date(2026, 1, 5),
    )
    neu = list(Aenderung.objects.filter(id__gt=start).values_list("gebiet_ars", "modell"))
    assert vorrat.betroffen(neu) == {Gebietskoerperschaft.objects.get(ags=HEILIGENSTEDTEN).ars}
    # The consumer demands a run; the worker's task body rebuilds Heiligenstedten's four addresses.
    vorrat.verarbeiten(list(Aenderung.objects.filter(id__gt=start)))
    assert vorrat.erneuern() == {"koerper": 1, "neu": 4, "treffer": 0, "fehler": 0}
    seite = client.get(f"/kommunen/{HEILIGENSTEDTEN}/")
    assert seite["X-Ozg-Cache"] == "treffer"
    assert "Kommune: angeschlossen" in seite.content.decode().split("<td>10000</td>", 1)[1].split("</tr>", 1)[0]
    for schluessel in (ITZEHOE, AMT, KREIS, LAND):  # untouched: still current
        assert client.get(f"/kommunen/{schluessel}/")["X-Ozg-Cache"] == "treffer"


def test_what_a_change_renews():
    gemeinde = Gebietskoerperschaft.objects.get(ags=HEILIGENSTEDTEN).ars
    im_kreis = set(Gebietskoerperschaft.objects.filter(ars__startswith=KREIS).values_list("ars", flat=True))
    # A Kreis's own data: the Kreis and every body in it (their pages show what holds above them).
    assert vorrat.betroffen([(KREIS, "catalog.KommunaleUmsetzung")]) == im_kreis
    # A Gemeinde renamed: it and the bodies whose pages list it (Amt, Kreis, Land).
    assert vorrat.betroffen([(gemeinde, "catalog.Gebietskoerperschaft")]) == {gemeinde, AMT, KREIS, LAND}
    # The catalogue: everything; a report build (the pointer is logged without a Gebiet): nothing.
    assert vorrat.betroffen([("", "catalog.Leistung")]) is None
    assert vorrat.betroffen([("", "berichte.AktuellerBericht")]) == set()


def test_the_task_refuses_an_argument_it_cannot_read(vorrat_an):
    from catalog.tasks import seitenvorrat  # noqa: PLC0415

    with pytest.raises(ValueError, match="„alle“ muss true oder false sein"):
        seitenvorrat.apply(kwargs={"alle": "ja"}).get()


def test_off_by_default_and_the_command_says_so(settings):
    settings.SEITEN_VORRAT = "aus"
    vorrat.verarbeiten(list(Aenderung.objects.order_by("-id")[:1]))
    assert not Neubauauftrag.objects.filter(schluessel=vorrat.AUFTRAG).exists()
    with pytest.raises(CommandError, match="SEITEN_VORRAT=alle"):
        call_command("seitenvorrat")
    settings.SEITEN_VORRAT = "alle"
    with pytest.raises(CommandError, match="--prozesse 0"):
        call_command("seitenvorrat", "--prozesse", "0")
