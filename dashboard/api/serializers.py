"""The federal dashboard's response shapes (``spec/openapi.yaml``), for the portal's OpenAPI schema.

The views build the dicts directly (the rows come from one SQL query); these serializers document them with the
federal names, value sets and the Spring-style paging envelope.
"""

from rest_framework import serializers

from ..choices import Aktiv, Flaechendeckung, OnlineStatus


class DvDataSerializer(serializers.Serializer):
    leika_key = serializers.CharField(help_text="LeiKa-Schlüssel; leer bei einem Stand je OZG-Leistung")
    leika_name = serializers.CharField(help_text="LeiKa-Name")
    ars = serializers.CharField(help_text="12-stelliger amtlicher Regionalschlüssel; 000000000000: bundesweit")
    ars_name = serializers.CharField(allow_null=True, help_text="Bezeichnung der Gebietskörperschaft")
    ars_federal_state = serializers.CharField(allow_null=True, help_text="2-stelliger Bundeslandcode")
    bundesland = serializers.CharField(allow_null=True, help_text="Bundesland")
    leika_bezeichnung = serializers.CharField(allow_null=True, help_text="LeiKa-Bezeichnung")
    ozgid = serializers.IntegerField(allow_null=True, help_text="ID der OZG-Leistung")
    ozg_bezeichnung = serializers.CharField(allow_null=True, help_text="Bezeichnung der OZG-Leistung")
    url = serializers.CharField(help_text="URL des Onlinedienstes")
    online_status = serializers.ChoiceField(choices=OnlineStatus.choices)
    aktiv = serializers.ChoiceField(choices=Aktiv.choices, allow_null=True)
    art_flaechendeckung = serializers.ChoiceField(choices=Flaechendeckung.choices)


class SortSerializer(serializers.Serializer):
    unsorted = serializers.BooleanField()
    sorted = serializers.BooleanField()
    empty = serializers.BooleanField()


class PageableSerializer(serializers.Serializer):
    paged = serializers.BooleanField()
    unpaged = serializers.BooleanField()
    pageNumber = serializers.IntegerField()  # noqa: N815 - the federal field name
    pageSize = serializers.IntegerField()  # noqa: N815
    offset = serializers.IntegerField()
    sort = SortSerializer()


class _Seite(serializers.Serializer):
    totalPages = serializers.IntegerField()  # noqa: N815
    totalElements = serializers.IntegerField()  # noqa: N815
    pageable = PageableSerializer()
    numberOfElements = serializers.IntegerField()  # noqa: N815
    size = serializers.IntegerField()
    number = serializers.IntegerField()
    sort = SortSerializer()
    first = serializers.BooleanField()
    last = serializers.BooleanField()
    empty = serializers.BooleanField()


class PageDvDataSerializer(_Seite):
    content = DvDataSerializer(many=True)


class ArsSerializer(serializers.Serializer):
    ars = serializers.CharField(help_text="12-stelliger amtlicher Regionalschlüssel")
    arsName = serializers.CharField(help_text="Bezeichnung der Gebietskörperschaft")  # noqa: N815


class PageArsSerializer(_Seite):
    content = ArsSerializer(many=True)


class FehlerSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    error = serializers.CharField()
    message = serializers.CharField()
    path = serializers.CharField()
