"""Test settings: the same environment variables as dev, fast password hashing."""

from pathlib import Path
from tempfile import gettempdir

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Tests render templates without running collectstatic first.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# client.login() authenticates without a request, which django-axes refuses; tests/admin/test_anmeldung.py
# turns the lockout on where it is tested.
AXES_ENABLED = False
# Open-data files are rebuilt only where a test asks for it (tests/opendata), into a private directory: the
# session's data load would otherwise write report files into var/opendata.
OPENDATA_AUTOMATISCH = env.bool("OPENDATA_AUTOMATISCH", default=False)
OPENDATA_DIR = Path(env.str("OPENDATA_DIR", default=str(Path(gettempdir()) / "ozgportal-test-opendata")))
# The webhook tests deliver to a real receiver on 127.0.0.1; tests/ops/test_webhook_ziele.py turns this off.
WEBHOOK_LOOPBACK_ERLAUBT = True
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(Path(gettempdir()) / "ozgportal-test-media")))
