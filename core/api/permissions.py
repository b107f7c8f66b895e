"""Who may do what in the API: everybody reads; writes need an API key or a staff user with the permission.

Staff permissions are Django permissions asked through ``user.has_perm(perm, obj)``, so the object rules of the
admin (django-rules predicates such as "editor of this Land") apply to the API unchanged. Where no rule is
registered for a permission, the model permission decides, exactly as in the admin.
"""

import rules
from rest_framework import permissions
from rest_framework_api_key.permissions import HasAPIKey

#: HTTP method → Django permission action.
AKTION = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


def _perm(model, method: str) -> str:
    return f"{model._meta.app_label}.{AKTION[method]}_{model._meta.model_name}"


def api_key_gueltig(request) -> bool:
    """True if the request carries a valid API key (``Authorization: Api-Key <key>``); checked once per request."""
    cached = getattr(request, "_ozg_api_key_gueltig", None)
    if cached is None:
        cached = HasAPIKey().has_permission(request, None)
        request._ozg_api_key_gueltig = cached
    return cached


class ApiPermission(permissions.BasePermission):
    """Read for all; write with an API key or as a user whose ``has_perm`` allows it (rules-aware)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.method not in AKTION:
            return False
        if api_key_gueltig(request):
            return True
        user = request.user
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
        if api_key_gueltig(request):
            return True
        perm = _perm(type(obj), request.method)
        if rules.perm_exists(perm):
            return request.user.has_perm(perm, obj)
        return request.user.has_perm(perm)
