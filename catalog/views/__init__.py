"""Public pages of the catalogue (HTTP only: the data comes from ``catalog.kommunenliste``, the rules from
``catalog.vollzieher``, the rows' HTML from templates through ``catalog.darstellung``)."""

from ..kommunenliste import gebiet_or_404
from .kommune import kommune, kommune_druck, kommune_export, zustaendigkeit_vorlage
from .leistung import kommunen_suche, leistung

__all__ = [
    "gebiet_or_404",
    "kommune",
    "kommune_druck",
    "kommune_export",
    "kommunen_suche",
    "leistung",
    "zustaendigkeit_vorlage",
]
