"""Access control over every route: anonymous and each role, in the admin, the API and the public pages.

The routes come from the URL resolver and the admin's registry, so a new route is covered automatically, or
``test_jede_route_ist_abgedeckt`` fails until it is covered or listed in ``AUSGENOMMEN`` with a reason.

What each role may do is written out in ``RECHTE`` (role × model → view/add/change/delete) and cross-checked with
``user.has_perm`` and with each ModelAdmin's own ``has_*_permission``, so the table and the rules cannot silently
diverge. The expected HTTP answer of every request is derived from that table:

* admin, anonymous: a redirect to the login for every admin URL;
* admin, staff: 200 where the role may, 403 where it may not, 404 for rows outside its Land or Kommune;
* API: public read for everyone; writes 403 without an API key or a permitting rule, never 401/403 with one;
* public pages: 200 for real keys, 404 for unknown ones, never 500.
"""

import datetime
import re
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve

import pytest
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory
from simple_history.admin import SimpleHistoryAdmin

from catalog.models import Gebietskoerperschaft, KommunaleUmsetzung, Leistung, Umsetzungsstand, Zustaendigkeit
from ozgportal.api.urls import router
from redaktion import rules as rollen
from redaktion.models import Redaktionszuordnung

pytestmark = pytest.mark.django_db

# --- Who may do what: the declarative table ------------------------------------------------------------
ALLE = "vacd"
LESEN = "v"

REFERENZ = ["catalog.Gebietskoerperschaft", "catalog.Leistung", "catalog.LeikaLeistung"]
LAND_DATEN = ["catalog.Zustaendigkeit", "catalog.Umsetzungsstand"]
KOMMUNE_DATEN = ["catalog.KommunaleUmsetzung"]
ZUORDNUNG = "redaktion.Redaktionszuordnung"
ONLINEDIENST = "dashboard.Onlinedienst"
ABONNEMENT = "opendata.Abonnement"

#: role → model label (or "app.*") → letters of view, add, change, delete the role may at all (obj=None).
#: Models not listed: nothing. Those (auth, API keys, axes, OTP devices, celery beat, Berichte) are for
#: superusers only, whom ``SUPERUSER`` describes.
#: Every staff member keeps their own e-mail follows (ABONNEMENT: the rows of others are outside, see BEREICH);
#: the federal rows (ONLINEDIENST) are read in the role's area and written by the import only (see ADMIN_FORMULARE).
RECHTE = {
    "fitko": {
        "catalog.*": ALLE, "themenfelder.*": ALLE, "labore.*": ALLE, "opendata.*": ALLE, "dashboard.*": ALLE,
        ZUORDNUNG: ALLE,
    },
    "land": {
        **dict.fromkeys(LAND_DATEN + KOMMUNE_DATEN, ALLE), **dict.fromkeys([*REFERENZ, ONLINEDIENST], LESEN),
        ABONNEMENT: ALLE,
    },
    "kommune": {
        **dict.fromkeys(KOMMUNE_DATEN, ALLE), **dict.fromkeys([*REFERENZ, ONLINEDIENST], LESEN), ABONNEMENT: ALLE,
    },
    "lesend": {"catalog.*": LESEN, "themenfelder.*": LESEN, "labore.*": LESEN, "dashboard.*": LESEN, ABONNEMENT: ALLE},
}  # fmt: skip

#: What the admin's forms offer at most, for every role (has_perm may grant more): the delivery log is read-only
#: (its "change" permission is the action "erneut zustellen"), federal rows are written by the import route only.
ADMIN_FORMULARE = {"opendata.WebhookZustellung": "vd", ONLINEDIENST: "vd"}

#: What the admin offers a superuser; every model not listed: everything. Logs and reports are read-only there.
SUPERUSER = {
    "berichte.Berichtslauf": "vd",
    "berichte.AktuellerBericht": "v",
    "axes.AccessAttempt": "vcd",  # axes: no add; "change" shows read-only fields
    "axes.AccessLog": "vcd",
    "axes.AccessFailureLog": "vcd",
}

#: Models whose rows belong to a Land / a Kommune / a Gebiet / a person: outside the role's area (for "person":
#: another person's row) they are invisible (404).
BEREICH = (
    dict.fromkeys(LAND_DATEN, "land")
    | dict.fromkeys(KOMMUNE_DATEN, "kommune")
    | {ONLINEDIENST: "gebiet", ABONNEMENT: "person"}
)

