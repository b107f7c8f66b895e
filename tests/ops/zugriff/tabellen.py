"""The access matrix's tables (who may do what), its people and rows, and the expected answers.

See ``__init__``: every route × anonymous, each role, superuser, API key.
"""

import datetime

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import Client

from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory
from simple_history.admin import SimpleHistoryAdmin

from ozgportal.api.urls import router
from redaktion.models import Redaktionszuordnung

# --- Who may do what: the declarative table ------------------------------------------------------------
ALLE = "vacd"
LESEN = "v"

REFERENZ = ["catalog.Gebietskoerperschaft", "catalog.Leistung", "catalog.LeikaLeistung"]
LAND_DATEN = ["catalog.Zustaendigkeit", "catalog.Umsetzungsstand"]
KOMMUNE_DATEN = ["catalog.KommunaleUmsetzung"]
ZUORDNUNG = "redaktion.Redaktionszuordnung"
ONLINEDIENST = "dashboard.Onlinedienst"
ABONNEMENT = "opendata.Abonnement"
#: The change pipeline's operations data (core.admin): FITKO reads it, nobody writes it in the admin.
BETRIEB = ["core.Aenderung", "core.Konsumentenstand", "core.Neubauauftrag"]
#: The e-mail outbox holds addresses: superusers only, although FITKO holds every other opendata permission.
EMAIL_AUSGANG = "opendata.EmailAusgang"

#: role → model label (or "app.*") → letters of view, add, change, delete the role may at all (obj=None).
#: Models not listed: nothing. Those (auth, API keys, axes, OTP devices, celery beat, Berichte, the e-mail outbox)
#: are for superusers only, whom ``SUPERUSER`` describes.
#: Every staff member keeps their own e-mail follows (ABONNEMENT: the rows of others are outside, see BEREICH);
#: the federal rows (ONLINEDIENST) are read in the role's area and written by the import only (see ADMIN_FORMULARE).
RECHTE = {
    "fitko": {
        "catalog.*": ALLE, "themenfelder.*": ALLE, "labore.*": ALLE, "opendata.*": ALLE, "dashboard.*": ALLE,
        ZUORDNUNG: ALLE, **dict.fromkeys(BETRIEB, LESEN), EMAIL_AUSGANG: "",
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
ADMIN_FORMULARE = {
    "opendata.WebhookZustellung": "vd", ONLINEDIENST: "vd", **dict.fromkeys([*BETRIEB, EMAIL_AUSGANG], LESEN),
}  # fmt: skip

#: What the admin offers a superuser; every model not listed: everything. Logs and reports are read-only there,
#: and so are the change log, the relay's cursors, its rebuild demands and the e-mail outbox.
SUPERUSER = {
    **dict.fromkeys([*BETRIEB, EMAIL_AUSGANG], LESEN),
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
    if label == "core.Aenderung":
        from core.models import Aenderung

        return Aenderung.objects.create(
            modell="catalog.Leistung", schluessel="10000", aktion="geaendert", vorher={"name": "a"},
            nachher={"name": "b"}, wie="admin", wer="user:1", zeitpunkt=jetzt, sekunde=1, transaktion="t",
        )  # fmt: skip
    if label == "core.Konsumentenstand":
        from core.models import Konsumentenstand

        return Konsumentenstand.objects.create(name="zugriffstest", fehlversuche=1, fehler="RuntimeError: x")
    if label == "core.Neubauauftrag":
        from core.models import Neubauauftrag

        return Neubauauftrag.objects.create(schluessel="test:zugriff", task="core.weiterreichen", gewuenscht_bis=2)
    if label == EMAIL_AUSGANG:
        return apps.get_model(label).objects.create(empfaenger="person@example.org", betreff="Test", text="Text")
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


def api_schreiben_soll(rolle: str, viewset, methode: str, innen: bool):
    """What a write answers: not offered by the resource (405, for everyone, before any permission), refused (403),
    or passed to validation and the view (not 401/403/5xx)."""
    if methode.lower() not in viewset.http_method_names:
        return 405
    label = viewset.queryset.model._meta.label
    if rolle == "api_key":
        return "erlaubt"
    if rolle == "anonym":
        return 403
    aktion = {"POST": "a", "PUT": "c", "PATCH": "c", "DELETE": "d"}[methode]
    if aktion not in rechte(rolle, label):
        return 403
    return "erlaubt" if innen or methode == "POST" else 403


ERLAUBT = {"POST": (400,), "PUT": (400,), "PATCH": (200,), "DELETE": (204,)}
