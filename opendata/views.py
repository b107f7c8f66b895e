"""Public pages of the open data: the landing page, the files at stable URLs, and the DCAT-AP.de catalogue.

A file that is not built yet (fresh installation before ``make load``, or a deleted directory) is built inline on
the first request for it, so a stable URL never answers 404 or 503 for a known dataset.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST, require_safe

from catalog.models import Themenfeld
from catalog.views import gebiet_or_404

from .bauen import CONTENT_TYPES, bauen, datei, oeffnen
from .choices import Format
from .datensaetze import LIZENZEN, alle
from .dcat import herausgeber_name, katalog
from .models import Abonnement


def _basis(request) -> str:
    return (settings.OPENDATA_BASIS_URL or request.build_absolute_uri("/")).rstrip("/")


@require_safe
def uebersicht(request):
    """List every dataset with its formats, size, date and licence (no database query: file system only)."""
    eintraege = []
    for d in alle().values():
        dateien = [(f, datei(d.name, f)) for f in Format]
        eintraege.append({"datensatz": d, "lizenz": LIZENZEN[d.lizenz], "dateien": dateien})
    return render(
        request,
        "opendata/uebersicht.html",
        {"eintraege": eintraege, "herausgeber": herausgeber_name(), "lizenzen": LIZENZEN},
    )


@require_safe
def herunterladen(request, name, format_):
    datensaetze = alle()
    if name not in datensaetze:
        raise Http404(f"Es gibt keinen Datensatz „{name}“. Alle Datensätze stehen unter /opendaten/.")
    if format_ not in Format.values:
        raise Http404(f"Das Format „{format_}“ gibt es nicht; angeboten werden CSV, JSON und XLSX.")
    info = datei(name, format_)
    if info is None:
        bauen(name)
        info = datei(name, format_)
    antwort = get_conditional_response(request, etag=info.etag, last_modified=int(info.geaendert.timestamp()))
    if antwort is None:
        antwort = FileResponse(oeffnen(name, format_), content_type=CONTENT_TYPES[format_])
        antwort["Content-Disposition"] = f'attachment; filename="{name}.{format_}"'
    antwort["ETag"] = info.etag
    antwort["Last-Modified"] = http_date(info.geaendert.timestamp())
    antwort["Cache-Control"] = "public, max-age=300"
    lizenz = LIZENZEN[datensaetze[name].lizenz]
    antwort["Link"] = f'<{lizenz["url"]}>; rel="license"'
    return antwort


@require_safe
def dcat_katalog(request, format_):
    graph = katalog(_basis(request))
    if format_ == "ttl":
        return HttpResponse(graph.serialize(format="turtle"), content_type="text/turtle; charset=utf-8")
    return HttpResponse(
        graph.serialize(format="json-ld", auto_compact=True), content_type="application/ld+json; charset=utf-8"
    )


@require_safe
def sprache(request, code):
    """Switch the UI language by a plain link (no form, no script): sets the language cookie and goes back."""
    from django.utils.http import url_has_allowed_host_and_scheme

    if code not in dict(settings.LANGUAGES):
        raise Http404(f"Die Sprache „{code}“ wird nicht angeboten (Deutsch: de, Englisch: en).")
    weiter = request.GET.get("weiter", "/")
    if not url_has_allowed_host_and_scheme(
        weiter, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        weiter = "/"
    antwort = redirect(weiter)
    antwort.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=False,
    )
    return antwort


@require_POST
@csrf_protect
def folgen(request, art, kennung):
    """Follow or unfollow a Kommune or Themenfeld by e-mail (staff only); goes back to the page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied("Nur Redakteurinnen und Redakteure können Kommunen und Themenfeldern folgen.")
    if art == "kommune":
        ziel = gebiet_or_404(kennung)
        filter_ = {"kommune": ziel}
    else:
        ziel = get_object_or_404(Themenfeld, slug=kennung)
        filter_ = {"themenfeld": ziel}
    if request.POST.get("aktion") == "entfolgen":
        Abonnement.objects.filter(user=request.user, **filter_).delete()
    else:
        Abonnement.objects.get_or_create(user=request.user, **filter_)
    return redirect(ziel.get_absolute_url())
