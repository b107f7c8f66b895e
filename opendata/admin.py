"""Admin of webhooks (FITKO-Redaktion only, by the rules in redaktion.rules), their delivery log, e-mail follows and
the e-mail outbox (superusers only: it holds addresses)."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from redaktion.admin import NurLesen, RedaktionModelAdmin
from redaktion.rules import ist_fitko

from .choices import ZustellStatus
from .models import Abonnement, EmailAusgang, WebhookAbo, WebhookZustellung
from .tasks import emails_senden, webhook_zustellen


@admin.register(WebhookAbo)
class WebhookAboAdmin(RedaktionModelAdmin):
    list_display = ["name", "url", "themenfeld", "land", "aktiv", "sequenz"]
    list_filter = ["aktiv", "themenfeld", "land"]
    search_fields = ["name", "url"]
    list_select_related = ["themenfeld", "land"]
    readonly_fields = ["sequenz", "angelegt_am"]
    fieldsets = [
        (None, {"fields": ["name", "url", "aktiv"]}),
        (_("Filter"), {"fields": ["themenfeld", "land"]}),
        (_("Signatur"), {"fields": ["geheimnis", "sequenz", "angelegt_am"]}),
    ]


@admin.register(WebhookZustellung)
class WebhookZustellungAdmin(RedaktionModelAdmin):
    list_display = ["abo", "sequenz", "ereignis_id", "status", "versuche", "statuscode", "naechster_versuch"]
    list_filter = ["status", "abo"]
    search_fields = ["ereignis_id", "abo__name"]
    list_select_related = ["abo"]
    readonly_fields = [f.name for f in WebhookZustellung._meta.fields]
    actions = ["erneut_zustellen"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The log is read-only; the action below needs the change permission of the model, asked separately.
        return False

    @admin.action(description=_("erneut zustellen"), permissions=["erneut"])
    def erneut_zustellen(self, request, queryset):
        anzahl = queryset.exclude(status=ZustellStatus.ZUGESTELLT).update(
            status=ZustellStatus.OFFEN, naechster_versuch=None, versuche=0
        )
        for abo_id in set(queryset.values_list("abo_id", flat=True)):
            webhook_zustellen.delay(abo_id)
        messages.success(request, _("%(n)s Zustellungen werden erneut versucht.") % {"n": anzahl})

    def has_erneut_permission(self, request):
        return request.user.has_perm("opendata.change_webhookzustellung")


@admin.register(Abonnement)
class AbonnementAdmin(RedaktionModelAdmin):
    """Staff follow a Kommune or a Themenfeld; each person sees and edits only their own (FITKO: all).

    Who may is the rules' ``opendata.*_abonnement`` (``redaktion.rules.PERSOENLICH``): RedaktionAdminMixin asks
    them with the object, narrows the list to one's own rows and answers 404 for another person's row (before:
    a redirect that told whether the row exists), so ``has_perm`` and this admin agree.
    """

    list_display = ["user", "themenfeld", "kommune", "angelegt_am"]
    list_select_related = ["user", "themenfeld", "kommune"]
    autocomplete_fields = ["kommune"]

    def _alle(self, request) -> bool:
        return ist_fitko(request.user)

    def get_fields(self, request, obj=None):
        felder = ["themenfeld", "kommune"]
        return ["user", *felder] if self._alle(request) else felder

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        if self._alle(request):
            return form_class
        user = request.user

        class EigeneForm(form_class):
            def _post_clean(self):
                # The row is the editor's own before the rules check it (the field is not in the form).
                self.instance.user = user
                super()._post_clean()

        EigeneForm.__name__ = form_class.__name__
        return EigeneForm

    def save_model(self, request, obj, form, change):
        if not self._alle(request):
            obj.user = request.user
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff


@admin.register(EmailAusgang)
class EmailAusgangAdmin(NurLesen, admin.ModelAdmin):
    """The outbox, read-only. Superusers only, whatever a group holds: recipients' addresses are personal data
    (``redaktion.rules.NUR_SUPERUSER`` keeps the permission out of every role, this keeps a stale group out too)."""

    list_display = ["empfaenger", "betreff", "status", "versuche", "naechster_versuch", "fehler_kurz", "angelegt_am"]
    list_filter = ["status"]
    search_fields = ["=empfaenger", "betreff"]
    ordering = ["-id"]
    show_full_result_count = False
    readonly_fields = [f.name for f in EmailAusgang._meta.fields]
    fieldsets = [
        (None, {"fields": ["empfaenger", "user", "betreff", "text", "aenderung_bis"]}),
        (_("Versand"), {"fields": ["status", "versuche", "naechster_versuch", "fehler", "angelegt_am", "gesendet_am"]}),
    ]
    actions = ["erneut_versuchen"]

    def _superuser(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._superuser(request)

    def has_view_permission(self, request, obj=None):
        return self._superuser(request)

    def has_erneut_permission(self, request):
        return self._superuser(request)

    @admin.display(description=_("letzter Fehler"))
    def fehler_kurz(self, obj):
        return obj.fehler[:200] + ("…" if len(obj.fehler) > 200 else "")

    @admin.action(description=_("erneut versuchen"), permissions=["erneut"])
    def erneut_versuchen(self, request, queryset):
        """Failed or given-up mails are due again with a fresh count of attempts; sent ones stay as they are."""
        anzahl = queryset.filter(status__in=[ZustellStatus.FEHLER, ZustellStatus.AUFGEGEBEN]).update(
            status=ZustellStatus.OFFEN, versuche=0, naechster_versuch=timezone.now()
        )
        if anzahl:
            # robust: with the broker down the mails stay due, and the next relay run sends them.
            transaction.on_commit(lambda: emails_senden.apply_async(retry=False), robust=True)
        messages.success(request, _("%(n)s E-Mails werden erneut versucht.") % {"n": anzahl})