ROLLEN = ["fitko", "land", "kommune", "lesend"]
ADMIN_ROLLEN = ["anonym", *ROLLEN, "superuser"]
API_ROLLEN = ["anonym", "api_key", *ROLLEN]


def rechte(rolle: str, label: str) -> str:
    if rolle == "superuser":
        return SUPERUSER.get(label, ALLE)
    tabelle = RECHTE.get(rolle, {})
    return tabelle.get(label, tabelle.get(f"{label.split('.')[0]}.*", ""))


def admin_rechte(rolle: str, label: str) -> str:
    """What the admin lets ``rolle`` do with ``label``: its rights, limited to what the admin's forms offer."""
    darf = rechte(rolle, label)
    return "".join(b for b in darf if b in ADMIN_FORMULARE.get(label, ALLE))


def perm(model, aktion: str) -> str:
    return f"{model._meta.app_label}.{aktion}_{model._meta.model_name}"


AKTION = {"v": "view", "a": "add", "c": "change", "d": "delete"}
ADMIN_MODELLE = sorted(admin.site._registry, key=lambda m: m._meta.label)
ADMIN_LABELS = [m._meta.label for m in ADMIN_MODELLE]


# --- People and data ----------------------------------------------------------------------------------
KIEL = "01002000"
LUEBECK = "01003000"
MUENCHEN = "09162000"
KIEL_ARS = "010020000000"


def _person(name, gruppe=None, gebiet=None, **extra) -> User:
    user = User.objects.create_user(
        name, f"{name}@example.org", "Lange-Sichere-Passphrase-2024", is_staff=True, **extra
    )
    if gruppe:
        user.groups.add(Group.objects.get(name=gruppe))
    if gebiet is not None:
        Redaktionszuordnung.objects.create(user=user, gebiet=gebiet)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def gebiete(db):
    g = Gebietskoerperschaft.objects
    return {
        "sh": g.get(ars="01"),
        "by": g.get(ars="09"),
        "kiel": g.get(ags=KIEL),
        "luebeck": g.get(ags=LUEBECK),
        "muenchen": g.get(ags=MUENCHEN),
    }


@pytest.fixture
def personen(gebiete):
    return {
        "anonym": None,
        "fitko": _person("z-fitko", rollen.FITKO),
        "land": _person("z-land-sh", rollen.LAND, gebiete["sh"]),
        "kommune": _person("z-kommune-kiel", rollen.KOMMUNE, gebiete["kiel"]),
        "lesend": _person("z-lesend", rollen.LESEND),
        "superuser": _person("z-super", is_superuser=True),
    }


@pytest.fixture
def regional(gebiete, personen):
    """Rows inside (SH, Kiel) and outside (BY, Lübeck, München) the editors' areas; for Lübeck: Land yes, Kommune no."""
    elterngeld = Leistung.objects.get(ozg_id=10000)
    stand = datetime.date(2024, 5, 1)
    z, u, k = Zustaendigkeit.objects, Umsetzungsstand.objects, KommunaleUmsetzung.objects
    return {
        "catalog.Zustaendigkeit": {
            "sh": z.create(land=gebiete["sh"], leistung=elterngeld, ebene="kreis"),
            "by": z.create(land=gebiete["by"], leistung=elterngeld, ebene="land"),
        },
        "catalog.Umsetzungsstand": {
            "sh": u.create(land=gebiete["sh"], leistung=elterngeld, status="in_umsetzung", stand=stand),
            "by": u.create(land=gebiete["by"], leistung=elterngeld, status="online_verfuegbar", stand=stand),
        },
        "catalog.KommunaleUmsetzung": {
            "kiel": k.create(kommune=gebiete["kiel"], leistung=elterngeld, status="angeschlossen", stand=stand),
            "luebeck": k.create(kommune=gebiete["luebeck"], leistung=elterngeld, status="geplant", stand=stand),
            "muenchen": k.create(kommune=gebiete["muenchen"], leistung=elterngeld, status="geplant", stand=stand),
        },
        ONLINEDIENST: {ort: _onlinedienst(gebiete[ort], elterngeld) for ort in ("sh", "kiel", "luebeck", "muenchen")},
        # Each person's own e-mail follows: Lesend's and the Kommune-Redaktion's.
        ABONNEMENT: {
            rolle: apps.get_model(ABONNEMENT).objects.create(user=personen[rolle], kommune=gebiete["kiel"])
            for rolle in ("lesend", "kommune")
        },
    }


