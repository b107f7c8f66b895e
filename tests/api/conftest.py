"""Fixtures of the API tests: a client, generous throttling (one test turns it down), API keys, editors."""

from django.contrib.auth.models import Permission, User
from django.core.cache import cache

import pytest
from rest_framework.test import APIClient

from redaktion.models import ApiSchluessel


@pytest.fixture(autouse=True)
def _api_settings(settings):
    # The throttle history lives in the shared cache: start every test with none and a rate tests won't reach.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/min"}}
    cache.clear()


@pytest.fixture
def api(db):
    return APIClient()


@pytest.fixture
def api_key(db) -> str:
    _key_obj, key = ApiSchluessel.objects.create_key(name="Dashboard-Test", recht="schreiben")
    return key


def user_with_perms(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username, password="ein-langes-passwort")
    for codename in codenames:
        app_label, codename = codename.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return User.objects.get(pk=user.pk)  # fresh permission cache
