from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Gebietskoerperschaft,
    KommunaleUmsetzung,
    Lage,
    LeikaLeistung,
    Leistung,
    Organisation,
    Themenfeld,
    Umsetzungsstand,
    Zustaendigkeit,
)


@admin.register(Gebietskoerperschaft)
class GebietskoerperschaftAdmin(admin.ModelAdmin):
    list_display = ["name", "ars", "ags", "ebene", "textkennzeichen", "einwohner", "plz"]
    list_filter = ["ebene", "textkennzeichen", "land"]
    search_fields = ["name", "=ars", "=ags", "=plz"]
    list_select_related = ["land"]
    readonly_fields = ["ars", "ags", "ebene", "parent", "land", "kreis"]
    fieldsets = [
        (None, {"fields": ["name", "ars", "ags", "ebene", "textkennzeichen"]}),
        (_("Hierarchie"), {"fields": ["parent", "kreis", "land"]}),
        (_("Statistik"), {"fields": ["einwohner", "flaeche", "plz", "laengengrad", "breitengrad"]}),
    ]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["kurzname", "name", "art", "land"]
    list_filter = ["art"]
    search_fields = ["kurzname", "name"]
    prepopulated_fields = {"slug": ["kurzname"]}


class LageInline(admin.TabularInline):
    model = Lage
    fields = ["name", "slug"]
    extra = 0
    show_change_link = True


@admin.register(Themenfeld)
class ThemenfeldAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    readonly_fields = ["slug"]
    inlines = [LageInline]


@admin.register(Lage)
class LageAdmin(admin.ModelAdmin):
    list_display = ["name", "themenfeld"]
    list_filter = ["themenfeld"]
    search_fields = ["name"]
    list_select_related = ["themenfeld"]


class LeikaInline(admin.TabularInline):
    model = LeikaLeistung
    fields = ["schluessel", "bezeichnung", "typisierung", "vollzug", "sdg1", "sdg2"]
    readonly_fields = ["vollzug"]
    extra = 0
    show_change_link = True


@admin.register(Leistung)
class LeistungAdmin(admin.ModelAdmin):
    list_display = ["ozg_id", "name", "lage", "vollzug"]
    list_filter = ["vollzug", "lage__themenfeld"]
    search_fields = ["=ozg_id", "name"]
    list_select_related = ["lage"]
    readonly_fields = ["ozg_id", "vollzug"]
    inlines = [LeikaInline]


@admin.register(LeikaLeistung)
class LeikaLeistungAdmin(admin.ModelAdmin):
    list_display = ["schluessel", "bezeichnung", "leistung", "typisierung", "vollzug"]
    list_filter = ["vollzug", "sdg1", "sdg2", "typisierung"]
    search_fields = ["=schluessel", "bezeichnung", "gesetzeskuerzel"]
    list_select_related = ["leistung"]
    readonly_fields = ["zeile", "vollzug"]
    raw_id_fields = ["leistung"]


@admin.register(Zustaendigkeit)
class ZustaendigkeitAdmin(SimpleHistoryAdmin):
    list_display = ["leistung", "land", "leika_leistung", "ebene", "geaendert_am"]
    list_filter = ["ebene", "land"]
    search_fields = ["=leistung__ozg_id", "leistung__name"]
    list_select_related = ["leistung", "land", "leika_leistung"]
    raw_id_fields = ["leistung", "leika_leistung"]


@admin.register(Umsetzungsstand)
class UmsetzungsstandAdmin(SimpleHistoryAdmin):
    list_display = ["leistung", "land", "status", "reifegradmodell", "reifegrad", "efa_anbieter", "stand"]
    list_filter = ["status", "reifegradmodell", "land", "efa_anbieter"]
    search_fields = ["=leistung__ozg_id", "leistung__name"]
    list_select_related = ["leistung", "land", "efa_anbieter"]
    raw_id_fields = ["leistung"]


@admin.register(KommunaleUmsetzung)
class KommunaleUmsetzungAdmin(SimpleHistoryAdmin):
    list_display = ["kommune", "leistung", "status", "geplant_bis", "stand", "synthetisch"]
    list_filter = ["status", "synthetisch"]
    search_fields = ["=kommune__ars", "=kommune__ags", "kommune__name", "=leistung__ozg_id"]
    list_select_related = ["kommune", "leistung"]
    raw_id_fields = ["kommune", "leistung"]
