"""redaktion sits below catalog and names its levels as strings; they must be catalog's."""

from catalog.choices import Ebene
from redaktion.models import REDAKTION_EBENEN, Redaktionszuordnung


def test_ebenen_sind_die_des_katalogs():
    assert set(REDAKTION_EBENEN) == {Ebene.LAND, Ebene.KREIS, Ebene.GEMEINDEVERBAND, Ebene.GEMEINDE}


def test_tabellen_behalten_ihren_namen():
    assert Redaktionszuordnung._meta.db_table == "ozgportal_redaktionszuordnung"
    assert Redaktionszuordnung.history.model._meta.db_table == "ozgportal_historicalredaktionszuordnung"
