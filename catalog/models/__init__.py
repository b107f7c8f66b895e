from .gebiete import Gebietskoerperschaft
from .katalog import Lage, LeikaLeistung, Leistung, Themenfeld
from .organisationen import Organisation
from .umsetzung import KommunaleUmsetzung, Umsetzungsstand
from .zustaendigkeit import Zustaendigkeit

__all__ = [
    "Gebietskoerperschaft",
    "KommunaleUmsetzung",
    "Lage",
    "LeikaLeistung",
    "Leistung",
    "Organisation",
    "Themenfeld",
    "Umsetzungsstand",
    "Zustaendigkeit",
]
