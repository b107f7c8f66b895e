"""Roles as a matrix: every role × every model × view/add/change/delete, in the rules and through /admin/.

The expectations are written out here, not derived from redaktion.rules, so a change of the rules that
changes who may do what fails a test.
"""

import pytest

from catalog.models import (
    Gebietskoerperschaft,
    KommunaleUmsetzung,
    Lage,
    LeikaLeistung,
    Leistung,
    Organisation,
    Themenfeld,
    Umsetzungsstand,
    Zustaendigkeit,
)
from labore.models import Labor
from redaktion.models import Redaktionszuordnung
from redaktion.rules import filter_queryset
from themenfelder.models import PhasenStatus, TandemRolle, Teilnahme

ALLE = "vacd"
NUR_LESEN = "v"
NICHTS = ""

REFERENZ = [Gebietskoerperschaft, Leistung, LeikaLeistung]
GEMEINSAM = [Organisation, Themenfeld, Lage, TandemRolle, PhasenStatus, Teilnahme, Labor]
REGIONAL_LAND = [Zustaendigkeit, Umsetzungsstand]
REGIONAL_KOMMUNE = [KommunaleUmsetzung]
MODELLE = [*REFERENZ, *GEMEINSAM, *REGIONAL_LAND, *REGIONAL_KOMMUNE, Redaktionszuordnung]


def erwartet(rolle: str, model) -> str:
    """What a role may do with a model at all (obj=None): letters of view, add, change, delete."""
    if rolle == "fitko":
        return ALLE
    if rolle == "land":
        if model in REGIONAL_LAND + REGIONAL_KOMMUNE:
            return ALLE
        return NUR_LESEN if model in REFERENZ else NICHTS
    if rolle == "kommune":
        if model in REGIONAL_KOMMUNE:
            return ALLE
        return NUR_LESEN if model in REFERENZ else NICHTS
    if rolle == "lesend":
        return NICHTS if model is Redaktionszuordnung else NUR_LESEN
    return NICHTS


AKTIONEN = {"v": "view", "a": "add", "c": "change", "d": "delete"}
ROLLEN = ["fitko", "land", "kommune", "lesend", "ohne"]


def perm(model, aktion):
    return f"{model._meta.app_label}.{aktion}_{model._meta.model_name}"


def beispiel(model, regionale_daten, land_sh):
    """A row of ``model`` inside the SH/Kiel editors' area."""
    if model is Zustaendigkeit:
        return regionale_daten["zustaendigkeit"]["sh"]
    if model is Umsetzungsstand:
        return regionale_daten["umsetzungsstand"]["sh"]
    if model is KommunaleUmsetzung:
        return regionale_daten["kommunaleumsetzung"]["kiel"]
    if model is Redaktionszuordnung:
        return Redaktionszuordnung.objects.get(user=land_sh)
    if model is Gebietskoerperschaft:
        # A Gemeinde nothing points to, so its delete page stays small.
        return Gebietskoerperschaft.objects.get(ags="01001000")
    return model.objects.order_by("pk").first()


@pytest.mark.parametrize("rolle", ROLLEN)
def test_modellrechte_je_rolle(personen, rolle):
    user = personen[rolle]
    for model in MODELLE:
        for buchstabe, aktion in AKTIONEN.items():
            soll = buchstabe in erwartet(rolle, model)
            assert user.has_perm(perm(model, aktion)) is soll, (rolle, model.__name__, aktion)


@pytest.mark.parametrize("rolle", ROLLEN)
def test_objektrechte_je_rolle(personen, regionale_daten, rolle):
    """With the object: own area as the model permission says, anything outside it never (except reading)."""
    user = personen[rolle]
    innen = {
        Zustaendigkeit: regionale_daten["zustaendigkeit"]["sh"],
        Umsetzungsstand: regionale_daten["umsetzungsstand"]["sh"],
        KommunaleUmsetzung: regionale_daten["kommunaleumsetzung"]["kiel"],
    }
    aussen = {
        Zustaendigkeit: [regionale_daten["zustaendigkeit"]["he"]],
        Umsetzungsstand: [regionale_daten["umsetzungsstand"]["he"]],
        KommunaleUmsetzung: [regionale_daten["kommunaleumsetzung"]["frankfurt"]],
    }
    if rolle == "kommune":
        # Lübeck lies in the editor's Land but is another Kommune.
        aussen[KommunaleUmsetzung].append(regionale_daten["kommunaleumsetzung"]["luebeck"])
    else:
        innen_land = regionale_daten["kommunaleumsetzung"]["luebeck"]
        assert user.has_perm(perm(KommunaleUmsetzung, "change"), innen_land) is (
            "c" in erwartet(rolle, KommunaleUmsetzung)
        )

    for model, obj in innen.items():
        for buchstabe, aktion in AKTIONEN.items():
            assert user.has_perm(perm(model, aktion), obj) is (buchstabe in erwartet(rolle, model)), (
                rolle,
                model.__name__,
                aktion,
            )
    for model, objs in aussen.items():
        for obj in objs:
            for buchstabe, aktion in AKTIONEN.items():
                unbegrenzt = rolle == "fitko" or (rolle == "lesend" and aktion == "view")
                soll = unbegrenzt and buchstabe in erwartet(rolle, model)
                assert user.has_perm(perm(model, aktion), obj) is soll, (rolle, model.__name__, aktion, str(obj))


