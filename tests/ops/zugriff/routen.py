"""The routes besides the models' standard admin views and the API resources, with their expected answers."""

from urllib.parse import urlencode

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver

from .tabellen import ADMIN_MODELLE, KIEL, KIEL_ARS, KOMMUNE_DATEN, LAND_DATEN, _anlegen, _objekt, admin_rechte, rechte


# --- Admin: the other routes (site views and the ModelAdmins' own views) ---------------------------------
def _hat_irgendwas(rolle, app_label):
    return any(admin_rechte(rolle, m._meta.label) for m in ADMIN_MODELLE if m._meta.app_label == app_label)


def admin_sonderrouten(personen, regional) -> list[tuple[str, str, object]]:
    """(name, url, expectation: rolle → status) for every admin route that is not a model's standard view."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    staff = 200
    phasenstatus = apps.get_model("themenfelder.PhasenStatus").objects.select_related("themenfeld").first()
    geraet = TOTPDevice.objects.first() or _anlegen("otp_totp.TOTPDevice", personen)
    gebiet = _objekt("catalog.Gebietskoerperschaft", personen)
    ct = ContentType.objects.get_for_model(gebiet)
    autocomplete = urlencode(
        {"app_label": "labore", "model_name": "laborteilnahme", "field_name": "labor", "term": "geld"}
    )
    routen = [
        ("index", "/admin/", lambda r: staff),
        ("login", "/admin/login/", lambda r: 200 if r == "anonym" else 302),
        ("logout", "/admin/logout/", lambda r: 302 if r == "anonym" else 405),  # POST only; anonymous: to index
        ("password_change", "/admin/password_change/", lambda r: staff),
        ("password_change_done", "/admin/password_change/done/", lambda r: staff),
        ("jsi18n", "/admin/jsi18n/", lambda r: staff),
        # Autocomplete of LaborTeilnahme.labor (was Teilnahme.labor): answers what the Labor admin lets the role see.
        ("autocomplete", f"/admin/autocomplete/?{autocomplete}",
         lambda r: 200 if "v" in rechte(r, "labore.Labor") else 403),
        ("view_on_site", f"/admin/r/{ct.pk}/{gebiet.pk}/", lambda r: 302),  # to the public page
        ("catch_all", "/admin/gibt-es-nicht/", lambda r: 404),
        ("zweiter_faktor", "/admin/auth/user/zweiter-faktor/", lambda r: staff),  # everyone's own device
        ("passwort_setzen", f"/admin/auth/user/{personen['lesend'].pk}/password/",
         lambda r: 200 if "c" in rechte(r, "auth.User") else 403),
        ("phasenstand", "/admin/themenfelder/phasenstatus/stand/",
         lambda r: 200 if "v" in rechte(r, "themenfelder.PhasenStatus") else 403),
        ("phasenstand_erfassen", f"/admin/themenfelder/phasenstatus/stand/{phasenstatus.themenfeld.slug}/",
         lambda r: 200 if {"a", "c"} <= set(rechte(r, "themenfelder.PhasenStatus")) else 403),
        ("totp_config", f"/admin/otp_totp/totpdevice/{geraet.pk}/config/",
         lambda r: 200 if rechte(r, "otp_totp.TOTPDevice") else 403),
        # 503 is django-otp's own answer when the optional "qrcode" package is not installed.
        ("totp_qrcode", f"/admin/otp_totp/totpdevice/{geraet.pk}/qrcode/",
         lambda r: (200, 503) if rechte(r, "otp_totp.TOTPDevice") else 403),
        # GET does nothing and goes back to the list; POST queues only with the view right.
        ("alle_neu_bauen", "/admin/berichte/berichtslauf/alle-neu-bauen/", lambda r: 302),
    ]  # fmt: skip
    for label in [*LAND_DATEN, *KOMMUNE_DATEN]:
        model = apps.get_model(label)
        routen.append(
            (
                f"import_{model._meta.model_name}",
                f"/admin/{model._meta.app_label}/{model._meta.model_name}/importieren/",
                lambda r, label=label: 200 if {"a", "c"} & set(rechte(r, label)) else 403,
            )
        )
    # The federal rows' import (dashboard.admin): whoever may add Umsetzungsstände, each in their own area.
    routen.append(
        (
            "import_onlinedienst",
            "/admin/dashboard/onlinedienst/importieren/",
            lambda r: 200 if "a" in rechte(r, "catalog.Umsetzungsstand") + rechte(r, "catalog.KommunaleUmsetzung")
            else 403,
        )
    )  # fmt: skip
    for app_label in sorted({m._meta.app_label for m in ADMIN_MODELLE}):
        routen.append(
            (f"app_{app_label}", f"/admin/{app_label}/", lambda r, a=app_label: 200 if _hat_irgendwas(r, a) else 404)
        )
    return routen


SONDERROUTEN_NAMEN = [
    "index", "login", "logout", "password_change", "password_change_done", "jsi18n", "autocomplete",
    "view_on_site", "catch_all", "zweiter_faktor", "passwort_setzen", "phasenstand", "phasenstand_erfassen",
    "totp_config", "totp_qrcode", "alle_neu_bauen", "import_zustaendigkeit", "import_umsetzungsstand",
    "import_kommunaleumsetzung", "import_onlinedienst",
]  # fmt: skip


def api_sonderrouten() -> list[tuple[str, int]]:
    """(url, status for GET) of every API route that is not a resource's list or detail."""
    from berichte.tabellen import TABELLEN

    return [
        ("/api/v1/", 200),
        ("/api/v1/.json", 200),
        ("/api/v1/ping/", 200),
        ("/api/v1/schema/", 200),
        ("/api/v1/docs/", 200),
        ("/api/v1/redoc/", 200),
        (f"/api/v1/kommunen/{KIEL}/leistungen/?page_size=2", 200),
        ("/api/v1/gibt-es-nicht/", 404),
        ("/api/v1/berichte/", 200),
        ("/api/v1/berichte/laeufe/", 200),
        *[(f"/api/v1/berichte/{s}/", (200, 404)) for s in TABELLEN],  # 404 until a report is built
        # The federal dashboard's API (dashboard.api): public, read-only, JSON errors.
        ("/api/dashboard/v1/data?size=2", 200),
        (f"/api/dashboard/v1/data/{KIEL_ARS}?size=2", 200),
        ("/api/dashboard/v1/data/kein-ars", 400),
        ("/api/dashboard/v1/ars?size=2", 200),
        ("/api/dashboard/", 404),
        ("/api/dashboard/gibt-es-nicht", 404),
    ]


