"""The DCAT-AP.de catalogue, parsed with rdflib: the properties DCAT-AP.de requires for catalogue, datasets and
distributions, the licences and the publisher."""

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from opendata.bauen import bauen
from opendata.datensaetze import alle

pytestmark = pytest.mark.django_db

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
DL_BY_DE = URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
MIT = URIRef("http://publications.europa.eu/resource/authority/licence/MIT")


def _graph(client, pfad, format_):
    antwort = client.get(pfad)
    assert antwort.status_code == 200
    return Graph().parse(data=antwort.content.decode(), format=format_), antwort


@pytest.fixture
def ttl(client, opendata_dir):
    bauen("labore")
    graph, antwort = _graph(client, "/opendaten/katalog.ttl", "turtle")
    assert antwort["Content-Type"].startswith("text/turtle")
    return graph


def _eins(g, s, p):
    werte = list(g.objects(s, p))
    assert werte, f"{s} hat kein {p}"
    return werte[0]


def test_katalog_pflichtangaben(ttl):
    kataloge = list(ttl.subjects(RDF.type, DCAT.Catalog))
    assert len(kataloge) == 1
    k = kataloge[0]
    for p in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, FOAF.homepage, DCTERMS.modified, DCTERMS.language):
        _eins(ttl, k, p)
    assert _eins(ttl, k, DCTERMS.title).language == "de"
    assert len(list(ttl.objects(k, DCAT.dataset))) == len(alle())


def test_herausgeber_platzhalter_oder_betreiber(client, settings, ttl, opendata_dir):
    k = next(ttl.subjects(RDF.type, DCAT.Catalog))
    herausgeber = _eins(ttl, k, DCTERMS.publisher)
    assert (herausgeber, RDF.type, FOAF.Organization) in ttl
    assert str(_eins(ttl, herausgeber, FOAF.name)) == settings.OPENDATA_HERAUSGEBER
    assert "noch nicht eingetragen" in settings.OPENDATA_HERAUSGEBER

    settings.PORTAL_BETREIBER = "Musterbehörde für Tests"
    g, _ = _graph(client, "/opendaten/katalog.ttl", "turtle")
    k = next(g.subjects(RDF.type, DCAT.Catalog))
    assert str(_eins(g, _eins(g, k, DCTERMS.publisher), FOAF.name)) == "Musterbehörde für Tests"


def test_jeder_datensatz_und_jede_distribution(ttl):
    datensaetze = list(ttl.subjects(RDF.type, DCAT.Dataset))
    assert len(datensaetze) == len(alle())
    for ds in datensaetze:
        for p in (
            DCTERMS.title,
            DCTERMS.description,
            DCTERMS.publisher,
            DCATDE.contributorID,
            DCAT.theme,
            DCTERMS.spatial,
            DCTERMS.temporal,
            DCTERMS.issued,
            DCATDE.politicalGeocodingLevelURI,
        ):
            _eins(ttl, ds, p)
        assert str(_eins(ttl, ds, DCAT.theme)).startswith(
            "http://publications.europa.eu/resource/authority/data-theme/"
        )
        assert _eins(ttl, ds, DCTERMS.spatial) == URIRef("http://publications.europa.eu/resource/authority/country/DEU")
        zeitraum = _eins(ttl, ds, DCTERMS.temporal)
        assert str(_eins(ttl, zeitraum, DCAT.startDate)).startswith("2019-")
        distributionen = list(ttl.objects(ds, DCAT.distribution))
        assert len(distributionen) == 3
        formate = set()
        for dist in distributionen:
            assert (dist, RDF.type, DCAT.Distribution) in ttl
            zugang = _eins(ttl, dist, DCAT.accessURL)
            assert _eins(ttl, dist, DCAT.downloadURL) == zugang
            assert "/opendaten/" in str(zugang)
            formate.add(str(_eins(ttl, dist, DCTERMS.format)).rsplit("/", 1)[1])
            assert str(_eins(ttl, dist, DCAT.mediaType)).startswith("https://www.iana.org/assignments/media-types/")
            assert _eins(ttl, dist, DCTERMS.license) in (DL_BY_DE, MIT)
            assert str(_eins(ttl, dist, DCATDE.licenseAttributionByText))
        assert formate == {"CSV", "JSON", "XLSX"}


def test_lizenzen_je_quelle(ttl):
    def lizenz(name):
        ds = URIRef(next(str(s) for s in ttl.subjects(RDF.type, DCAT.Dataset) if str(s).endswith(f"#{name}")))
        dist = next(iter(ttl.objects(ds, DCAT.distribution)))
        return _eins(ttl, dist, DCTERMS.license), str(_eins(ttl, dist, DCATDE.licenseAttributionByText))

    assert lizenz("gebietskoerperschaften")[0] == DL_BY_DE
    assert "Destatis" in lizenz("gebietskoerperschaften")[1]
    assert lizenz("leistungen")[0] == MIT
    assert lizenz("tandems")[0] == DL_BY_DE


def test_gebaute_datei_hat_datum_und_groesse(ttl, opendata_dir):
    dist = URIRef(
        next(str(s) for s in ttl.subjects(RDF.type, DCAT.Distribution) if str(s).endswith("/labore.csv#distribution"))
    )
    assert int(_eins(ttl, dist, DCAT.byteSize)) == (opendata_dir / "labore.csv").stat().st_size
    _eins(ttl, dist, DCTERMS.modified)


def test_jsonld_gleicher_inhalt(client, ttl, django_assert_num_queries):
    with django_assert_num_queries(0):
        jsonld, antwort = _graph(client, "/opendaten/katalog.jsonld", "json-ld")
    assert antwort["Content-Type"].startswith("application/ld+json")
    assert len(list(jsonld.subjects(RDF.type, DCAT.Dataset))) == len(alle())
    assert len(jsonld) == len(ttl)
