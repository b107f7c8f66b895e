"""NetBox style: every model field has a filter, so a new field cannot silently go unfilterable."""

import pytest

from catalog.filtersets import api as catalog_filtersets
from core.api.filters import ApiFilterSet
from labore import filtersets as labore_filtersets
from ozgportal.api.urls import router
from themenfelder import filtersets as themenfelder_filtersets

#: Filtersets over a model that are not its resource's list (they filter another view of the model).
NICHT_DIE_LISTE = {catalog_filtersets.KommuneLeistungFilterSet}


def _filtersets():
    for modul in (catalog_filtersets, themenfelder_filtersets, labore_filtersets):
        for wert in vars(modul).values():
            if (
                isinstance(wert, type)
                and issubclass(wert, ApiFilterSet)
                and wert.__module__ == modul.__name__
                and wert not in NICHT_DIE_LISTE
            ):
                yield wert


@pytest.mark.parametrize("filterset", list(_filtersets()), ids=lambda f: f.__name__)
def test_every_model_field_has_a_filter(filterset):
    model = filterset._meta.model
    alias = getattr(filterset, "feldfilter", {})
    ohne = getattr(filterset, "ohne_filter", {})
    fehlend = []
    for feld in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if feld.primary_key or feld.name in ohne:
            continue
        name = alias.get(feld.name, feld.name)
        if not any(f == name or f.startswith(f"{name}__") for f in filterset.base_filters):
            fehlend.append(feld.name)
    assert not fehlend, (
        f"{filterset.__name__}: kein Filter für {fehlend} (Filter ergänzen oder in ohne_filter begründen)"
    )
    assert "q" in filterset.base_filters


def test_every_list_has_its_filterset():
    eigene = {f._meta.model: f for f in _filtersets()}
    for _prefix, viewset, _basename in router.registry:
        model = viewset.queryset.model
        assert viewset.filterset_class is eigene[model], viewset.__name__
