"""Forms of the staff login: password plus, for users who set one up, a one-time code (TOTP)."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _

from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice


def _code_pruefen(device: TOTPDevice, code: str) -> str | None:
    """None if ``code`` is valid for ``device``, else the reason (wrong, or too many attempts for now)."""
    erlaubt, _extra = device.verify_is_allowed()
    if not erlaubt:
        return _("Zu viele falsche Codes. Bitte warten Sie kurz und versuchen Sie es erneut.")
    if not device.verify_token(code.replace(" ", "")):
        return _("Der Code ist falsch oder abgelaufen.")
    return None


class AnmeldeForm(AdminAuthenticationForm):
    """Admin login: the second factor is optional per user, but required once a user has a confirmed device."""

    otp_token = forms.CharField(
        label=_("Einmalcode"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Nur wenn Sie einen zweiten Faktor eingerichtet haben: der Code aus Ihrer Authenticator-App."),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is None or not user_has_device(user):
            return cleaned
        code = (cleaned.get("otp_token") or "").strip()
        if not code:
            raise forms.ValidationError(
                _("Für dieses Konto ist ein zweiter Faktor eingerichtet: bitte den Einmalcode eingeben."),
                code="token_required",
            )
        gruende = []
        for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
            grund = _code_pruefen(device, code)
            if grund is None:
                # django_otp marks the session as verified on login when the user carries the device.
                user.otp_device = device
                return cleaned
            gruende.append(grund)
        raise forms.ValidationError(gruende[0], code="invalid_token")


class ZweiterFaktorForm(forms.Form):
    """Confirms a new TOTP device with a first code from the authenticator app."""

    code = forms.CharField(
        label=_("Code aus der App"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_code(self):
        grund = _code_pruefen(self.device, self.cleaned_data["code"].strip())
        if grund:
            raise forms.ValidationError(grund)
        return self.cleaned_data["code"]
