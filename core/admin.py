"""Operators' view of the change pipeline: the change log, the relay's cursors and its rebuild demands.

Read-only for everybody: the log is append-only, and deleting a cursor or a demand would lose work (a deleted
cursor starts again at entry 0, a deleted demand forgets a rebuild). Who may look is the model permission
``view_…`` (superusers; FITKO-Redaktion through ``redaktion.rules.BETRIEB_LESEN``); the actions that queue work
are for superusers only.

The change log grows to millions of rows, so its list never counts them all (``GedeckelterPaginator``), its filters
offer fixed values instead of a ``SELECT DISTINCT`` over the table, and its date hierarchy reads the two ends of
the primary key instead of every date (``core.templatetags.betrieb``).

``BereichFestMixin``: for the apps' admins, the fields that place a row in its Bereich are read-only once it exists.
"""

import json

from django.apps import apps
from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from redaktion.admin import NurLesen

from .aenderungen import verfolgt
from .bereiche import bereichsfelder
from .models import Aenderung, Konsumentenstand, Neubauauftrag
from .relay import einreihen

#: The change list counts at most this many entries (100 pages); older ones are reached by filter or date.
ZAEHLGRENZE = 10_000

#: Entries behind a cursor are counted up to this many (one index range scan, bounded).
AUSSTEHEND_GRENZE = 10_000

#: How entries are written (``core.kontext``): middleware, commands, tasks, migrations, code without a context.
WIE = ["admin", "import", "bulk", "api", "revert", "phasenstand", "command", "task", "seed", "migration", "code", "web"]


class BereichFestMixin:
    """The fields that place a row in its Bereich (``core.bereiche.bereichsfelder``) are read-only on a row that
    exists: the change log names the Bereich after a write, so a moved row would stay on the old Bereich's pages.
    To move a row, delete it and add it where it belongs (the API refuses such a change the same way)."""

    def get_readonly_fields(self, request, obj=None):
        felder = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk:
            felder += [name for name in bereichsfelder(self.model) if name not in felder]
        return felder


class GedeckelterPaginator(Paginator):
    """Counts the filtered entries only up to ``ZAEHLGRENZE`` (``COUNT`` over ``LIMIT``), never the whole table."""

    @cached_property
    def _gezaehlt(self) -> int:
        return self.object_list.values("pk")[: ZAEHLGRENZE + 1].count()

    @cached_property
    def count(self):
        return min(self._gezaehlt, ZAEHLGRENZE)

    @property
    def gedeckelt(self) -> bool:
        """More entries match than the list counts."""
        return self._gezaehlt > ZAEHLGRENZE


class NurSuperuserAktionen:
    """Actions that queue work: superusers only (``permissions=["betrieb"]``); FITKO reads."""

    def has_betrieb_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class ModellFilter(admin.SimpleListFilter):
    title = _("Modell")
    parameter_name = "modell"

    def lookups(self, request, model_admin):
        # The models the log records, from the app registry: no query over millions of entries.
        labels = sorted(m._meta.label for m in apps.get_models() if verfolgt(m))
        return [(label, label) for label in labels]

    def queryset(self, request, queryset):
        return queryset.filter(modell=self.value()) if self.value() else queryset


class WieFilter(admin.SimpleListFilter):
    title = _("wie")
    parameter_name = "wie"

    def lookups(self, request, model_admin):
        return [(wie, wie) for wie in WIE]

    def queryset(self, request, queryset):
        return queryset.filter(wie=self.value()) if self.value() else queryset


