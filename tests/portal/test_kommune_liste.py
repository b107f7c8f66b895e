"""The whole list of a Kommune from the Land's kept part and the list's frame rendered once per structure: the same
rows and the same bytes as the plain query and the plain template, renewed by the Land's own changes.

Runs on SQLite and on PostgreSQL (the CI variant with DATABASE_URL): the Landesstand is part of the Bereich query.
"""

import datetime
from itertools import groupby

from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe

import pytest

from catalog import darstellung, kommunenliste
from catalog.choices import UmsetzungsStatus, VollzugsEbene
from catalog.filtersets.kommune import KommuneLeistungFilterSet
from catalog.leistungskatalog import katalog_der_anfrage
from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung, Lage, Leistung, Umsetzungsstand, Zustaendigkeit
from catalog.vollzieher import OFFENE_EBENEN, vollzieher_je_ebene
from core.datenstand import bereich_setzen, datenstand_der_anfrage

pytestmark = pytest.mark.django_db

ITZEHOE = "01061046"
HEILIGENSTEDTEN = "01061034"
KREIS = "01061"
LAND = "01"
MUENCHEN = "09162000"


def _anfrage(schluessel):
    request = RequestFactory().get(f"/kommunen/{schluessel}/")
    bereich_setzen(request, kommunenliste.gebiet_bereich(schluessel))
    return request


def _beide(schluessel):
    """The whole list through ``ganze_liste`` and through the one query, for one body (a fresh request each)."""
    request = _anfrage(schluessel)
    gebiet = kommunenliste.gebiet_or_404(schluessel)
    katalog = katalog_der_anfrage(request)
    ganz = kommunenliste.ganze_liste(gebiet, katalog, datenstand_der_anfrage(request))
    abfrage = kommunenliste.zeilen(kommunenliste.werte(Leistung.objects.fuer_kommune(gebiet)), katalog)
    return ganz, abfrage


@pytest.fixture
def staende():
    """A recorded Zuständigkeit and Umsetzungsstand in Schleswig-Holstein and statuses of two of its bodies."""
    land = Gebietskoerperschaft.objects.get(ars=LAND)
    Zustaendigkeit.objects.create(land=land, leistung=Leistung.objects.get(ozg_id=10000), ebene=VollzugsEbene.KREIS)
    Umsetzungsstand.objects.create(
        land=land,
        leistung=Leistung.objects.get(ozg_id=10001),
        status=UmsetzungsStatus.ONLINE,
        stand=datetime.date(2026, 1, 5),
    )
    for ags, ozg_id, synthetisch in ((ITZEHOE, 10000, False), (ITZEHOE, 10002, True), (HEILIGENSTEDTEN, 10001, False)):
        KommunaleUmsetzung.objects.create(
            kommune=Gebietskoerperschaft.objects.get(ags=ags),
            leistung=Leistung.objects.get(ozg_id=ozg_id),
            status="angeschlossen",
            synthetisch=synthetisch,
            stand=datetime.date(2026, 1, 5),
        )


def test_the_kept_land_part_gives_the_rows_of_the_one_query(im_speicher, staende, django_assert_num_queries):
    ganz, abfrage = _beide(HEILIGENSTEDTEN)  # keeps Schleswig-Holstein's part
    assert list(ganz) == abfrage and len(ganz) == 557
    for schluessel in (ITZEHOE, KREIS, LAND, HEILIGENSTEDTEN):
        request = _anfrage(schluessel)
        gebiet = kommunenliste.gebiet_or_404(schluessel)
        katalog, stand = katalog_der_anfrage(request), datenstand_der_anfrage(request)
        with django_assert_num_queries(1):  # the body's own statuses only
            ganz = kommunenliste.ganze_liste(gebiet, katalog, stand)
        abfrage = kommunenliste.zeilen(kommunenliste.werte(Leistung.objects.fuer_kommune(gebiet)), katalog)
        assert list(ganz) == abfrage, schluessel
    itzehoe = {z.leistung.ozg_id: z for z in _beide(ITZEHOE)[0]}
    assert (itzehoe[10000].ebene, itzehoe[10000].abgeleitet, itzehoe[10000].kommune_status) == (
        "kreis",
        False,
        "angeschlossen",
    )
    assert itzehoe[10002].synthetisch and not itzehoe[10000].synthetisch and itzehoe[10003].kommune_status is None


