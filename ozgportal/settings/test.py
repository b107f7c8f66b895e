"""Test settings: the same environment variables as dev, fast password hashing."""

from .base import *  # noqa: F403

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