def _onlinedienst(gebiet, leistung):
    from catalog.models import LeikaLeistung

    leika = LeikaLeistung.objects.filter(leistung=leistung).order_by("pk").first() or LeikaLeistung.objects.first()
    return apps.get_model(ONLINEDIENST).objects.create(
        gebiet=gebiet,
        leika=leika,
        leistung=leistung,
        online_status="ok",
        art_flaechendeckung="kreisweit flächendeckend",
    )


def _anlegen(label: str, personen):
    """A row for a model the loaded data leaves empty."""
    jetzt = datetime.datetime.now(tz=datetime.UTC)
    if label == "redaktion.ApiSchluessel":
        from redaktion.models import ApiSchluessel

        return ApiSchluessel.objects.create_key(name="Zugriffstest")[0]
    if label.startswith("axes."):
        extra = {"AccessAttempt": {"get_data": "", "post_data": "", "failures_since_start": 1}}
        model = apps.get_model(label)
        return model.objects.create(
            user_agent="pytest", ip_address="127.0.0.1", username="x", http_accept="*/*", path_info="/admin/login/",
            **extra.get(model.__name__, {}),
        )  # fmt: skip
    if label == "otp_totp.TOTPDevice":
        from django_otp.plugins.otp_totp.models import TOTPDevice

        return TOTPDevice.objects.create(user=personen["lesend"], name="App", confirmed=False)
    if label == "django_celery_beat.ClockedSchedule":
        from django_celery_beat.models import ClockedSchedule

        return ClockedSchedule.objects.create(clocked_time=jetzt)
    if label == "django_celery_beat.SolarSchedule":
        from django_celery_beat.models import SolarSchedule

        return SolarSchedule.objects.create(event="sunrise", latitude=54.32, longitude=10.13)
    if label in ("berichte.Berichtslauf", "berichte.AktuellerBericht"):
        from berichte.models import AktuellerBericht, Berichtslauf

        lauf = Berichtslauf.objects.create(
            art="beteiligung", ausloeser="verwaltung", datenstand={}, datenstand_hash="0"
        )
        bericht = AktuellerBericht.objects.update_or_create(art="beteiligung", defaults={"lauf": lauf})[0]
        return lauf if label == "berichte.Berichtslauf" else bericht
    if label == "opendata.WebhookAbo":
        return apps.get_model(label).objects.create(name="Test", url="https://example.org/hook", geheimnis="x" * 32)
    if label == "opendata.WebhookZustellung":
        abo = _objekt("opendata.WebhookAbo", personen)
        return apps.get_model(label).objects.create(abo=abo, sequenz=1, ereignis_id="x.1", inhalt="{}")
    return None


def _objekt(label: str, personen):
    model = apps.get_model(label)
    if label == "catalog.Gebietskoerperschaft":
        return model.objects.get(ags="01001000")  # a Gemeinde nothing points to: small delete page
    if label == ZUORDNUNG:
        return Redaktionszuordnung.objects.get(user=personen["land"])
    obj = model._default_manager.order_by("pk").first() or _anlegen(label, personen)
    assert obj is not None, f"No row of {label} to test with: add one to _anlegen()"
    return obj


def objekte(label: str, rolle: str, personen, regional) -> list[tuple[object, bool]]:
    """(row, inside the role's area) for the object routes of ``label``."""
    if label not in BEREICH:
        return [(_objekt(label, personen), True)]
    zeilen = regional[label]
    if BEREICH[label] == "person":
        return [(zeile, besitzer == rolle or rolle in ("fitko", "superuser")) for besitzer, zeile in zeilen.items()]
    if label == ONLINEDIENST:
        land = {"sh": True, "kiel": True, "luebeck": True, "muenchen": False}
        kommune = {"sh": False, "kiel": True, "luebeck": False, "muenchen": False}
        innen = land if rolle == "land" else kommune if rolle == "kommune" else dict.fromkeys(zeilen, True)
        return [(zeilen[k], innen[k]) for k in zeilen]
    if label in LAND_DATEN:
        return [(zeilen["sh"], True), (zeilen["by"], rolle not in ("land", "kommune"))]
    innen = {"kiel": True, "luebeck": rolle != "kommune", "muenchen": rolle not in ("land", "kommune")}
    return [(zeilen[k], innen[k] or rolle in ("fitko", "lesend", "superuser")) for k in zeilen]


def client_fuer(personen, rolle, klasse=Client):
    client = klasse()
    if personen.get(rolle) is not None:
        client.force_login(personen[rolle])
    return client


# --- Admin: expected answers ----------------------------------------------------------------------------
LOGIN = "login"  # a redirect to the admin login


