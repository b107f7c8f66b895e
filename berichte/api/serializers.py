from rest_framework import serializers

from ..models import Berichtslauf
from ..tabellen import TABELLEN


class BerichtslaufSerializer(serializers.ModelSerializer):
    """One build: when, why, from which data state, with its summary figures."""

    art_titel = serializers.CharField(source="get_art_display", read_only=True)

    class Meta:
        model = Berichtslauf
        fields = [
            "id",
            "art",
            "art_titel",
            "gebaut_am",
            "dauer_ms",
            "ausloeser",
            "datenstand_hash",
            "datenstand",
            "synthetisch",
            "kennzahlen",
            "details_entfernt",
        ]


def _zeilen_serializer(tabelle):
    felder = [name for name, _ in tabelle.spalten]
    zusatz = {name: serializers.ReadOnlyField() for name, _ in tabelle.zusatz}
    meta = type("Meta", (), {"model": tabelle.model, "fields": felder})
    name = "".join(teil.capitalize() for teil in tabelle.schluessel.split("-")) + "ZeileSerializer"
    return type(name, (serializers.ModelSerializer,), {"Meta": meta, **zusatz})


#: One row serializer per published table.
ZEILEN_SERIALIZER = {schluessel: _zeilen_serializer(t) for schluessel, t in TABELLEN.items()}
