"""Who changes data and how: one contextvar, set by middleware, import views, commands and Celery tasks.

Recording (``core.aenderungen``) reads it for every log entry. Without a context an entry says ``wie="code"``
(e.g. ``manage.py shell``).
"""

import re
import sys
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import wraps

from django.apps import apps
from django.db import DatabaseError, transaction


@dataclass(frozen=True)
class Kontext:
    wie: str
    wer: str = ""
    user_id: int | None = None
    request: object = None  # resolved lazily: DRF authenticates (API key) after the middleware ran

    def aufgeloest(self) -> "Kontext":
        request = self.request
        if request is None:
            return self
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return replace(self, wer=f"user:{user.pk}", user_id=user.pk, request=None)
        kopf = request.META.get("HTTP_AUTHORIZATION", "")
        if kopf.startswith("Api-Key "):
            praefix = kopf.removeprefix("Api-Key ").split(".", 1)[0][:20]
            name = (
                apps.get_model("redaktion", "ApiSchluessel")
                .objects.filter(prefix=praefix)
                .values_list("name", flat=True)
                .first()
            )
            return replace(self, wer=f"api-key:{praefix}" + (f" ({name})" if name else ""), request=None)
        return replace(self, request=None)


_kontext: ContextVar[Kontext | None] = ContextVar("aenderung_kontext", default=None)


def aktuell() -> Kontext:
    k = _kontext.get()
    return k.aufgeloest() if k is not None else Kontext("code")


@contextmanager
def kontext(wie: str, wer: str = "", user=None):
    """Run a block with ``wie``/``wer``; a ``user`` fills ``wer`` and the user id."""
    if user is not None and getattr(user, "pk", None):
        k = Kontext(wie, wer or f"user:{user.pk}", user.pk)
    else:
        k = Kontext(wie, wer)
    token = _kontext.set(k)
    try:
        yield k
    finally:
        _kontext.reset(token)


@contextmanager
def wie(art: str):
    """Narrow the current context's ``wie`` (e.g. an admin bulk action), keeping who it is."""
    bisher = _kontext.get() or Kontext("code")
    token = _kontext.set(replace(bisher, wie=art))
    try:
        yield
    finally:
        _kontext.reset(token)


def als_befehl(wie_art: str = "command"):
    """Decorator for a management command's ``handle``: its writes are recorded with ``wie_art`` and its name."""

    def deko(handle):
        @wraps(handle)
        def wrapper(self, *args, **kwargs):
            name = type(self).__module__.rsplit(".", 1)[-1]
            with kontext(getattr(self, "aenderung_wie", wie_art), wer=f"manage.py {name}"):
                return handle(self, *args, **kwargs)

        return wrapper

    return deko


_REVERT = re.compile(r"^/admin/.+/history/\d+/$")
_IMPORT = re.compile(r"^/admin/.+/importieren/")
_PHASENSTAND = re.compile(r"^/admin/themenfelder/phasenstatus/stand/")


def _wie_fuer(pfad: str) -> str | None:
    if pfad.startswith("/api/"):
        return "api"
    if not pfad.startswith("/admin/"):
        return "web"
    if _REVERT.match(pfad):
        return "revert"
    if _PHASENSTAND.match(pfad):
        return "phasenstand"
    if _IMPORT.match(pfad):
        return "import"
    return "admin"


class KontextMiddleware:
    """Sets the change context of a request (after authentication; the API key is read when a write happens)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return self.get_response(request)
        wie_art = _wie_fuer(request.path_info)
        token = _kontext.set(Kontext(wie_art, request=request))
        try:
            if wie_art == "web":
                return self.get_response(request)
            # Admin and API writes run in one transaction, so a row and its log entry commit together (a plain
            # save() in autocommit would commit the row before post_save writes the entry).
            try:
                atomic = transaction.atomic()
                atomic.__enter__()
            except DatabaseError:  # database down: the inner middleware answers with its 503 page
                return self.get_response(request)
            try:
                antwort = self.get_response(request)
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                raise
            if antwort.status_code >= 500:
                transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            return antwort
        finally:
            _kontext.reset(token)
