"""Every route of the resolver is covered by the matrix, and every admin model and API resource is in its tables."""

import re

from django.urls import resolve

import pytest

from .routen import (
    AUSGENOMMEN,
    KOMMUNE_LEISTUNGEN_FORMAT,
    admin_sonderrouten,
    alle_routen,
    api_sonderrouten,
    oeffentliche_routen_ohne_parameter,
    oeffentliche_urls,
)
from .tabellen import (
    ADMIN_LABELS,
    ADMIN_MODELLE,
    ADMIN_ROLLEN,
    API_RESSOURCEN,
    BEREICH,
    SUPERUSER,
    admin_urls,
    api_objekte,
    objekte,
    schluessel_von,
)

pytestmark = pytest.mark.django_db


def test_jede_route_ist_abgedeckt(personen, regional):
    """Every route of the resolver is requested by this suite or listed in AUSGENOMMEN with a reason."""
    urls = []
    for model in ADMIN_MODELLE:
        label = model._meta.label
        for rolle in ADMIN_ROLLEN[1:]:
            for obj, _ in objekte(label, rolle, personen, regional):
                urls += admin_urls(model, obj).values()
    urls += [url for _, url, _ in admin_sonderrouten(personen, regional)]
    for prefix, viewset in API_RESSOURCEN:
        urls += [f"/api/v1/{prefix}/", f"/api/v1/{prefix}.json"]
        for obj, _ in api_objekte(viewset, "fitko", personen, regional):
            schluessel = schluessel_von(viewset, obj)
            urls += [f"/api/v1/{prefix}/{schluessel}/", f"/api/v1/{prefix}/{schluessel}.json"]
    urls += [url for url, _ in api_sonderrouten()] + [KOMMUNE_LEISTUNGEN_FORMAT]
    urls += oeffentliche_routen_ohne_parameter()
    urls += [url for url, _ in oeffentliche_urls()]

    abgedeckt = {resolve(url.split("?")[0]).route for url in urls}
    fehlend = [route for route, _ in alle_routen() if route not in abgedeckt and route not in AUSGENOMMEN]
    assert not fehlend, f"Routes neither covered nor in AUSGENOMMEN: {fehlend}"
    veraltet = set(AUSGENOMMEN) - {route for route, _ in alle_routen()}
    assert not veraltet, f"AUSGENOMMEN lists routes that no longer exist: {veraltet}"


def test_admin_registry_und_router_sind_vollstaendig_in_der_tabelle():
    """A new model in the admin or a new API resource must be placed in RECHTE/SUPERUSER consciously."""
    bekannt = set(ADMIN_LABELS)
    for label in {*SUPERUSER, *BEREICH}:
        assert label in bekannt, f"{label} is no longer in the admin"
    for prefix, viewset in API_RESSOURCEN:
        assert re.fullmatch(r"[a-z-]+", prefix), prefix
        assert viewset.queryset.model._meta.label in bekannt, prefix
