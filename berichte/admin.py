from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from redaktion.admin import NurLesen

from .choices import Ausloeser, Berichtsart
from .models import AktuellerBericht, Berichtslauf
from .tasks import bericht_bauen


def _einreihen(arten):
    """Queue forced rebuilds once the admin's transaction has committed (inline without a broker)."""
    for art in arten:
        transaction.on_commit(
            lambda art=art: bericht_bauen.apply_async(
                kwargs={"art": art, "erzwingen": True, "ausloeser": Ausloeser.VERWALTUNG}
            )
        )


@admin.register(Berichtslauf)
class BerichtslaufAdmin(admin.ModelAdmin):
    list_display = ["art", "gebaut_am", "ausloeser", "dauer_ms", "kurz_hash", "synthetisch", "details_entfernt"]
    list_filter = ["art", "ausloeser", "synthetisch"]
    date_hierarchy = "gebaut_am"
    actions = ["neu_bauen"]
    readonly_fields = [f.name for f in Berichtslauf._meta.fields]
    fieldsets = [
        (None, {"fields": ["art", "gebaut_am", "dauer_ms", "ausloeser", "task_id", "synthetisch"]}),
        (_("Datenstand"), {"fields": ["datenstand_hash", "datenstand"]}),
        (_("Ergebnis"), {"fields": ["kennzahlen", "details_entfernt"]}),
    ]
    change_list_template = "admin/berichte/berichtslauf/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Datenstand"))
    def kurz_hash(self, obj):
        return obj.datenstand_hash[:12]

    @admin.action(description=_("Diese Berichte neu bauen"), permissions=["view"])
    def neu_bauen(self, request, queryset):
        arten = sorted(set(queryset.values_list("art", flat=True)))
        _einreihen(arten)
        self.message_user(request, _("Neubau eingereiht: %s") % ", ".join(arten), messages.SUCCESS)

    def get_urls(self):
        eigene = [
            path(
                "alle-neu-bauen/",
                self.admin_site.admin_view(self.alle_neu_bauen),
                name="berichte_berichtslauf_alle_neu_bauen",
            )
        ]
        return eigene + super().get_urls()

    def alle_neu_bauen(self, request):
        """POST only: queue a forced rebuild of every report."""
        if request.method == "POST" and self.has_view_permission(request):
            _einreihen(Berichtsart.values)
            self.message_user(request, _("Neubau aller Berichte eingereiht."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:berichte_berichtslauf_changelist"))


@admin.register(AktuellerBericht)
class AktuellerBerichtAdmin(NurLesen, admin.ModelAdmin):
    list_display = ["art", "lauf"]
    list_select_related = ["lauf"]
    readonly_fields = ["art", "lauf"]
    actions = ["neu_bauen"]

    @admin.action(description=_("Diese Berichte neu bauen"), permissions=["view"])
    def neu_bauen(self, request, queryset):
        arten = sorted(queryset.values_list("art", flat=True))
        _einreihen(arten)
        self.message_user(request, _("Neubau eingereiht: %s") % ", ".join(arten), messages.SUCCESS)
