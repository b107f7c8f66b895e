from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from redaktion.rules import ROLLEN_MODELLE, modelle_von


def rechte_der_rolle(tabelle: dict) -> list[Permission]:
    """The Permission rows for {"app.Model" or "app.*": [aktionen]} (the models as ``modelle_von`` reads them)."""
    rechte = []
    for ziel, aktionen in tabelle.items():
        app_label = ziel.split(".")[0]
        for model in modelle_von(ziel):
            codenames = [f"{aktion}_{model._meta.model_name}" for aktion in aktionen]
            rechte += Permission.objects.filter(
                content_type__app_label=app_label, content_type__model=model._meta.model_name, codename__in=codenames
            )
    return rechte


class Command(BaseCommand):
    """Create the editorial groups with their model permissions, from ``redaktion.rules.ROLLEN_MODELLE``.

    Idempotent: a second run changes nothing; a group's permissions are set to exactly the table's, so a
    permission added by hand to one of these groups is removed again (the table is the one source).
    """

    help = "Legt die Rollen der Redaktion an (FITKO-Redaktion, Land-Redaktion, Kommune-Redaktion, Lesend)."

    @transaction.atomic
    def handle(self, *args, **options):
        # Permissions are created after migrate; make sure they exist when called right after it.
        from django.apps import apps
        from django.contrib.auth.management import create_permissions

        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)

        for name, tabelle in ROLLEN_MODELLE.items():
            gruppe, neu = Group.objects.get_or_create(name=name)
            soll = set(rechte_der_rolle(tabelle))
            ist = set(gruppe.permissions.all())
            if soll != ist:
                gruppe.permissions.set(soll)
            zustand = "neu" if neu else ("aktualisiert" if soll != ist else "unverändert")
            self.stdout.write(f"Rolle {name}: {len(soll)} Rechte, {zustand}")
