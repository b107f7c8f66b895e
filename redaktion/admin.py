"""Admin building blocks shared by the apps: object permissions, the import route, the staff login,
Redaktionszuordnung, 2FA setup."""

import base64
import datetime
import uuid
from pathlib import Path

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from .forms import AnmeldeForm, ZweiterFaktorForm
from .models import Redaktionszuordnung
from .rules import filter_queryset

admin.site.login_form = AnmeldeForm
admin.site.login_template = "admin/anmeldung.html"

KEIN_BEREICH = _(
    "Diese Daten gehören nicht zu Ihrem Bereich: Sie dürfen nur Daten Ihres Landes oder Ihrer Kommune bearbeiten."
)


class RedaktionAdminMixin:
    """Asks ``redaktion.rules`` with the object for every permission, narrows lists to the user's area.

    Objects outside the area answer 404 (as in the API), and a form is refused when the saved object would
    leave the area (e.g. a Land-Redaktion choosing another Land).
    """

    def _perm(self, aktion: str) -> str:
        return f"{self.opts.app_label}.{aktion}_{self.opts.model_name}"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(self._perm("view"), obj) or self.has_change_permission(request, obj)

    def has_add_permission(self, request):
        return request.user.has_perm(self._perm("add"))

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(self._perm("change"), obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(self._perm("delete"), obj)

    def get_queryset(self, request):
        return filter_queryset(request.user, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and self._gibt_es(object_id, from_field):
            if not self.has_view_or_change_permission(request):
                raise PermissionDenied
            # Outside the user's area: the same answer as for an object that does not exist.
            raise Http404(_("Nicht gefunden."))
        return obj

    def _gibt_es(self, object_id, from_field) -> bool:
        feld = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        try:
            return self.model._default_manager.filter(**{feld.name: feld.to_python(object_id)}).exists()
        except (ValidationError, ValueError):
            return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        perm = self._perm("change" if obj is not None and obj.pk else "add")
        user = request.user

        class BereichGepruefteForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if not user.has_perm(perm, self.instance):
                    self.add_error(None, KEIN_BEREICH)

        BereichGepruefteForm.__name__ = form_class.__name__
        return BereichGepruefteForm


class NurLesen:
    """No form for anybody (mix in before the ModelAdmin): rows written only by the portal itself (the change
    pipeline, report builds, the e-mail outbox). Viewing stays with the model's permission."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RedaktionAdmin(RedaktionAdminMixin, SimpleHistoryAdmin):
    """Base of every admin of the portal: object permissions plus history (view, compare, revert)."""


class RedaktionModelAdmin(RedaktionAdminMixin, admin.ModelAdmin):
    """For models without history (reference data from the imports)."""


@admin.register(Redaktionszuordnung)
class RedaktionszuordnungAdmin(RedaktionAdmin):
    list_display = ["user", "gebiet", "ebene", "land", "bemerkung"]
    list_filter = ["gebiet__ebene", "gebiet__land"]
    search_fields = ["user__username", "user__last_name", "user__email", "gebiet__name", "=gebiet__ars"]
    list_select_related = ["user", "gebiet", "gebiet__land"]
    autocomplete_fields = ["gebiet"]

    @admin.display(description=_("Ebene"), ordering="gebiet__ebene")
    def ebene(self, obj):
        return obj.gebiet.get_ebene_display()

    @admin.display(description=_("Land"))
    def land(self, obj):
        return obj.gebiet.land or obj.gebiet


class RedaktionszuordnungInline(admin.TabularInline):
    model = Redaktionszuordnung
    fields = ["gebiet", "bemerkung"]
    autocomplete_fields = ["gebiet"]
    extra = 0
    verbose_name_plural = _("Redaktionszuordnungen (wo die Person pflegt)")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class BenutzerAdmin(UserAdmin):
    """The user admin with the editor's assignment to a Land or Kommune, and the self-service second factor."""

    inlines = [RedaktionszuordnungInline]
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "rollen", "zweiter_faktor"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "totpdevice_set")

    def get_inlines(self, request, obj):
        # Adding a user is a short first step (name, password); the assignment follows on the change page.
        return self.inlines if obj is not None else []

    @admin.display(description=_("Rollen"))
    def rollen(self, obj):
        return ", ".join(g.name for g in obj.groups.all())

    @admin.display(description=_("Zweiter Faktor"), boolean=True)
    def zweiter_faktor(self, obj):
        return any(d.confirmed for d in obj.totpdevice_set.all())

    def get_urls(self):
        return [
            path(
                "zweiter-faktor/",
                self.admin_site.admin_view(self.zweiter_faktor_view),
                name="zweiter_faktor",
            ),
            *super().get_urls(),
        ]

    def zweiter_faktor_view(self, request):
        """Every staff user sets up (or removes) their own TOTP device here; nobody else's."""
        user = request.user
        bestaetigt = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if bestaetigt is not None:
            form = ZweiterFaktorForm(request.POST or None, device=bestaetigt)
            if request.method == "POST" and form.is_valid():
                TOTPDevice.objects.filter(user=user).delete()
                messages.success(request, _("Der zweite Faktor ist entfernt."))
                return redirect("admin:zweiter_faktor")
            return self._zweiter_faktor_antwort(request, form, eingerichtet=True)

        neu = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if neu is None:
            neu = TOTPDevice.objects.create(user=user, name=str(_("Authenticator-App")), confirmed=False)
        form = ZweiterFaktorForm(request.POST or None, device=neu)
        if request.method == "POST" and form.is_valid():
            neu.confirmed = True
            neu.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            messages.success(request, _("Der zweite Faktor ist eingerichtet. Ab der nächsten Anmeldung gilt er."))
            return redirect("admin:zweiter_faktor")
        return self._zweiter_faktor_antwort(request, form, eingerichtet=False, device=neu)

    def _zweiter_faktor_antwort(self, request, form, eingerichtet, device=None):
        kontext = {
            **self.admin_site.each_context(request),
            "title": _("Zweiter Faktor"),
            "form": form,
            "eingerichtet": eingerichtet,
        }
        if device is not None:
            kontext["schluessel"] = base64.b32encode(device.bin_key).decode()
            kontext["config_url"] = device.config_url
        return TemplateResponse(request, "admin/zweiter_faktor.html", kontext)


def nur_mit_recht(request, perm: str, obj=None):
    """Raise 403 unless ``request.user`` has ``perm`` (on ``obj``), for the portal's own admin views."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def admin_url(obj, view: str = "change") -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


# --- Imports with preview: the route, the changelist button, the file waiting for the confirmation ---------
class ImportRouteMixin:
    """The admin's "Importieren" page of one model: ``<changelist>/importieren/`` and its button on the list.

    The admin defines ``import_view(request)`` and ``darf_importieren(request)``; the button shows only to whom the
    page would answer. The same for every import of the portal (catalog's Zuständigkeit and Umsetzungsstände,
    the federal dashboard's rows), so the route and its name (``admin:<app>_<model>_import``) exist once.
    """

    change_list_template = "admin/import_change_list.html"

    def darf_importieren(self, request) -> bool:
        raise NotImplementedError

    def import_view(self, request):
        raise NotImplementedError

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "importieren/",
                self.admin_site.admin_view(self.import_view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "darf_importieren": self.darf_importieren(request)}
        return super().changelist_view(request, extra_context)


# Between preview and confirmation the uploaded file waits in the default storage (MEDIA_ROOT, a volume all web
# nodes share), not in the form: a 5 MB XLSX hex-encoded in a hidden field broke the confirmation. The signed
# form value names the file; files older than the preview's validity are removed.
AUSSTEHEND = "importe-ausstehend"
GUELTIG_SEKUNDEN = 3600


def datei_ablegen(name: str, daten: bytes) -> str:
    """Park an uploaded file until its preview is confirmed; returns the name to sign into the form."""
    _aufraeumen()
    return default_storage.save(f"{AUSSTEHEND}/{uuid.uuid4().hex}{Path(name).suffix.lower()}", ContentFile(daten))


def datei_abholen(ablage: str) -> bytes | None:
    """The parked file, or None when it expired (or the name does not point into the waiting area)."""
    if not ablage.startswith(f"{AUSSTEHEND}/") or not default_storage.exists(ablage):
        return None
    with default_storage.open(ablage, "rb") as f:
        return f.read()


VORSCHAU_ABGELAUFEN = _("Die Vorschau ist abgelaufen oder ungültig. Bitte die Datei erneut wählen.")


def bestaetigte_datei(request, salt: str) -> tuple[str, bytes, str] | None:
    """The file a preview parked for this person, as (name, bytes, parking place); None after an error message when
    the preview expired, was tampered with or its file is gone. Another person's preview is refused (403)."""
    try:
        paket = signing.loads(request.POST["paket"], salt=salt, max_age=GUELTIG_SEKUNDEN)
    except signing.BadSignature:
        messages.error(request, VORSCHAU_ABGELAUFEN)
        return None
    if paket["user"] != request.user.pk:
        raise PermissionDenied
    daten = datei_abholen(paket["ablage"])
    if daten is None:
        messages.error(request, VORSCHAU_ABGELAUFEN)
        return None
    return paket["name"], daten, paket["ablage"]


def _aufraeumen() -> None:
    grenze = timezone.now() - datetime.timedelta(seconds=GUELTIG_SEKUNDEN)
    try:
        _ordner, dateien = default_storage.listdir(AUSSTEHEND)
    except FileNotFoundError:
        return
    for datei in dateien:
        pfad = f"{AUSSTEHEND}/{datei}"
        try:
            if default_storage.get_modified_time(pfad) < grenze:
                default_storage.delete(pfad)
        except FileNotFoundError:
            pass  # another node cleaned up first


# --- API keys: scoped, named, expiring, rotatable ----------------------------------------------------
from rest_framework_api_key.admin import APIKeyModelAdmin  # noqa: E402
from rest_framework_api_key.models import APIKey  # noqa: E402

from .models import ApiSchluessel  # noqa: E402

# Unscoped keys would write everything: only the scoped model is offered (migration 0002 took over old keys).
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)

#: How long a rotated key keeps working beside its successor, so a dashboard can switch without an outage.
ROTATION_UEBERGANG = datetime.timedelta(days=7)


@admin.register(ApiSchluessel)
class ApiSchluesselAdmin(APIKeyModelAdmin):
    list_display = ("prefix", "name", "recht", "gebiet", "created", "expiry_date", "_has_expired", "revoked")
    list_filter = ("recht", "revoked", "created")
    list_select_related = ("gebiet",)
    autocomplete_fields = ("gebiet",)
    actions = ["rotieren"]

    @admin.action(description=_("Ausgewählte Schlüssel erneuern (alter Schlüssel läuft nach 7 Tagen ab)"))
    def rotieren(self, request, queryset):
        for alt in queryset.filter(revoked=False):
            neu, geheimnis = alt.rotieren(ROTATION_UEBERGANG)
            messages.warning(
                request,
                _("Neuer Schlüssel für %(name)s: %(geheimnis)s (nur jetzt sichtbar; alter Schlüssel %(alt)s läuft ab).")
                % {"name": neu.name, "geheimnis": geheimnis, "alt": alt.prefix},
            )
