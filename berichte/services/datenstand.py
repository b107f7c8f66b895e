"""The data state a report is built from: per source table its row count, highest id and latest history entry.

Cheap to compute (indexed MAX, one COUNT per table) and changes with every insert, delete and every change saved
through the ORM or the admin (they write a history row). A bulk UPDATE that bypasses the ORM does not show; the
nightly build therefore always rebuilds (``force``).
"""

import hashlib
import json

from django.apps import apps
from django.db.models import Count, Max

from ..choices import Berichtsart

#: Source models per report, as "app_label.Model"; the history model is looked up where one exists.
QUELLEN = {
    Berichtsart.THEMENFELDBEARBEITUNG: [
        "catalog.Themenfeld",
        "catalog.Organisation",
        "themenfelder.TandemRolle",
        "themenfelder.PhasenStatus",
        "labore.Labor",
    ],
    Berichtsart.UMSETZUNGSSTAND: [
        "catalog.Themenfeld",
        "catalog.Lage",
        "catalog.Leistung",
        "catalog.Gebietskoerperschaft",
        "catalog.Zustaendigkeit",
        "catalog.Umsetzungsstand",
        "catalog.KommunaleUmsetzung",
    ],
    Berichtsart.LABORE: [
        "catalog.Themenfeld",
        "catalog.Organisation",
        "labore.Labor",
        "labore.Labor_leistungen",
        "themenfelder.Teilnahme",
    ],
    Berichtsart.BETEILIGUNG: [
        "catalog.Themenfeld",
        "catalog.Organisation",
        "catalog.Gebietskoerperschaft",
        "themenfelder.Teilnahme",
    ],
}


def _model(bezeichnung: str):
    app_label, name = bezeichnung.split(".")
    if name == "Labor_leistungen":
        return apps.get_model(app_label, "Labor").leistungen.through
    return apps.get_model(app_label, name)


def _historie(model):
    try:
        return apps.get_model(model._meta.app_label, f"Historical{model.__name__}")
    except LookupError:
        return None


def ermitteln(art: str) -> dict:
    """The data state of the sources of ``art``: {table: {anzahl, max_id, historie_max_id}}."""
    stand = {}
    for bezeichnung in QUELLEN[art]:
        model = _model(bezeichnung)
        eintrag = model.objects.order_by().aggregate(anzahl=Count("pk"), max_id=Max("pk"))
        historie = _historie(model)
        if historie is not None:
            eintrag["historie_max_id"] = historie.objects.order_by().aggregate(m=Max("pk"))["m"]
        stand[model._meta.db_table] = eintrag
    return stand


def pruefsumme(stand: dict) -> str:
    return hashlib.sha256(json.dumps(stand, sort_keys=True, default=str).encode()).hexdigest()
