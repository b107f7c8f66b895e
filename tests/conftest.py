"""Shared fixtures. The real data is loaded once per test session into the test database.

Tests run inside a transaction that is rolled back, so each sees the real data unchanged.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

import pytest

from catalog.models import Gebietskoerperschaft, Leistung
from core.relay import weiterreichen


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_all", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
        # Hand the import's change-log entries to the consumers now (with REDIS_URL the queued relay task has no
        # worker here), so that each test's relay sees only its own changes.
        with override_settings(BERICHTE_AUTOMATISCH=False, OPENDATA_AUTOMATISCH=False):
            weiterreichen()


@pytest.fixture
def fixtures_copy(tmp_path) -> Path:
    """A writable copy of fixtures/, for tests that break a file on purpose."""
    ziel = tmp_path / "fixtures"
    shutil.copytree(settings.FIXTURES_DIR, ziel)
    return ziel


@pytest.fixture
def land_sh(db):
    return Gebietskoerperschaft.objects.get(ars="01")


@pytest.fixture
def elterngeld(db):
    return Leistung.objects.get(ozg_id=10000)