def admin_urls(model, obj) -> dict[str, str]:
    basis = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    urls = {"changelist": basis, "add": f"{basis}add/"}
    if obj is not None:
        urls |= {
            "change": f"{basis}{obj.pk}/change/",
            "delete": f"{basis}{obj.pk}/delete/",
            "history": f"{basis}{obj.pk}/history/",
            "weiter": f"{basis}{obj.pk}/",  # Django's redirect to the change page
        }
        historie = getattr(obj, "history", None)
        if historie is not None and hasattr(admin.site._registry[model], "history_form_view"):
            version = historie.order_by("-history_id").first()
            if version is not None:
                urls["version"] = f"{basis}{obj.pk}/history/{version.history_id}/"
    return urls


def admin_soll(rolle: str, label: str, aktion: str, innen: bool) -> int | str:
    """The status of GET ``aktion`` (a key of admin_urls) for ``rolle`` on a row inside/outside its area."""
    if rolle == "anonym":
        return LOGIN
    if aktion == "weiter":
        return 302
    darf = admin_rechte(rolle, label)
    sehen = "v" in darf or "c" in darf
    if aktion == "changelist":
        return 200 if sehen else 403
    if aktion == "add":
        return 200 if "a" in darf else 403
    if not sehen:
        return 403
    if aktion in ("history", "version"):
        # django-simple-history finds a row outside the area in its history and refuses it (403, not 404);
        # Django's own history page asks get_object, which answers 404 like the change page.
        mit_historie = isinstance(admin.site._registry[apps.get_model(label)], SimpleHistoryAdmin)
        return 200 if innen else 403 if mit_historie else 404
    if not innen:
        return 404  # outside the area: the same answer as for a row that does not exist
    if aktion == "change":
        return 200
    if aktion == "delete":
        return 200 if "d" in darf else 403
    raise AssertionError(aktion)


def pruefe(antwort, soll, was):
    ist = antwort.status_code
    if soll == LOGIN:
        ort = antwort.get("Location", "")
        assert ist == 302 and ort.startswith("/admin/login/?next="), (was, ist, ort)
    elif isinstance(soll, tuple):
        assert ist in soll, (was, ist, soll)
    else:
        assert ist == soll, (was, ist, soll, antwort.content[:300])


def test_tabelle_entspricht_den_regeln(personen, regional):
    """RECHTE/SUPERUSER agree with has_perm (model and object) and with every ModelAdmin's own answer."""
    anfragen = RequestFactory()
    abweichungen = []
    for rolle in [*ROLLEN, "superuser"]:
        user = personen[rolle]
        request = anfragen.get("/admin/")
        request.user = user
        for model, model_admin in admin.site._registry.items():
            label = model._meta.label
            darf = rechte(rolle, label)
            if rolle != "superuser":
                for buchstabe, aktion in AKTION.items():
                    if user.has_perm(perm(model, aktion)) is not (buchstabe in darf):
                        abweichungen.append(("has_perm", rolle, label, aktion))
            admin_antwort = {
                "v": model_admin.has_view_permission(request),
                "a": model_admin.has_add_permission(request),
                "c": model_admin.has_change_permission(request),
                "d": model_admin.has_delete_permission(request),
            }
            if {b for b, ja in admin_antwort.items() if ja} != set(admin_rechte(rolle, label)):
                abweichungen.append(("ModelAdmin", rolle, label, "".join(b for b, ja in admin_antwort.items() if ja)))
            for obj, innen in objekte(label, rolle, personen, regional) if label in BEREICH else []:
                for buchstabe, aktion in AKTION.items():
                    unbegrenzt = innen or (rolle == "lesend" and aktion == "view" and BEREICH[label] != "person")
                    soll = buchstabe in darf and unbegrenzt
                    if user.has_perm(perm(model, aktion), obj) is not soll:
                        abweichungen.append(("has_perm(obj)", rolle, label, aktion, str(obj)))
    assert not abweichungen, "RECHTE/SUPERUSER and the rules differ:\n" + "\n".join(map(str, abweichungen))


