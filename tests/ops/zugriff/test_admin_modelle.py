"""Admin, every model × every role: the tables agree with the rules, and every standard view answers as they say."""

from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory

import pytest

from .tabellen import (
    ADMIN_LABELS,
    ADMIN_ROLLEN,
    AKTION,
    BEREICH,
    ROLLEN,
    admin_rechte,
    admin_soll,
    admin_urls,
    client_fuer,
    objekte,
    perm,
    pruefe,
    rechte,
)

pytestmark = pytest.mark.django_db


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
