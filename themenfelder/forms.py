"""The focused form for the most frequent task: a new Stand of all phases of one Themenfeld."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Phase, PhasenStatus


def feldname(phase: str) -> str:
    return f"phase_{phase}"


class PhasenStandForm(forms.Form):
    """One status per phase plus the date the statuses hold on; saving adds rows for that Stand."""

    stand = forms.DateField(
        label=_("Stand"),
        help_text=_("Datum, zu dem die Angaben gelten, z. B. der Tag der Sitzung. TT.MM.JJJJ."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    quelle = forms.CharField(
        label=_("Quelle"),
        max_length=300,
        required=False,
        help_text=_("Woher die Angaben stammen, z. B. „Protokoll Lenkungskreis“."),
    )

    def __init__(self, *args, aktuell: dict | None = None, **kwargs):
        """``aktuell``: {phase: status} of the latest Stand, the initial values."""
        super().__init__(*args, **kwargs)
        aktuell = aktuell or {}
        self.fields["stand"].initial = timezone.localdate()
        for phase, label in Phase.choices:
            self.fields[feldname(phase)] = forms.ChoiceField(
                label=label, choices=PhasenStatus.choices, initial=aktuell.get(phase)
            )

    def clean_stand(self):
        stand = self.cleaned_data["stand"]
        if stand > timezone.localdate():
            raise forms.ValidationError(_("Der Stand darf nicht in der Zukunft liegen."))
        return stand

    def phasen(self):
        """(phase, bound field) in the order of the phases."""
        return [(phase, self[feldname(phase)]) for phase in Phase.values]
