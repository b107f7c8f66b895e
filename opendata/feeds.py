"""Atom feeds of changes per Themenfeld, OZG-Leistung and Kommune, read from the history tables (``ereignisse``).

Each feed costs one query for its object plus one per history source, whatever the number of entries.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed

from catalog.models import Leistung, Themenfeld
from catalog.views import gebiet_or_404

from . import ereignisse

ANZAHL = 50


class _AenderungsFeed(Feed):
    feed_type = Atom1Feed
    language = "de"

    def _tag(self, pfad: str) -> str:
        # tag: URIs (RFC 4151) stay the same when the portal moves to another host.
        return f"tag:ozg-portal,2019:{pfad}"

    def author_name(self):
        return "OZG-Portal"

    def feed_guid(self, obj):
        return self._tag(self.link(obj) + "feed")

    def item_title(self, item):
        return f"{item.art_text}: {item.titel}"

    def item_description(self, item):
        teile = [f"{item.modell_name} {item.art_text} am {item.zeitpunkt:%d.%m.%Y um %H:%M} Uhr."]
        if item.grund:
            teile.append(f"Anlass: {item.grund}")
        return " ".join(teile)

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return self._tag(item.id.replace(":", "/"))

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.zeitpunkt

    def item_updateddate(self, item):
        return item.zeitpunkt

    def item_categories(self, item):
        return [item.modell_name]

    def items(self, obj):
        return self.eintraege(obj)


class ThemenfeldFeed(_AenderungsFeed):
    def get_object(self, request, slug):
        try:
            return Themenfeld.objects.get(slug=slug)
        except Themenfeld.DoesNotExist:
            raise Http404(f"Es gibt kein Themenfeld mit dem Kürzel „{slug}“.") from None

    def title(self, obj):
        return f"Änderungen im Themenfeld {obj.name} – OZG-Portal"

    def subtitle(self, obj):
        return (
            f"Phasenstatus, Tandem, Labore, Teilnahmen, Zuständigkeiten und Umsetzungsstände im Themenfeld {obj.name}"
        )

    def link(self, obj):
        return obj.get_absolute_url()

    def eintraege(self, obj):
        return ereignisse.fuer_themenfeld(obj, ANZAHL)


class LeistungFeed(_AenderungsFeed):
    def get_object(self, request, ozg_id):
        try:
            return Leistung.objects.get(ozg_id=ozg_id)
        except Leistung.DoesNotExist:
            raise Http404(f"Es gibt keine OZG-Leistung mit der OZG-ID {ozg_id}.") from None

    def title(self, obj):
        return f"Änderungen zur OZG-Leistung {obj.ozg_id} {obj.name} – OZG-Portal"

    def subtitle(self, obj):
        return "Zuständigkeiten und Umsetzungsstände in Ländern und Kommunen"

    def link(self, obj):
        return obj.get_absolute_url()

    def eintraege(self, obj):
        return ereignisse.fuer_leistung(obj, ANZAHL)


class KommuneFeed(_AenderungsFeed):
    def get_object(self, request, schluessel):
        return gebiet_or_404(schluessel)

    def title(self, obj):
        return f"Änderungen für {obj.name} – OZG-Portal"

    def subtitle(self, obj):
        return f"Umsetzungsstände, Teilnahmen, Zuständigkeiten und Tandemrollen für {obj.name} und alles darunter"

    def link(self, obj):
        return obj.get_absolute_url()

    def eintraege(self, obj):
        return ereignisse.fuer_gebiet(obj, ANZAHL)