def test_a_change_of_the_land_renews_its_part_and_no_other_lands(im_speicher, client, django_assert_num_queries):
    client.get(f"/kommunen/{HEILIGENSTEDTEN}/")
    client.get(f"/kommunen/{MUENCHEN}/")
    # Datenstand, body, the body's own statuses, Teilnahmen: the Land's part and the catalogue from memory.
    with django_assert_num_queries(4):
        client.get(f"/kommunen/{ITZEHOE}/")
    land = Gebietskoerperschaft.objects.get(ars=LAND)
    Zustaendigkeit.objects.create(land=land, leistung=Leistung.objects.get(ozg_id=10000), ebene=VollzugsEbene.KREIS)
    html = client.get(f"/kommunen/{ITZEHOE}/").content.decode()
    zeile = html.split("<td>10000</td>", 1)[1].split("</tr>", 1)[0]
    assert 'href="/kommunen/01061/">Steinburg</a><span class="hinweis">Kreis; erfasst</span>' in zeile
    assert list(_beide(HEILIGENSTEDTEN)[0]) == _beide(HEILIGENSTEDTEN)[1]
    # Another Land's change leaves Schleswig-Holstein's part alone: still no query of the whole list.
    Zustaendigkeit.objects.create(
        land=Gebietskoerperschaft.objects.get(ars="09"), leistung=Leistung.objects.get(ozg_id=10001), ebene="land"
    )
    with django_assert_num_queries(4):
        client.get(f"/kommunen/{HEILIGENSTEDTEN}/")


def _vorlage_liste(gebiet, zeilen, vollzieher, offen):
    """The list as the plain templates render it: every row and every frame through the template engine."""
    kopf, wer, stand = (get_template(n) for n in (darstellung.KOPF, darstellung.WER, darstellung.STAND))

    def zeile(z):
        v = vollzieher[z.ebene]
        link = v.gebiet.get_absolute_url() if v.gebiet is not None and v.gebiet.pk != gebiet.pk else ""
        text = darstellung.status_text(z.land_status, z.kommune_status)
        return (
            kopf.render({"l": z.leistung})
            + wer.render({"v": v, "link": link, "abgeleitet": z.abgeleitet})
            + stand.render({"text": text, "synthetisch": z.synthetisch})
        )

    gruppen = []
    for tf, tf_zeilen in groupby(zeilen, key=lambda z: z.leistung.themenfeld_name):
        tf_zeilen = list(tf_zeilen)
        lagen = [
            {"name": name, "anzahl": len(lz := list(lage_zeilen)), "zeilen": mark_safe("".join(map(zeile, lz)))}  # noqa: S308
            for name, lage_zeilen in groupby(tf_zeilen, key=lambda z: z.leistung.lage_name)
        ]
        offene = sum(z.ebene in OFFENE_EBENEN for z in tf_zeilen)
        gruppen.append({"name": tf, "lagen": lagen, "anzahl": len(tf_zeilen), "offen": offene})
    offen = offen or len(gruppen) == 1
    kontext = {"gruppen": gruppen, "gruppen_offen": offen, "tabellenkopf": darstellung.tabellenkopf()}
    return get_template(darstellung.GRUPPEN).render(kontext), offen


@pytest.mark.parametrize("sprache", ["de", "en"])
@pytest.mark.parametrize("schluessel", [HEILIGENSTEDTEN, KREIS, LAND])
@pytest.mark.parametrize(
    "parameter", ["", "themenfeld=familie-kind", "ebene=offen", "status=land_online_verfuegbar", "q=zzzz"]
)
def test_the_list_is_byte_for_byte_what_the_templates_render(im_speicher, staende, sprache, schluessel, parameter):
    with translation.override(sprache):
        for _zweimal in range(2):  # rendered, then from the kept frame
            request = _anfrage(schluessel)
            request.GET = request.GET.copy()
            request.GET.update(dict([parameter.split("=")]) if parameter else {})
            gebiet = kommunenliste.gebiet_or_404(schluessel)
            katalog = katalog_der_anfrage(request)
            filterset = KommuneLeistungFilterSet(
                request.GET or None, queryset=Leistung.objects.fuer_kommune(gebiet), request=request
            )
            assert not filterset.is_bound or filterset.is_valid()
            zeilen = kommunenliste.aus_werten(kommunenliste.werte(filterset.qs), katalog)
            vollzieher = vollzieher_je_ebene(gebiet)
            schnell = darstellung.liste(gebiet, zeilen, vollzieher, katalog, offen=bool(parameter))
            erwartet = _vorlage_liste(gebiet, zeilen, vollzieher, bool(parameter))
            assert (schnell.inhalt.decode(), schnell.offen) == erwartet


def test_names_with_markup_stay_text_in_rows_and_frames(client):
    leistung = Leistung.objects.get(ozg_id=10000)
    leistung.name = "<script>alert('Leistung')</script>"
    leistung.save()
    lage = Lage.objects.get(pk=leistung.lage_id)
    lage.name = "<script>alert('Lage')</script>"
    lage.save()
    themenfeld = lage.themenfeld
    themenfeld.name = '"><script>alert(1)</script>'
    themenfeld.save()
    for pfad in (f"/kommunen/{ITZEHOE}/", f"/kommunen/{ITZEHOE}/?themenfeld={themenfeld.slug}"):
        html = client.get(pfad).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;Leistung&#x27;)&lt;/script&gt;" in html
        assert "&lt;script&gt;alert(&#x27;Lage&#x27;)&lt;/script&gt;" in html
        assert 'aria-label="OZG-Leistungen im Themenfeld &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
