"""Who may do what in the API: everybody reads; writes need a writing API key or a staff user with the permission.

Staff permissions are Django permissions asked through ``user.has_perm(perm, obj)``, so the object rules of the
admin (django-rules predicates such as "editor of this Land") apply to the API unchanged. An API key
(``redaktion.models.ApiSchluessel``) is judged by the same rules, as the editor its scope describes
(``redaktion.rules.SchluesselNutzer``). Where no rule is registered for a permission, the model permission
decides, exactly as in the admin.
"""

import rules
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, permissions
from rest_framework_api_key.permissions import KeyParser

from redaktion.models import ApiSchluessel
from redaktion.rules import SchluesselNutzer

from .schema import API_KEY_SCHEME

#: HTTP method → Django permission action.
AKTION = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


def _perm(model, method: str) -> str:
    return f"{model._meta.app_label}.{AKTION[method]}_{model._meta.model_name}"


def api_schluessel(request):
    """The valid (not revoked, not expired) key of ``Authorization: Api-Key <key>``, or None; once per request."""
    if hasattr(request, "_ozg_api_schluessel"):
        return request._ozg_api_schluessel
    schluessel = None
    roh = KeyParser().get(request)
    if roh:
        try:
            schluessel = ApiSchluessel.objects.get_from_key(roh)
        except ApiSchluessel.DoesNotExist:
            schluessel = None
        if schluessel is not None and schluessel.has_expired:
            schluessel = None
    request._ozg_api_schluessel = schluessel
    return schluessel


def api_key_gueltig(request) -> bool:
    return api_schluessel(request) is not None


def wer(request):
    """The editor a request acts as: the key's stand-in, else the signed-in user."""
    schluessel = api_schluessel(request)
    return SchluesselNutzer(schluessel) if schluessel is not None else request.user


class ApiSchluesselAuthentication(authentication.BaseAuthentication):
    """Puts a valid key on ``request.auth`` (the change log and the history name it); the user stays anonymous.

    An unknown or expired key is no error for reading (public anyway); writing with it is refused by the
    permission below.
    """

    def authenticate(self, request):
        schluessel = api_schluessel(request._request)
        if schluessel is None:
            return None
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser(), schluessel


class ApiPermission(permissions.BasePermission):
    """Read for all; write with a writing API key or as a user whose ``has_perm`` allows it (rules-aware)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.method not in AKTION:
            return False
        user = wer(request)
        if not (user and user.is_authenticated):
            return False
        if not hasattr(view, "get_queryset"):
            return True  # a read-only view without a model: it answers 405 itself
        perm = _perm(view.get_queryset().model, request.method)
        if request.method == "POST":
            return user.has_perm(perm)  # rules predicates see obj=None here, as in the admin's add view
        # With a registered rule the object decides (has_object_permission); without one the model permission.
        return rules.perm_exists(perm) or user.has_perm(perm)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = wer(request)
        perm = _perm(type(obj), request.method)
        if rules.perm_exists(perm):
            return user.has_perm(perm, obj)
        return user.has_perm(perm)


class ApiSchluesselSchema(OpenApiAuthenticationExtension):
    """The OpenAPI name of the key scheme; ``ozgportal.api.schema`` writes its definition and requirements."""

    target_class = ApiSchluesselAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return API_KEY_SCHEME