@pytest.mark.parametrize("label", ADMIN_LABELS)
@pytest.mark.parametrize("rolle", ADMIN_ROLLEN)
def test_admin_modell(personen, regional, rolle, label):
    """Changelist, add, change, delete, history (and version) of one model for one role: GET, then the writes."""
    model = apps.get_model(label)
    client = client_fuer(personen, rolle)
    for i, (obj, innen) in enumerate(objekte(label, rolle, personen, regional)):
        for aktion, url in admin_urls(model, obj).items():
            if i and aktion in ("changelist", "add"):
                continue
            antwort = client.get(url)
            soll = admin_soll(rolle, label, aktion, innen)
            pruefe(antwort, soll, (rolle, "GET", url))
        if rolle == "anonym":
            continue
        darf = admin_rechte(rolle, label)
        urls = admin_urls(model, obj)
        # POST to the change form (empty data: a form error at most); refused without the change right.
        antwort = client.post(urls["change"], {})
        if "v" not in darf and "c" not in darf:
            soll = 403
        elif not innen:
            soll = 404
        else:
            soll = (200, 302) if "c" in darf else 403
        pruefe(antwort, soll, (rolle, "POST", urls["change"]))
        # POST to the delete page where deleting is refused: the row stays.
        loeschen = admin_soll(rolle, label, "delete", innen)
        if loeschen != 200:
            pruefe(client.post(urls["delete"], {"post": "yes"}), loeschen, (rolle, "POST", urls["delete"]))
            assert model._default_manager.filter(pk=obj.pk).exists(), (rolle, label)
    # Adding is refused without the add right.
    if rolle != "anonym" and "a" not in admin_rechte(rolle, label):
        url = admin_urls(model, None)["add"]
        pruefe(client.post(url, {}), 403, (rolle, "POST", url))


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
        {"app_label": "themenfelder", "model_name": "teilnahme", "field_name": "labor", "term": "geld"}
    )
    routen = [
        ("index", "/admin/", lambda r: staff),
        ("login", "/admin/login/", lambda r: 200 if r == "anonym" else 302),
        ("logout", "/admin/logout/", lambda r: 302 if r == "anonym" else 405),  # POST only; anonymous: to index
        ("password_change", "/admin/password_change/", lambda r: staff),
        ("password_change_done", "/admin/password_change/done/", lambda r: staff),
        ("jsi18n", "/admin/jsi18n/", lambda r: staff),
        # Autocomplete of Teilnahme.labor: answers what the Labor admin lets the role see.
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


@pytest.mark.parametrize("rolle", ADMIN_ROLLEN)
def test_admin_sonderrouten(personen, regional, rolle):
    client = client_fuer(personen, rolle)
    routen = admin_sonderrouten(personen, regional)
    assert {name for name, _, _ in routen} >= set(SONDERROUTEN_NAMEN)
    for name, url, soll_je_rolle in routen:
        antwort = client.get(url)
        soll = LOGIN if rolle == "anonym" and name not in ("login", "logout") else soll_je_rolle(rolle)
        pruefe(antwort, soll, (rolle, name, url))


def test_admin_anonym_kann_nichts_schreiben(personen, regional):
    """Anonymous POSTs to the admin go to the login and change nothing."""
    client = Client()
    obj = regional["catalog.Zustaendigkeit"]["sh"]
    for url in [
        "/admin/catalog/zustaendigkeit/add/",
        f"/admin/catalog/zustaendigkeit/{obj.pk}/change/",
        f"/admin/catalog/zustaendigkeit/{obj.pk}/delete/",
        "/admin/berichte/berichtslauf/alle-neu-bauen/",
    ]:
        pruefe(client.post(url, {"post": "yes", "ebene": "gemeinde"}), LOGIN, url)
    obj.refresh_from_db()
    assert obj.ebene == "kreis"


def test_admin_ohne_staff_status_geht_zur_anmeldung(gebiete):
    """A person with a role but without staff status never gets into the admin."""
    user = _person("z-kein-staff", rollen.FITKO)
    user.is_staff = False
    user.save()
    client = Client()
    client.force_login(user)
    pruefe(client.get("/admin/catalog/leistung/"), LOGIN, "kein staff")


# --- API ------------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _api_einstellungen(settings):
    # Anonymous requests are throttled per IP in the shared cache: start empty, with a rate the suite won't reach.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/min"}}
    cache.clear()


@pytest.fixture
def api_key(db) -> str:
    from redaktion.models import ApiSchluessel

    # Unrestricted and writing: what the matrix calls "api_key" (tests/ops/test_api_schluessel.py: scopes).
    return ApiSchluessel.objects.create_key(name="Zugriffstest", recht="schreiben")[1]


def api_client(personen, rolle, api_key) -> APIClient:
    client = APIClient()
    if rolle == "api_key":
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key}")
    elif personen.get(rolle) is not None:
        client.force_login(personen[rolle])
    return client


API_RESSOURCEN = [(prefix, viewset) for prefix, viewset, _basename in router.registry]


