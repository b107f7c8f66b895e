"""The DCAT-AP.de catalogue of the bulk downloads, as an rdflib graph (served as Turtle and JSON-LD).

One dcat:Dataset per dataset, one dcat:Distribution per format (CSV, JSON, XLSX), with the properties DCAT-AP.de
2.x requires or GovData's harvester expects: title/description (German), publisher, licence and attribution text,
access and download URL, format and media type, temporal and spatial coverage, theme, issued/modified and
dcatde:contributorID. Dates come from the built files, so the catalogue needs no database query beyond none.
"""

from datetime import UTC, date, datetime

from django.conf import settings
from django.utils import timezone

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from .bauen import CONTENT_TYPES, datei
from .choices import Format
from .datensaetze import LIZENZEN, alle

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
EU_THEMA = "http://publications.europa.eu/resource/authority/data-theme/"
EU_DATEITYP = "http://publications.europa.eu/resource/authority/file-type/"
EU_SPRACHE = URIRef("http://publications.europa.eu/resource/authority/language/DEU")
DEUTSCHLAND = URIRef("http://publications.europa.eu/resource/authority/country/DEU")
GEOCODING_BUND = URIRef("http://dcat-ap.de/def/politicalGeocoding/Level/federal")
GEOCODING_DEUTSCHLAND = URIRef("http://dcat-ap.de/def/politicalGeocoding/countryKey/DEU")
OEFFENTLICH = URIRef("http://publications.europa.eu/resource/authority/access-right/PUBLIC")
DATEITYPEN = {Format.CSV: "CSV", Format.JSON: "JSON", Format.XLSX: "XLSX"}
IANA = "https://www.iana.org/assignments/media-types/"
#: Day the portal's data state begins (Seed "Stand 11.04.2019", catalogue 2019).
ERSTVEROEFFENTLICHT = date(2019, 4, 11)


def herausgeber_name() -> str:
    return settings.PORTAL_BETREIBER or settings.OPENDATA_HERAUSGEBER


