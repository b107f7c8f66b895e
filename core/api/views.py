"""Base classes of every API view: conditional GET (ETag, Last-Modified, 304) and problem-details errors."""

from django.db import transaction
from django.http import HttpResponseNotModified, JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

import rules
from rest_framework import viewsets
from rest_framework.exceptions import MethodNotAllowed, NotFound, PermissionDenied
from rest_framework.response import Response
from simple_history.utils import update_change_reason

from core.datenstand import bereich_setzen, datenstand_der_anfrage

from . import antwort_cache, exports
from .exceptions import CacheTreffer, NotModified, problem
from .pagination import EXPORT_FORMATE
from .permissions import api_schluessel, wer
from .renderers import ProblemJSONRenderer

CACHE_CONTROL = "no-cache"  # store, but revalidate every time: the ETag makes that a cheap 304


def _etag_passt(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    # Weak comparison (RFC 9110 13.1.2): W/"x" and "x" are the same validator.
    ohne_w = etag.removeprefix("W/")
    return any(kandidat.removeprefix("W/") == ohne_w for kandidat in parse_etags(if_none_match))


def etag_fuer(request, datenstand) -> str:
    # Labels are translated: German and English bodies must never share a validator or a cache entry.
    return datenstand.etag(request.get_full_path(), request.accepted_renderer.format, get_language() or "")


class ConditionalGetMixin:
    """Answers GET/HEAD with ETag and Last-Modified from the Datenstand, and 304 when they match.

    The Datenstand is the global one unless the view names a narrower Bereich (``datenstand_bereich``).

    Runs after authentication, permissions, throttling and content negotiation, before any query for data.
    """

    def datenstand_bereich(self):
        """The ``Gebietsbereich`` whose Datenstand this request answers for; None: the global one."""
        return None

    def initial(self, request, *args, **kwargs):
        # Before the throttle (in super().initial) reads the Datenstand: both must name the same state.
        bereich_setzen(request, self.datenstand_bereich())
        super().initial(request, *args, **kwargs)
        self._validatoren = None
        if request.method not in ("GET", "HEAD"):
            return
        datenstand = datenstand_der_anfrage(request)
        etag = etag_fuer(request, datenstand)
        last_modified = datenstand.last_modified
        self._validatoren = (etag, last_modified)
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            # RFC 9110 13.2.2: with If-None-Match, If-Modified-Since is ignored.
            if _etag_passt(if_none_match, etag):
                raise NotModified()
        else:
            seit = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
            # Compare the Datenstand's own time: the header may have been capped at "now".
            if seit is not None and datenstand.zeitstempel <= seit:
                raise NotModified()
        gespeichert = antwort_cache.lesen(request, etag)
        if gespeichert is not None:
            raise CacheTreffer(gespeichert)

    def finalize_response(self, request, response, *args, **kwargs):
        fehler = response.status_code >= 400
        if fehler:
            # Errors are problem details in JSON, whatever format the list was asked in.
            request.accepted_renderer = ProblemJSONRenderer()
            request.accepted_media_type = ProblemJSONRenderer.media_type
        if response.status_code == 304:
            # A plain Django response: nothing to negotiate or render.
            response = HttpResponseNotModified()
        else:
            response = super().finalize_response(request, response, *args, **kwargs)
        validatoren = getattr(self, "_validatoren", None)
        if validatoren and response.status_code in (200, 304):
            etag, last_modified = validatoren
            if (
                isinstance(response, Response)
                and response.status_code == 200
                and antwort_cache.darf_speichern()
                # ?a=1&a=1&a=1…: unknown parameters are refused (400), repeated ones must not multiply entries.
                and not any(len(werte) > 1 for _name, werte in request.query_params.lists())
            ):
                response.add_post_render_callback(lambda gerendert: antwort_cache.speichern(request, etag, gerendert))
                response[antwort_cache.KOPF_CACHE] = "neu"
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
            response["Cache-Control"] = CACHE_CONTROL
        # Accept-Encoding: a stored answer is sent gzip-encoded to clients that accept it (core.seitencache).
        # patch_vary_headers: each name once (DRF's negotiation may have added Accept already).
        patch_vary_headers(response, ("Accept", "Accept-Encoding"))
        return response


def pruefe_neuen_stand(request, serializer, aktion: str):
    """Ask the rules again with the object as it will be saved, as ``redaktion.rules`` asks of every editor.

    Without this a Land-Redaktion (or a key scoped to a Land) could create a row for another Land, or move one there.
    """
    objekt = getattr(serializer, "geprueftes_objekt", None)
    model = serializer.Meta.model
    perm = f"{model._meta.app_label}.{aktion}_{model._meta.model_name}"
    if objekt is not None and rules.perm_exists(perm) and not wer(request).has_perm(perm, objekt):
        raise PermissionDenied(_("Keine Berechtigung für dieses Objekt."))


def _zuschreiben(request, instanz) -> None:
    """A write made with an API key names the key in the history (simple_history's user can only be a person)."""
    schluessel = api_schluessel(request)
    if schluessel is not None and hasattr(instanz._meta, "simple_history_manager_attribute"):
        update_change_reason(instanz, schluessel.zuschreibung())


class ReadWriteViewSet(ConditionalGetMixin, viewsets.ModelViewSet):
    """Public read, write for API keys and authorised staff; ``lookup_field`` is the resource's public key."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    # A slug (the default key) has no dot: DRF's default "[^/.]+" took "+0.0" as key "+0" with format suffix "0".
    # With the slug's own characters the schema states the pattern and any other key is a problem-details 404.
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def initial(self, request, *args, **kwargs):
        # An undeclared method is 405 for everyone, before authentication and permissions (DRF checks those first
        # and would answer 403 to a request without a key, where the schema has no such operation at all).
        if request.method.lower() not in self.http_method_names:
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format in EXPORT_FORMATE:
            if self.paginator is not None:
                # The paging parameters are checked for exports too (then ignored): a value the schema excludes
                # is refused whatever the format.
                self.paginator.paginate_queryset(self.get_queryset().none(), request, view=self)
            return exports.streamen(self, request, getattr(self, "basename", None) or "export")
        return super().list(request, *args, **kwargs)

    def _neu_laden(self, serializer):
        # Re-read through get_queryset() so annotations and prefetches of the answer are the list's.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_create(self, serializer):
        pruefe_neuen_stand(self.request, serializer, "add")
        with transaction.atomic():
            serializer.save()
            _zuschreiben(self.request, serializer.instance)
        self._neu_laden(serializer)

    def perform_update(self, serializer):
        pruefe_neuen_stand(self.request, serializer, "change")
        with transaction.atomic():
            serializer.save()
            _zuschreiben(self.request, serializer.instance)
        self._neu_laden(serializer)

    def perform_destroy(self, instance):
        schluessel = api_schluessel(self.request)
        if schluessel is not None:
            instance._change_reason = schluessel.zuschreibung()
        instance.delete()


class SchluesselLookupMixin:
    """Detail lookup by a composite public key ``a.b.c`` (see ``schluessel_filter``)."""

    lookup_field = "schluessel"
    lookup_value_regex = r"[^/]+"

    def schluessel_filter(self, teile: list[str]) -> dict | None:  # pragma: no cover - every view defines it
        raise NotImplementedError

    def get_object(self):
        teile = self.kwargs[self.lookup_field].split(".")
        try:
            kriterien = self.schluessel_filter(teile)
        except (ValueError, IndexError):
            kriterien = None
        if kriterien is None:
            raise NotFound()
        obj = self.get_queryset().filter(**kriterien).first()
        if obj is None:
            raise NotFound()
        self.check_object_permissions(self.request, obj)
        return obj


def ping(request):
    """A trivial Django view on the same stack: the benchmark's baseline, and a liveness probe."""
    return JsonResponse({"status": "ok"})


def nicht_gefunden(request, exception=None):
    """Unknown API paths answer problem details, not the portal's HTML 404 page."""
    return JsonResponse(
        problem(404, "Diese Adresse gibt es in der API nicht.", instance=request.get_full_path()),
        status=404,
        content_type="application/problem+json",
    )