def schluessel_von(viewset, obj) -> str:
    """The public key of ``obj`` in its resource, as the API itself writes it."""
    request = Request(APIRequestFactory().get("/"))
    return str(viewset.serializer_class(obj, context={"request": request}).data[viewset.lookup_field])


def api_objekte(viewset, rolle, personen, regional) -> list[tuple[object, bool]]:
    label = viewset.queryset.model._meta.label
    if label in BEREICH:
        return objekte(label, rolle, personen, regional)
    return [(_objekt(label, personen), True)]


def api_schreiben_soll(rolle: str, label: str, methode: str, innen: bool):
    """What a write answers: refused (403), or passed to validation and the view (not 401/403/5xx)."""
    if rolle == "api_key":
        return "erlaubt"
    if rolle == "anonym":
        return 403
    aktion = {"POST": "a", "PUT": "c", "PATCH": "c", "DELETE": "d"}[methode]
    if aktion not in rechte(rolle, label):
        return 403
    return "erlaubt" if innen or methode == "POST" else 403


ERLAUBT = {"POST": (400,), "PUT": (400,), "PATCH": (200,), "DELETE": (204,)}


@pytest.mark.parametrize("prefix", [p for p, _ in API_RESSOURCEN])
@pytest.mark.parametrize("rolle", API_ROLLEN)
def test_api_ressource(personen, regional, api_key, rolle, prefix):
    """Every resource: list and detail (also with a format suffix) for all, then POST/PUT/PATCH/DELETE."""
    viewset = dict(API_RESSOURCEN)[prefix]
    label = viewset.queryset.model._meta.label
    client = api_client(personen, rolle, api_key)
    basis = f"/api/v1/{prefix}/"
    # The format-suffix routes answer the same for everyone: requested anonymously only.
    endungen = [".json"] if rolle == "anonym" else []
    for url in [basis, *(f"/api/v1/{prefix}{e}" for e in endungen)]:
        antwort = client.get(url, {"page_size": 2} if "kommunen" not in url else {})
        assert antwort.status_code == 200, (rolle, url, antwort.content[:300])
    zeilen = api_objekte(viewset, rolle, personen, regional)
    for obj, _innen in zeilen:
        schluessel = schluessel_von(viewset, obj)
        for url in [f"{basis}{schluessel}/", *(f"{basis}{schluessel}{e}" for e in endungen)]:
            antwort = client.get(url)
            assert antwort.status_code == 200, (rolle, url, antwort.content[:300])
    # Writes: POST {} to the list, PUT/PATCH {} and DELETE to each row.
    soll = api_schreiben_soll(rolle, label, "POST", True)
    antwort = client.post(basis, {}, format="json")
    pruefe(antwort, ERLAUBT["POST"] if soll == "erlaubt" else soll, (rolle, "POST", basis))
    for obj, innen in zeilen:
        url = f"{basis}{schluessel_von(viewset, obj)}/"
        for methode in ("PUT", "PATCH"):
            soll = api_schreiben_soll(rolle, label, methode, innen)
            antwort = getattr(client, methode.lower())(url, {}, format="json")
            pruefe(antwort, ERLAUBT[methode] if soll == "erlaubt" else soll, (rolle, methode, url))
            if soll == 403:
                assert antwort["Content-Type"] == "application/problem+json", (rolle, methode, url)


#: Resources whose test row is referenced through PROTECT foreign keys (Themenfeld ← Lage ← Leistung ← LeiKa,
#: Organisation ← TandemRolle): deleting it must be refused with a problem answer (409), not crash.
GESCHUETZT = {"themenfelder", "lagen", "leistungen", "organisationen"}


def _loeschen_faelle():
    for rolle in API_ROLLEN:
        for prefix, _viewset in API_RESSOURCEN:
            yield pytest.param(rolle, prefix, id=f"{rolle}-{prefix}")


@pytest.mark.parametrize(("rolle", "prefix"), list(_loeschen_faelle()))
def test_api_loeschen(personen, regional, api_key, rolle, prefix):
    """DELETE on each row: done (204) or refused because it is still referenced (409) where allowed, else 403."""
    viewset = dict(API_RESSOURCEN)[prefix]
    label = viewset.queryset.model._meta.label
    client = api_client(personen, rolle, api_key)
    for obj, innen in api_objekte(viewset, rolle, personen, regional):
        url = f"/api/v1/{prefix}/{schluessel_von(viewset, obj)}/"
        soll = api_schreiben_soll(rolle, label, "DELETE", innen)
        antwort = client.delete(url)
        if soll == "erlaubt" and prefix in GESCHUETZT:
            assert antwort.status_code == 409, (rolle, url, antwort.status_code)
            assert antwort["Content-Type"] == "application/problem+json"
        pruefe(antwort, (204, 409) if soll == "erlaubt" else soll, (rolle, "DELETE", url))
        existiert = type(obj)._default_manager.filter(pk=obj.pk).exists()
        assert existiert is (antwort.status_code != 204), (rolle, url)


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