@admin.register(Aenderung)
class AenderungAdmin(NurLesen, admin.ModelAdmin):
    list_display = ["id", "zeitpunkt", "modell", "schluessel", "aktion", "wie", "wer"]
    list_display_links = ["id"]
    list_filter = [ModellFilter, "aktion", WieFilter]
    search_fields = ["schluessel", "wer", "transaktion"]
    date_hierarchy = "zeitpunkt"
    ordering = ["-id"]
    paginator = GedeckelterPaginator
    show_full_result_count = False
    list_per_page = 100
    change_list_template = "admin/core/aenderung/change_list.html"
    actions = None
    fieldsets = [
        (None, {"fields": ["id", "zeitpunkt", "modell", "schluessel", "objekt_id", "aktion"]}),
        (_("Werte"), {"fields": ["unterschied"]}),
        (_("Wer und wie"), {"fields": ["wie", "wer", "user_id", "transaktion", "historie_id", "sekunde"]}),
        (_("Bereich"), {"fields": ["land_ars", "gebiet_ars", "themenfeld"]}),
    ]
    readonly_fields = [*(f.name for f in Aenderung._meta.fields), "unterschied"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        # The list shows neither value; an import's entries carry whole rows.
        ansicht = getattr(request.resolver_match, "url_name", "") or ""
        return qs.defer("vorher", "nachher") if ansicht.endswith("changelist") else qs

    def get_search_results(self, request, queryset, search_term):
        """Exact values only: ``icontains`` would read every entry for every search."""
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(Q(schluessel=term) | Q(wer=term) | Q(transaktion=term)), False

    @admin.display(description=_("vorher → nachher"))
    def unterschied(self, obj):
        vorher, nachher = obj.vorher or {}, obj.nachher or {}
        if not isinstance(vorher, dict) or not isinstance(nachher, dict):
            # Not a row's fields (written by hand with aenderung_erfassen, say): both values as they are.
            return format_html(
                "{} → {}", json.dumps(obj.vorher, ensure_ascii=False), json.dumps(obj.nachher, ensure_ascii=False)
            )
        felder = list(dict.fromkeys([*vorher, *nachher]))
        if not felder:
            return "–"

        def wert(daten, feld):
            if feld not in daten:
                return "–"
            return json.dumps(daten[feld], ensure_ascii=False)

        def zeile(feld):
            werte = (feld, wert(vorher, feld), wert(nachher, feld))
            if vorher.get(feld, "–") != nachher.get(feld, "–"):
                return format_html(
                    '<tr><th scope="row"><strong>{}</strong></th><td>{}</td><td><strong>{}</strong></td></tr>', *werte
                )
            return format_html('<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>', *werte)

        zeilen = format_html_join("", "{}", ((zeile(feld),) for feld in felder))
        return format_html(
            '<table class="aenderung-werte"><caption>{}</caption><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("Geänderte Felder sind fett."),
            _("Feld"),
            _("vorher"),
            _("nachher"),
            zeilen,
        )


@admin.register(Konsumentenstand)
class KonsumentenstandAdmin(NurSuperuserAktionen, NurLesen, admin.ModelAdmin):
    list_display = ["name", "letzte_id", "ausstehend", "fehlversuche", "fehler_kurz", "geaendert_am"]
    ordering = ["name"]
    readonly_fields = [*(f.name for f in Konsumentenstand._meta.fields), "ausstehend"]
    fields = ["name", "letzte_id", "ausstehend", "fehlversuche", "fehler", "geaendert_am"]
    actions = ["jetzt_weiterreichen"]

    @admin.display(description=_("ausstehend"))
    def ausstehend(self, obj):
        # One range scan of the primary key per cursor, stopped at the limit: cheap however far it lags.
        anzahl = Aenderung.objects.filter(id__gt=obj.letzte_id).values("pk")[: AUSSTEHEND_GRENZE + 1].count()
        if anzahl > AUSSTEHEND_GRENZE:
            return f"> {formats.number_format(AUSSTEHEND_GRENZE, force_grouping=True)}"
        return anzahl

    @admin.display(description=_("letzter Fehler"))
    def fehler_kurz(self, obj):
        return obj.fehler[:200] + ("…" if len(obj.fehler) > 200 else "")

    @admin.action(description=_("Jetzt weiterreichen"), permissions=["betrieb"])
    def jetzt_weiterreichen(self, request, queryset):
        # One relay run for all consumers (core.weiterreichen), after this request's transaction has committed.
        transaction.on_commit(einreihen)
        self.message_user(
            request,
            _("Relay-Lauf eingereiht; er reicht an alle Konsumenten weiter und holt offene Neubauten nach."),
            messages.SUCCESS,
        )


class OffenFilter(admin.SimpleListFilter):
    title = _("offen")
    parameter_name = "offen"

    def lookups(self, request, model_admin):
        return [("ja", _("ja")), ("nein", _("nein"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.filter(gewuenscht_bis__gt=F("erledigt_bis"))
        if self.value() == "nein":
            return queryset.filter(gewuenscht_bis__lte=F("erledigt_bis"))
        return queryset


@admin.register(Neubauauftrag)
class NeubauauftragAdmin(NurSuperuserAktionen, NurLesen, admin.ModelAdmin):
    list_display = ["schluessel", "task", "gewuenscht_bis", "erledigt_bis", "offen", "eingereiht_am", "begonnen_am"]
    list_filter = [OffenFilter, "task"]
    search_fields = ["schluessel"]
    ordering = ["schluessel"]
    readonly_fields = [*(f.name for f in Neubauauftrag._meta.fields), "offen"]
    fields = [
        "schluessel", "task", "argumente", "gewuenscht_bis", "erledigt_bis", "offen", "eingereiht_am",
        "begonnen_am", "geaendert_am",
    ]  # fmt: skip
    actions = ["jetzt_nachholen"]

    @admin.display(description=_("offen"), boolean=True)
    def offen(self, obj):
        return obj.gewuenscht_bis > obj.erledigt_bis

    @admin.action(description=_("Jetzt nachholen"), permissions=["betrieb"])
    def jetzt_nachholen(self, request, queryset):
        """Mark the chosen open demands "not queued" and queue a relay run, whose catch-up (``relay.nachholen``)
        queues them at once instead of after ``NEUBAU_NACHHOLEN_SEKUNDEN``. A build still running finishes; the new
        one covers what it does not."""
        anzahl = queryset.filter(gewuenscht_bis__gt=F("erledigt_bis")).update(eingereiht_am=None, begonnen_am=None)
        if anzahl:
            transaction.on_commit(einreihen)
        self.message_user(
            request,
            _("%(n)s offene Neubau-Aufträge werden nachgeholt (erledigte bleiben, wie sie sind).") % {"n": anzahl},
            messages.SUCCESS if anzahl else messages.WARNING,
        )
