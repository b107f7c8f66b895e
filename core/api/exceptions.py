"""One error format for the whole API: problem details after RFC 9457 (``application/problem+json``).

Every error answers::

    {"type": "about:blank", "title": "Ungültige Anfrage", "status": 400,
     "detail": "Parameter „ebene“: „x“ ist keine gültige Auswahl.", "instance": "/api/v1/kommunen/?ebene=x",
     "errors": [{"parameter": "ebene", "code": "invalid_choice", "detail": "…"}]}

``errors`` names the query ``parameter`` or the body ``field`` of each problem.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from rest_framework import exceptions, status
from rest_framework.response import Response

TITEL = {
    400: _("Ungültige Anfrage"),
    401: _("Nicht angemeldet"),
    403: _("Keine Berechtigung"),
    404: _("Nicht gefunden"),
    405: _("Methode nicht erlaubt"),
    406: _("Format nicht verfügbar"),
    409: _("Konflikt"),
    415: _("Medientyp nicht unterstützt"),
    429: _("Zu viele Anfragen"),
    500: _("Interner Fehler"),
}


class ParameterError(exceptions.ValidationError):
    """A bad query parameter; ``detail`` maps parameter names to messages."""


class NotModified(exceptions.APIException):
    status_code = status.HTTP_304_NOT_MODIFIED
    default_detail = ""
    default_code = "not_modified"


class CacheTreffer(exceptions.APIException):
    """Carries a stored response for the current Datenstand; answered as is, without view or renderer."""

    status_code = status.HTTP_200_OK

    def __init__(self, antwort):
        super().__init__()
        self.antwort = antwort


def _flatten(detail, prefix=""):
    """Yield (name, code, message) for a DRF error structure of dicts and lists."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            yield from _flatten(value, name)
    elif isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail | str) for item in detail):
            for item in detail:
                yield prefix, getattr(item, "code", "invalid"), str(item)
        else:
            for index, item in enumerate(detail):
                yield from _flatten(item, f"{prefix}.{index}" if prefix else str(index))
    else:
        yield prefix, getattr(detail, "code", "invalid"), str(detail)


def problem(status_code: int, detail: str, *, instance: str = "", errors=None, title=None) -> dict:
    body = {
        "type": "about:blank",
        "title": str(title or TITEL.get(status_code, _("Fehler"))),
        "status": status_code,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return body


#: Field error codes that depend on the stored data, not on the request's form.
KONFLIKT_CODES = frozenset({"unique", "does_not_exist", "unique_together"})


class Konflikt(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "konflikt"


def exception_handler(exc, context):
    """DRF exception handler: problem details for every error, a bare 304 for ``NotModified``."""
    # Imported here: rest_framework.views loads the API settings, which import this module's neighbours.
    from rest_framework.views import set_rollback

    if isinstance(exc, CacheTreffer):
        return exc.antwort
    if isinstance(exc, NotModified):
        return Response(status=status.HTTP_304_NOT_MODIFIED)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, ProtectedError | RestrictedError):
        # Deleting a row that others still point at (e.g. a Leistung with LeiKa-Leistungen) is a conflict, not a bug.
        abhaengige = sorted({str(o._meta.verbose_name_plural) for o in getattr(exc, "protected_objects", [])})
        exc = Konflikt(
            _("Der Eintrag wird noch verwendet und kann nicht gelöscht werden: %(abh)s.")
            % {"abh": ", ".join(abhaengige) or _("abhängige Einträge")}
        )
    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: let Django log it and answer 500

    request = context.get("request")
    instance = request.get_full_path() if request is not None else ""
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    if isinstance(exc, exceptions.ValidationError):
        art = "parameter" if isinstance(exc, ParameterError) else "field"
        detail = exc.detail if isinstance(exc.detail, dict | list) else [exc.detail]
        if isinstance(detail, list) and art == "field":
            detail = {"non_field_errors": detail}
        errors = [{art: name, "code": code, "detail": message} for name, code, message in _flatten(detail)]
        wort = _("Parameter") if art == "parameter" else _("Feld")
        zusammenfassung = "; ".join(f"{wort} „{e[art]}“: {e['detail']}" for e in errors)
        status_code = exc.status_code
        if art == "field" and errors and all(e["code"] in KONFLIKT_CODES for e in errors):
            # Valid in form, but in conflict with the stored data (a key already taken, a reference to nothing):
            # 409, so that a client can tell it from a malformed request.
            status_code = status.HTTP_409_CONFLICT
        body = problem(status_code, zusammenfassung, instance=instance, errors=errors)
        set_rollback()
        return Response(body, status=status_code, headers=headers)
    else:
        body = problem(exc.status_code, str(exc.detail), instance=instance)
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)
