"""Shared fixtures. The real data is loaded once per test session into the test database.

Tests run inside a transaction that is rolled back, so each sees the real data unchanged.
"""

import os
import shutil
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings

import pytest

from catalog.models import Gebietskoerperschaft, Leistung
from core.relay import weiterreichen


# Which tests belong to which variant of the suite. `.ci/run` runs the suite twice: embedded (SQLite, inline tasks)
# and against PostgreSQL + Redis with real Celery workers. A test that needs the second variant is not collected in
# the first (deselected, not skipped), so that under CI=true *every* skip is a failure: a missing Chromium, Redis,
# PostgreSQL or worker must never pass silently.
def _mit_postgres_und_redis() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres") and bool(os.environ.get("REDIS_URL"))


def pytest_collection_modifyitems(config, items):
    def gehoert_nicht_hierher(item) -> bool:
        if item.get_closest_marker("celery_worker"):
            return not _mit_postgres_und_redis()
        if item.get_closest_marker("postgres"):
            return not os.environ.get("DATABASE_URL", "").startswith("postgres")
        return bool(item.get_closest_marker("eingebettet") and os.environ.get("DATABASE_URL"))

    behalten = [item for item in items if not gehoert_nicht_hierher(item)]
    abgewaehlt = [item for item in items if gehoert_nicht_hierher(item)]
    if abgewaehlt:
        config.hook.pytest_deselected(items=abgewaehlt)
        items[:] = behalten


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.skipped and os.environ.get("CI") == "true" and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"CI=true: übersprungen ist hier ein Fehler ({report.longrepr})"
    return report


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


@pytest.fixture
def caches_wie_ausserhalb_einer_transaktion(monkeypatch):
    """Page and response cache store nothing inside a transaction; tests run inside one, so only the caches'
    own guards are told they are outside (the data stays the test's)."""
    from core import seitencache
    from core.api import antwort_cache

    draussen = SimpleNamespace(in_atomic_block=False)
    monkeypatch.setattr(seitencache, "connection", draussen)
    monkeypatch.setattr(antwort_cache, "connection", draussen)
    # The entries outlive the test's rollback: remember them and remove them afterwards.
    cache = caches[settings.API_ANTWORT_CACHE]
    geschrieben, setzen = [], cache.set

    def merken(key, *args, **kwargs):
        geschrieben.append(key)
        return setzen(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", merken)
    yield
    monkeypatch.undo()
    cache.delete_many(geschrieben)


@pytest.fixture
def im_speicher(monkeypatch):
    """Outside a transaction (as in production) the catalogue and the Land's part are kept. Tests run inside one,
    so only the two guards are told they are outside; what was kept is dropped afterwards."""
    from catalog import kommunenliste, leistungskatalog

    draussen = SimpleNamespace(in_atomic_block=False)
    monkeypatch.setattr(leistungskatalog, "connection", draussen)
    monkeypatch.setattr(kommunenliste, "connection", draussen)
    yield
    leistungskatalog._gespeichert = None
    kommunenliste._laender.clear()