@pytest.mark.parametrize("rolle", ROLLEN)
def test_verwaltung_je_rolle(client, personen, regionale_daten, land_sh, rolle):
    """The same matrix through /admin/: list, add form, change form, delete page."""
    client.force_login(personen[rolle])
    for model in MODELLE:
        darf = erwartet(rolle, model)
        basis = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        obj = beispiel(model, regionale_daten, land_sh)
        faelle = [
            (basis, "v" in darf or "c" in darf),
            (f"{basis}add/", "a" in darf),
            (f"{basis}{obj.pk}/change/", "v" in darf or "c" in darf),
            (f"{basis}{obj.pk}/delete/", "d" in darf),
            (f"{basis}{obj.pk}/history/", "v" in darf or "c" in darf),
        ]
        for url, soll in faelle:
            antwort = client.get(url)
            assert antwort.status_code == (200 if soll else 403), (rolle, url, antwort.status_code)


def test_land_redaktion_sieht_nur_das_eigene_land(client, land_sh, regionale_daten):
    client.force_login(land_sh)
    antwort = client.get("/admin/catalog/zustaendigkeit/")
    assert list(antwort.context["cl"].result_list) == [regionale_daten["zustaendigkeit"]["sh"]]
    antwort = client.get("/admin/catalog/kommunaleumsetzung/")
    sichtbar = {o.kommune.ags for o in antwort.context["cl"].result_list}
    assert sichtbar == {"01002000", "01003000"}  # Kiel and Lübeck, not Frankfurt


def test_land_redaktion_kann_anderes_land_weder_sehen_noch_aendern(client, land_sh, regionale_daten, he):
    client.force_login(land_sh)
    fremd = regionale_daten["zustaendigkeit"]["he"]
    url = f"/admin/catalog/zustaendigkeit/{fremd.pk}/change/"
    assert client.get(url).status_code == 404
    antwort = client.post(url, {"ebene": "gemeinde", "land": he.pk, "leistung": fremd.leistung_id})
    assert antwort.status_code == 404
    assert client.post(f"/admin/catalog/zustaendigkeit/{fremd.pk}/delete/", {"post": "yes"}).status_code == 404
    assert client.get(f"/admin/catalog/zustaendigkeit/{fremd.pk}/history/").status_code == 403
    fremd.refresh_from_db()
    assert fremd.ebene == "land"


def test_land_redaktion_kann_nicht_fuer_anderes_land_anlegen(client, land_sh, he, sh, elterngeld):
    client.force_login(land_sh)
    daten = {"leistung": elterngeld.pk, "ebene": "kreis", "rechtsgrundlage": "", "bemerkung": ""}
    antwort = client.post("/admin/catalog/zustaendigkeit/add/", {**daten, "land": he.pk})
    assert antwort.status_code == 200  # the form again, with an error
    assert not Zustaendigkeit.objects.filter(land=he).exists()

    antwort = client.post("/admin/catalog/zustaendigkeit/add/", {**daten, "land": sh.pk})
    assert antwort.status_code == 302
    assert Zustaendigkeit.objects.get(land=sh).ebene == "kreis"


def test_kommune_redaktion_pflegt_nur_die_eigene_kommune(client, kommune_kiel, kiel, luebeck, elterngeld):
    client.force_login(kommune_kiel)
    daten = {"leistung": elterngeld.pk, "status": "angeschlossen", "stand": "2024-06-01", "online_url": ""}
    antwort = client.post("/admin/catalog/kommunaleumsetzung/add/", {**daten, "kommune": luebeck.pk})
    assert antwort.status_code == 200
    assert not KommunaleUmsetzung.objects.filter(kommune=luebeck).exists()
    antwort = client.post("/admin/catalog/kommunaleumsetzung/add/", {**daten, "kommune": kiel.pk})
    assert antwort.status_code == 302
    assert KommunaleUmsetzung.objects.get(kommune=kiel).status == "angeschlossen"
    # Umsetzungsstand of the Land is not the Kommune's business.
    assert client.get("/admin/catalog/umsetzungsstand/").status_code == 403


def test_sammelloeschung_bleibt_im_eigenen_land(client, land_sh, regionale_daten):
    client.force_login(land_sh)
    alle = [o.pk for o in regionale_daten["zustaendigkeit"].values()]
    client.post(
        "/admin/catalog/zustaendigkeit/",
        {"action": "delete_selected", "_selected_action": alle, "post": "yes"},
    )
    assert list(Zustaendigkeit.objects.values_list("land__ars", flat=True)) == ["06"]


def test_filter_queryset_entspricht_has_perm(personen, regionale_daten):
    """The list helper for the API answers like has_perm(perm, row) for every row."""
    for user in personen.values():
        for model in REGIONAL_LAND + REGIONAL_KOMMUNE:
            for aktion in ("view", "change"):
                gefiltert = set(filter_queryset(user, model.objects.all(), aktion))
                einzeln = {o for o in model.objects.all() if user.has_perm(perm(model, aktion), o)}
                assert gefiltert == einzeln, (user.username, model.__name__, aktion)


@pytest.mark.parametrize(
    ("rolle", "sichtbar", "unsichtbar"),
    [
        ("fitko", ["Phasenstatus", "Redaktionszuordnungen", "Zuständigkeiten"], []),
        ("land", ["Zuständigkeiten", "Umsetzungsstände in den Kommunen"], ["Phasenstatus", "Redaktionszuordnungen"]),
        ("kommune", ["Umsetzungsstände in den Kommunen"], ["Zuständigkeiten", "Phasenstatus"]),
        ("lesend", ["Phasenstatus", "Zuständigkeiten"], ["Redaktionszuordnungen"]),
    ],
)
def test_startseite_zeigt_was_die_rolle_darf(client, personen, rolle, sichtbar, unsichtbar):
    client.force_login(personen[rolle])
    inhalt = client.get("/admin/").content.decode()
    for name in sichtbar:
        assert name in inhalt, name
    for name in unsichtbar:
        assert name not in inhalt, name
