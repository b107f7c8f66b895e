"""Production settings pass Django's deployment checks; docker-compose.yml matches the settings."""

import os
import subprocess
import sys

from django.conf import settings

import yaml

GUTER_SCHLUESSEL = "t" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz!@#$%^&*(-_=+)"


def test_check_deploy_is_clean_with_production_settings():
    ergebnis = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ozgportal.settings.production", "SECRET_KEY": GUTER_SCHLUESSEL},
        capture_output=True,
        text=True,
        check=False,
    )
    assert ergebnis.returncode == 0, ergebnis.stderr + ergebnis.stdout


def _compose():
    return yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())


def test_compose_has_every_service_with_healthchecks_and_volumes():
    compose = _compose()
    dienste = compose["services"]
    assert set(dienste) >= {"web", "worker", "beat", "db", "redis", "setup"}
    for name in ("web", "worker", "db", "redis"):
        assert "healthcheck" in dienste[name], name
    assert "gunicorn" in " ".join(dienste["web"]["command"])
    assert dienste["worker"]["command"][:4] == ["celery", "-A", "ozgportal", "worker"]
    assert dienste["beat"]["command"][:4] == ["celery", "-A", "ozgportal", "beat"]
    setup = " ".join(dienste["setup"]["command"])
    assert "migrate" in setup and "load_all" in setup and "rebuild_berichte" in setup
    assert "default,berichte" in dienste["worker"]["command"], "der Worker muss die Berichte-Queue lesen"
    assert "/health/" in " ".join(dienste["web"]["healthcheck"]["test"])
    assert dienste["web"]["depends_on"]["setup"]["condition"] == "service_completed_successfully"
    assert "db-data:/var/lib/postgresql/data" in dienste["db"]["volumes"]
    assert set(compose["volumes"]) >= {"db-data", "redis-data"}
    assert "NOT FOR PRODUCTION" in (settings.BASE_DIR / "docker-compose.yml").read_text().splitlines()[1]


def test_compose_environment_is_shared_and_known_to_settings():
    compose = _compose()
    umgebungen = [compose["services"][n]["environment"] for n in ("web", "worker", "beat", "setup")]
    assert all(u == umgebungen[0] for u in umgebungen), "web, worker, beat und setup teilen eine Umgebung"
    base = (settings.BASE_DIR / "ozgportal" / "settings" / "base.py").read_text()
    production = (settings.BASE_DIR / "ozgportal" / "settings" / "production.py").read_text()
    for variable in umgebungen[0]:
        if variable == "DJANGO_SETTINGS_MODULE":
            continue
        assert f'"{variable}"' in base + production, f"{variable} wird in den Settings nicht gelesen"
    assert umgebungen[0]["DJANGO_SETTINGS_MODULE"] == "ozgportal.settings.production"


def test_production_refuses_to_start_without_a_secret_key_in_compose_too():
    assert "SECRET_KEY:?" in (settings.BASE_DIR / "docker-compose.yml").read_text()
    assert os.path.exists(settings.BASE_DIR / "Dockerfile")


def test_compose_runs_two_web_and_two_worker_nodes_sharing_the_opendata_volume():
    dienste = _compose()["services"]
    assert dienste["web"]["deploy"]["replicas"] == 2
    assert dienste["worker"]["deploy"]["replicas"] == 2
    for name in ("web", "worker", "beat", "setup"):
        assert "opendata:/app/var/opendata" in dienste[name]["volumes"], name
    assert dienste["web"]["environment"]["OPENDATA_DIR"] == "/app/var/opendata"
    assert "opendata" in _compose()["volumes"]


def test_every_start_of_gunicorn_uses_the_portal_config():
    # The config decides how a response is written (header and body in one write, tests/ops/test_gunicorn.py):
    # a start without it would bring back responses cut short when a node dies.
    konfig = ["-c", "ozgportal/gunicorn.conf.py"]
    web = _compose()["services"]["web"]["command"]
    assert web[:3] == ["gunicorn", *konfig], web
    cmd = next(z for z in (settings.BASE_DIR / "Dockerfile").read_text().splitlines() if z.startswith("CMD "))
    assert '"gunicorn", "-c", "ozgportal/gunicorn.conf.py"' in cmd, cmd
    starts = [z for z in (settings.BASE_DIR / "Makefile").read_text().splitlines() if "gunicorn " in z]
    assert starts and all("gunicorn -c ozgportal/gunicorn.conf.py " in z for z in starts), starts
    assert (settings.BASE_DIR / "ozgportal" / "gunicorn.conf.py").exists()