#: Read-only API routes not POSTed to, with the reason.
API_OHNE_SCHREIBPRUEFUNG = {
    "/api/v1/ping/": "plain Django view without data; answers any method (the benchmark's baseline)",
    "/api/v1/gibt-es-nicht/": "the API's 404 for unknown paths, for every method",
    "/api/dashboard/": "the dashboard API's JSON 404 (its root), for every method",
    "/api/dashboard/gibt-es-nicht": "the dashboard API's JSON 404 for unknown paths, for every method",
}


KOMMUNE_LEISTUNGEN_FORMAT = f"/api/v1/kommunen/{KIEL}/leistungen.json"


# --- Public pages ---------------------------------------------------------------------------------------
def oeffentliche_urls() -> list[tuple[str, tuple]]:
    """(url, allowed statuses) for the public pages with parameters: real keys 200, unknown keys 404."""
    from berichte.tabellen import TABELLEN
    from catalog.models import Themenfeld
    from labore.models import Labor

    themenfeld = Themenfeld.objects.order_by("pk").first().slug
    labor = Labor.objects.order_by("pk").first().slug
    tabelle = next(iter(TABELLEN))
    ok, fehlt = (200,), (404,)
    return [
        (f"/kommunen/{KIEL}/", ok),
        ("/kommunen/01/", ok),
        ("/kommunen/99999999/", fehlt),
        ("/kommunen/kein-schluessel/", fehlt),
        (f"/kommunen/{KIEL}/leistungen.csv", ok),
        (f"/kommunen/{KIEL}/leistungen.xlsx", ok),
        ("/kommunen/99999999/leistungen.csv", fehlt),
        (f"/kommunen/{KIEL}/druck/", ok),
        ("/kommunen/99999999/druck/", fehlt),
        (f"/kommunen/{KIEL}/zustaendigkeit-vorlage.csv", ok),
        ("/kommunen/99999999/zustaendigkeit-vorlage.csv", fehlt),
        ("/leistungen/10000/", ok),
        ("/leistungen/99999/", fehlt),
        (f"/themenfelder/{themenfeld}/", ok),
        ("/themenfelder/gibt-es-nicht/", fehlt),
        (f"/labore/{labor}/", ok),
        ("/labore/gibt-es-nicht/", fehlt),
        # A report's download: 404 ("not built yet") until the report exists.
        (f"/berichte/{tabelle}.csv", (200, 404)),
        (f"/berichte/{tabelle}.xlsx", (200, 404)),
        ("/berichte/gibt-es-nicht.csv", fehlt),
        ("/berichte/gibt-es-nicht.xlsx", fehlt),
        # opendata (being built by another session): feeds of real keys and a dataset; 200 or 404, never 500.
        (f"/themenfelder/{themenfeld}/feed/", (200, 404)),
        ("/leistungen/10000/feed/", (200, 404)),
        (f"/kommunen/{KIEL}/feed/", (200, 404)),
        ("/opendaten/leistungen.csv", (200, 404)),
        ("/opendaten/gibt-es-nicht.csv", fehlt),
        ("/sprache/en/", (302,)),
        ("/sprache/xx/", fehlt),
        # Folgen (staff e-mail follows): POST only; an anonymous POST goes to the login (see tests/opendata).
        (f"/folgen/kommune/{KIEL}/", (405,)),
        (f"/folgen/themenfeld/{themenfeld}/", (405,)),
    ]


def alle_routen() -> list[tuple[str, object]]:
    """(route as ResolverMatch.route writes it, URLPattern) of every pattern in the resolver, recursively."""
    ergebnis = []

    def gehen(resolver, praefix):
        for muster in resolver.url_patterns:
            teil = str(muster.pattern)
            route = praefix + (teil.removeprefix("^") if praefix else teil)
            if isinstance(muster, URLResolver):
                gehen(muster, route)
            elif isinstance(muster, URLPattern):
                ergebnis.append((route, muster))

    gehen(get_resolver(), "")
    return ergebnis


def _ohne_parameter(route: str) -> bool:
    return "<" not in route and "(" not in route and not any(z in route for z in "*+?[")


def oeffentliche_routen_ohne_parameter() -> list[str]:
    return [
        "/" + route.rstrip("$")
        for route, _ in alle_routen()
        if not route.startswith(("admin/", "api/")) and _ohne_parameter(route)
    ]


# --- Every route is covered -----------------------------------------------------------------------------
#: Routes this suite does not request, each with the reason.
AUSGENOMMEN: dict[str, str] = {}