def _datum(wert: datetime) -> Literal:
    return Literal(wert.astimezone(UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def katalog(basis: str) -> Graph:
    """The catalogue graph; ``basis`` is the portal's public address (scheme and host, no trailing slash)."""
    g = Graph()
    for prefix, ns in [("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("dcatde", DCATDE), ("vcard", VCARD)]:
        g.bind(prefix, ns)
    g.bind("adms", ADMS)

    katalog_uri = URIRef(f"{basis}/opendaten/katalog")
    herausgeber = URIRef(f"{basis}/opendaten/katalog#herausgeber")
    contributor = URIRef(settings.OPENDATA_CONTRIBUTOR_ID or f"{basis}/opendaten/katalog#bereitsteller")
    jetzt = timezone.now()

    g.add((herausgeber, RDF.type, FOAF.Organization))
    g.add((herausgeber, FOAF.name, Literal(herausgeber_name(), lang="de")))
    g.add((herausgeber, FOAF.homepage, URIRef(f"{basis}/")))

    g.add((katalog_uri, RDF.type, DCAT.Catalog))
    g.add((katalog_uri, DCTERMS.title, Literal("Offene Daten des OZG-Portals", lang="de")))
    g.add(
        (
            katalog_uri,
            DCTERMS.description,
            Literal(
                "OZG-Leistungen, LeiKa-Leistungen, Gebietskörperschaften, Zuständigkeiten, Tandems, Phasenstatus, "
                "Digitalisierungslabore, Teilnahmen und Berichte zur Umsetzung des Onlinezugangsgesetzes.",
                lang="de",
            ),
        )
    )
    g.add((katalog_uri, DCTERMS.publisher, herausgeber))
    g.add((katalog_uri, FOAF.homepage, URIRef(f"{basis}/opendaten/")))
    g.add((katalog_uri, DCTERMS.language, EU_SPRACHE))
    g.add((katalog_uri, DCTERMS.license, URIRef(LIZENZEN["dl-by-de"]["uri"])))
    g.add((katalog_uri, DCTERMS.issued, Literal(ERSTVEROEFFENTLICHT, datatype=XSD.date)))
    g.add((katalog_uri, DCTERMS.spatial, DEUTSCHLAND))

    letzte = None
    for datensatz in alle().values():
        ds = URIRef(f"{basis}/opendaten/#{datensatz.name}")
        g.add((katalog_uri, DCAT.dataset, ds))
        g.add((ds, RDF.type, DCAT.Dataset))
        g.add((ds, DCTERMS.identifier, Literal(f"{basis}/opendaten/#{datensatz.name}")))
        g.add((ds, DCTERMS.title, Literal(datensatz.titel, lang="de")))
        g.add((ds, DCTERMS.description, Literal(datensatz.beschreibung, lang="de")))
        g.add((ds, DCTERMS.publisher, herausgeber))
        g.add((ds, DCATDE.contributorID, contributor))
        g.add((ds, DCAT.theme, URIRef(EU_THEMA + datensatz.thema)))
        g.add((ds, DCTERMS.language, EU_SPRACHE))
        g.add((ds, DCTERMS.spatial, DEUTSCHLAND))
        g.add((ds, DCATDE.politicalGeocodingLevelURI, GEOCODING_BUND))
        g.add((ds, DCATDE.politicalGeocodingURI, GEOCODING_DEUTSCHLAND))
        g.add((ds, DCTERMS.accessRights, OEFFENTLICH))
        g.add((ds, DCAT.landingPage, URIRef(f"{basis}/opendaten/")))
        g.add((ds, DCTERMS.issued, Literal(ERSTVEROEFFENTLICHT, datatype=XSD.date)))
        for wort in datensatz.schlagworte:
            g.add((ds, DCAT.keyword, Literal(wort, lang="de")))
        zeitraum = BNode()
        g.add((ds, DCTERMS.temporal, zeitraum))
        g.add((zeitraum, RDF.type, DCTERMS.PeriodOfTime))
        g.add((zeitraum, DCAT.startDate, Literal(datensatz.beginn, datatype=XSD.date)))
        g.add((zeitraum, DCAT.endDate, Literal(timezone.localdate(jetzt), datatype=XSD.date)))
        kontakt = BNode()
        g.add((ds, DCAT.contactPoint, kontakt))
        g.add((kontakt, RDF.type, VCARD.Organization))
        g.add((kontakt, VCARD.fn, Literal(herausgeber_name())))
        if settings.PORTAL_KONTAKT_EMAIL:
            g.add((kontakt, VCARD.hasEmail, URIRef(f"mailto:{settings.PORTAL_KONTAKT_EMAIL}")))

        lizenz = LIZENZEN[datensatz.lizenz]
        geaendert_ds = None
        for format_ in Format:
            url = URIRef(f"{basis}/opendaten/{datensatz.name}.{format_}")
            dist = URIRef(f"{basis}/opendaten/{datensatz.name}.{format_}#distribution")
            g.add((ds, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCTERMS.title, Literal(f"{datensatz.titel} ({format_.label})", lang="de")))
            g.add((dist, DCAT.accessURL, url))
            g.add((dist, DCAT.downloadURL, url))
            g.add((dist, DCTERMS.format, URIRef(EU_DATEITYP + DATEITYPEN[format_])))
            g.add((dist, DCAT.mediaType, URIRef(IANA + CONTENT_TYPES[format_].split(";")[0])))
            g.add((dist, DCTERMS.license, URIRef(lizenz["uri"])))
            g.add((dist, DCATDE.licenseAttributionByText, Literal(datensatz.namensnennung, lang="de")))
            g.add((dist, DCTERMS.issued, Literal(ERSTVEROEFFENTLICHT, datatype=XSD.date)))
            gebaut = datei(datensatz.name, format_)
            if gebaut is not None:
                g.add((dist, DCTERMS.modified, _datum(gebaut.geaendert)))
                g.add((dist, DCAT.byteSize, Literal(gebaut.groesse, datatype=XSD.nonNegativeInteger)))
                geaendert_ds = max(filter(None, [geaendert_ds, gebaut.geaendert]))
        if geaendert_ds is not None:
            g.add((ds, DCTERMS.modified, _datum(geaendert_ds)))
            letzte = max(filter(None, [letzte, geaendert_ds]))
    g.add((katalog_uri, DCTERMS.modified, _datum(letzte or jetzt)))
    return g
