"""Degradation with real outages: an unreachable PostgreSQL and an unreachable Redis (closed local ports)."""

import os
import subprocess
import sys
import textwrap

from django.conf import settings

import pytest

SKRIPT = textwrap.dedent(
    """
    import django, json
    django.setup()
    from django.test import Client
    c = Client()
    for pfad in {pfade!r}:
        r = c.get(pfad)
        print(json.dumps({{"pfad": pfad, "status": r.status_code, "text": r.content.decode()[:2000]}}))
    """
)


def _abruf(env, pfade):
    ergebnis = subprocess.run(
        [sys.executable, "-c", SKRIPT.format(pfade=pfade)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ozgportal.settings.test", "ALLOWED_HOSTS": "testserver", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    import json

    zeilen = [json.loads(z) for z in ergebnis.stdout.splitlines() if z.startswith("{")]
    assert zeilen, ergebnis.stderr[-3000:]
    return {z["pfad"]: z for z in zeilen}


def test_database_down_gives_a_clear_503_not_a_stack_trace():
    antworten = _abruf({"DATABASE_URL": "postgres://postgres@127.0.0.1:1/weg"}, ["/", "/health/"])
    start = antworten["/"]
    assert start["status"] == 503
    assert "vorübergehend nicht erreichbar" in start["text"]
    assert "Traceback" not in start["text"] and "OperationalError" not in start["text"]
    assert antworten["/health/"]["status"] == 503


def test_redis_down_pages_keep_serving_and_health_says_degraded(tmp_path):
    # A real database (a fresh SQLite file with the migrations) and a Redis URL nobody listens on.
    db = tmp_path / "degradiert.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{db}", "REDIS_URL": "redis://127.0.0.1:1/0"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ozgportal.settings.test", **env},
        check=True,
        timeout=300,
    )
    antworten = _abruf(env, ["/", "/health/", "/api/v1/leistungen/?page_size=1", "/leistungen/10000/"])
    assert antworten["/"]["status"] == 200
    assert antworten["/api/v1/leistungen/?page_size=1"]["status"] == 200
    assert antworten["/leistungen/10000/"]["status"] == 404  # an empty database, served without the cache
    health = antworten["/health/"]
    assert health["status"] == 200
    assert '"status": "beeintraechtigt"' in health["text"]
    assert '"broker": {"status": "fehler' in health["text"]


def test_redis_down_an_edit_still_saves(tmp_path):
    """The report rebuild cannot be queued without a broker; the editor's save must not fail or be undone."""
    db = tmp_path / "degradiert.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ozgportal.settings.test",
        "DATABASE_URL": f"sqlite:///{db}",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=settings.BASE_DIR, env=env, check=True)
    skript = textwrap.dedent(
        """
        import django
        django.setup()
        from django.db import transaction
        from catalog.models import Gebietskoerperschaft, Lage, Leistung, Themenfeld, Zustaendigkeit
        # Minimal rows in this throw-away database, only so that an edit has something to point at.
        land = Gebietskoerperschaft.objects.create(ars="01", ebene="land", name="Testland")
        tf = Themenfeld.objects.create(slug="t", name="T")
        lage = Lage.objects.create(themenfeld=tf, slug="l", name="L")
        leistung = Leistung.objects.create(ozg_id=10000, name="L", lage=lage)
        with transaction.atomic():
            Zustaendigkeit.objects.create(land=land, leistung=leistung, ebene="kreis")
        print("gespeichert", Zustaendigkeit.objects.count(), Zustaendigkeit.history.count())
        """
    )
    ergebnis = subprocess.run(
        [sys.executable, "-c", skript], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert ergebnis.returncode == 0, ergebnis.stderr[-3000:]
    assert ergebnis.stdout.split()[-3:] == ["gespeichert", "1", "1"]


@pytest.mark.postgres  # a persistent connection whose server process ended: PostgreSQL's
def test_a_kept_connection_that_died_is_opened_again_by_the_first_statement_of_a_request(db):
    """The page's first statement is a prepared one (core.vorbereitet.lesen) and stands in for Django's health
    check (CONN_HEALTH_CHECKS): a kept connection whose server process ended (a restart, an administrator) costs
    one reconnect, not a failed request. In a process of its own against the test database (its committed real
    data), outside any transaction, as in operation."""
    from django.db import connection  # noqa: PLC0415

    einstellungen = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ozgportal.settings.test",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"postgres://{einstellungen['USER']}@{einstellungen['HOST']}:{einstellungen['PORT']}/"
        f"{einstellungen['NAME']}",
    }
    skript = textwrap.dedent(
        """
        import django
        django.setup()
        import psycopg
        from django.db import connection
        from django.test import Client
        c = Client()
        print("erste", c.get("/kommunen/01061046/").status_code)
        alt = connection.connection.info.backend_pid
        with psycopg.connect(**connection.get_connection_params(), autocommit=True) as andere:
            andere.execute("SELECT pg_terminate_backend(%s)", [alt])
        # The next request, as Django's request_started begins it (the test client leaves the connection alone).
        connection.health_check_done = False
        print("zweite", c.get("/kommunen/01061034/").status_code, connection.connection.info.backend_pid != alt)
        """
    )
    ergebnis = subprocess.run(
        [sys.executable, "-c", skript], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert ergebnis.returncode == 0, ergebnis.stderr[-3000:]
    assert ergebnis.stdout.split()[-5:] == ["erste", "200", "zweite", "200", "True"], ergebnis.stdout[-500:]