@pytest.mark.parametrize("rolle", API_ROLLEN)
def test_api_sonderrouten(personen, api_key, rolle):
    """Read-only API routes: the same answer for everyone."""
    client = api_client(personen, rolle, api_key)
    for url, soll in api_sonderrouten():
        pruefe(client.get(url), soll, (rolle, url))


#: Read-only API routes not POSTed to, with the reason.
API_OHNE_SCHREIBPRUEFUNG = {
    "/api/v1/ping/": "plain Django view without data; answers any method (the benchmark's baseline)",
    "/api/v1/gibt-es-nicht/": "the API's 404 for unknown paths, for every method",
    "/api/dashboard/": "the dashboard API's JSON 404 (its root), for every method",
    "/api/dashboard/gibt-es-nicht": "the dashboard API's JSON 404 for unknown paths, for every method",
}


def _schreib_faelle():
    for url, _ in api_sonderrouten():
        if url in API_OHNE_SCHREIBPRUEFUNG:
            continue
        for rolle in API_ROLLEN:
            yield pytest.param(rolle, url, id=f"{rolle}-{url}")


@pytest.mark.parametrize(("rolle", "url"), list(_schreib_faelle()))
def test_api_sonderrouten_nehmen_keine_schreibanfragen_an(personen, api_key, rolle, url):
    antwort = api_client(personen, rolle, api_key).post(url, {}, format="json")
    assert antwort.status_code in (403, 405), (rolle, "POST", url, antwort.status_code)


KOMMUNE_LEISTUNGEN_FORMAT = f"/api/v1/kommunen/{KIEL}/leistungen.json"


def test_api_kommune_leistungen_mit_formatendung():
    antwort = APIClient().get(KOMMUNE_LEISTUNGEN_FORMAT, {"page_size": 2})
    assert antwort.status_code == 200


def test_api_land_redaktion_schreibt_nur_im_eigenen_land(personen, regional, gebiete):
    client = api_client(personen, "land", None)
    neu = {"leistung": 10001, "leika_leistung": None, "ebene": "kreis"}
    antwort = client.post("/api/v1/zustaendigkeiten/", {**neu, "land": "01"}, format="json")
    assert antwort.status_code == 201, antwort.content
    antwort = client.post("/api/v1/zustaendigkeiten/", {**neu, "land": "09"}, format="json")
    assert antwort.status_code == 403, antwort.content
    assert client.patch("/api/v1/zustaendigkeiten/01.10000/", {"ebene": "gemeinde"}, format="json").status_code == 200
    assert client.patch("/api/v1/zustaendigkeiten/09.10000/", {"ebene": "gemeinde"}, format="json").status_code == 403
    # Nor may it move its own new row into another Land.
    assert client.patch("/api/v1/zustaendigkeiten/01.10001/", {"land": "09"}, format="json").status_code == 403
    assert list(Zustaendigkeit.objects.filter(land=gebiete["by"]).values_list("ebene", flat=True)) == ["land"]


def test_api_kommune_redaktion_schreibt_nur_die_eigene_kommune(personen, regional):
    client = api_client(personen, "kommune", None)
    ars_kiel = Gebietskoerperschaft.objects.get(ags=KIEL).ars
    ars_luebeck = Gebietskoerperschaft.objects.get(ags=LUEBECK).ars
    neu = {"leistung": 10001, "status": "geplant", "stand": "2024-06-01"}
    assert client.post("/api/v1/kommunale-umsetzung/", {**neu, "kommune": ars_kiel}, format="json").status_code == 201
    fremd = client.post("/api/v1/kommunale-umsetzung/", {**neu, "kommune": ars_luebeck}, format="json")
    assert fremd.status_code == 403, fremd.content
    assert client.post("/api/v1/umsetzungsstand/", {}, format="json").status_code == 403


def test_api_key_legt_an_und_loescht(api_key, gebiete):
    client = api_client({}, "api_key", api_key)
    neu = {"land": "01", "leistung": 10002, "status": "in_planung", "stand": "2024-01-01"}
    assert client.post("/api/v1/umsetzungsstand/", neu, format="json").status_code == 201
    assert client.delete("/api/v1/umsetzungsstand/01.10002/").status_code == 204
    assert not Umsetzungsstand.objects.exists()


def test_api_falscher_schluessel_schreibt_nicht(api_key, regional):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Api-Key falsch.falsch")
    assert client.delete("/api/v1/zustaendigkeiten/01.10000/").status_code == 403
    assert Zustaendigkeit.objects.filter(land__ars="01").exists()


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


def test_oeffentliche_seiten_ohne_parameter():
    """Every public route without parameters (found in the resolver) answers an anonymous GET, never 500."""
    client = Client()
    urls = oeffentliche_routen_ohne_parameter()
    assert "/" in urls and "/health/" in urls
    for url in urls:
        antwort = client.get(url)
        assert antwort.status_code == 200, (url, antwort.status_code)


def test_oeffentliche_seiten_mit_parametern():
    client = Client()
    for url, soll in oeffentliche_urls():
        antwort = client.get(url)
        assert antwort.status_code in soll, (url, antwort.status_code)


def test_sprachwahl_leitet_nie_nach_aussen():
    """The language switch (opendata, English UI) goes back within the portal only: no open redirect."""
    client = Client()
    assert client.get("/sprache/en/", {"weiter": "/labore/"})["Location"] == "/labore/"
    for fremd in ["https://boese.example/", "//boese.example/", "/\\boese.example/"]:
        antwort = client.get("/sprache/en/", {"weiter": fremd})
        assert antwort.status_code == 302 and antwort["Location"] == "/", (fremd, antwort["Location"])


def test_health_ist_oeffentlich():
    antwort = Client().get("/health/")
    assert antwort.status_code == 200
    assert antwort.json()["status"] == "ok"
    assert "no-cache" in antwort["Cache-Control"]


def test_oeffentliche_seiten_nehmen_keine_schreibanfragen_an():
    """POST to a public page is refused (CSRF or method), never processed; the portal's pages only read."""
    client = Client(enforce_csrf_checks=True)
    for url in [*oeffentliche_routen_ohne_parameter(), *(u for u, _ in oeffentliche_urls())]:
        antwort = client.post(url, {})
        assert antwort.status_code in (403, 405), (url, antwort.status_code)


# --- Every route is covered -----------------------------------------------------------------------------
#: Routes this suite does not request, each with the reason.
AUSGENOMMEN: dict[str, str] = {}


def test_jede_route_ist_abgedeckt(personen, regional):
    """Every route of the resolver is requested by this suite or listed in AUSGENOMMEN with a reason."""
    urls = []
    for model in ADMIN_MODELLE:
        label = model._meta.label
        for rolle in ADMIN_ROLLEN[1:]:
            for obj, _ in objekte(label, rolle, personen, regional):
                urls += admin_urls(model, obj).values()
    urls += [url for _, url, _ in admin_sonderrouten(personen, regional)]
    for prefix, viewset in API_RESSOURCEN:
        urls += [f"/api/v1/{prefix}/", f"/api/v1/{prefix}.json"]
        for obj, _ in api_objekte(viewset, "fitko", personen, regional):
            schluessel = schluessel_von(viewset, obj)
            urls += [f"/api/v1/{prefix}/{schluessel}/", f"/api/v1/{prefix}/{schluessel}.json"]
    urls += [url for url, _ in api_sonderrouten()] + [KOMMUNE_LEISTUNGEN_FORMAT]
    urls += oeffentliche_routen_ohne_parameter()
    urls += [url for url, _ in oeffentliche_urls()]

    abgedeckt = {resolve(url.split("?")[0]).route for url in urls}
    fehlend = [route for route, _ in alle_routen() if route not in abgedeckt and route not in AUSGENOMMEN]
    assert not fehlend, f"Routes neither covered nor in AUSGENOMMEN: {fehlend}"
    veraltet = set(AUSGENOMMEN) - {route for route, _ in alle_routen()}
    assert not veraltet, f"AUSGENOMMEN lists routes that no longer exist: {veraltet}"


def test_admin_registry_und_router_sind_vollstaendig_in_der_tabelle():
    """A new model in the admin or a new API resource must be placed in RECHTE/SUPERUSER consciously."""
    bekannt = set(ADMIN_LABELS)
    for label in {*SUPERUSER, *BEREICH}:
        assert label in bekannt, f"{label} is no longer in the admin"
    for prefix, viewset in API_RESSOURCEN:
        assert re.fullmatch(r"[a-z-]+", prefix), prefix
        assert viewset.queryset.model._meta.label in bekannt, prefix
