"""Who may do what: the roles of the Redaktion as object permissions, in one place for admin and API.

Every model permission ("catalog.change_zustaendigkeit" …) is registered here with ``rules``, so
``user.has_perm(perm, obj)`` answers the same question in the admin, the API and the import:

1. The user must hold the model permission (through a group such as Land-Redaktion, or directly). The groups
   and their model permissions are created by ``manage.py setup_rollen``.
2. Where the data belongs to a Land or a Kommune, the object must lie in the user's area: the Land or Kommune
   they are assigned to (``Redaktionszuordnung``). A Land-Redaktion also covers the Kommunen of its Land.
   FITKO-Redaktion (and superusers) have no such limit; the Lesend role sees everything and changes nothing.

``obj=None`` asks "may the user do this at all?" (list, add form): it depends on the model permission only.
Before saving a new or changed object, ask again with the object (``has_perm("catalog.add_zustaendigkeit",
unsaved_instance)``): that decides whether it lies in the user's area. Lists are narrowed with
``filter_queryset(user, queryset)``.
"""

from django.apps import apps
from django.db.models import Q

import rules

from .models import Redaktionszuordnung

FITKO = "FITKO-Redaktion"
LAND = "Land-Redaktion"
KOMMUNE = "Kommune-Redaktion"
LESEND = "Lesend"
ROLLEN = [FITKO, LAND, KOMMUNE, LESEND]

AKTIONEN = ["view", "add", "change", "delete"]

#: Models whose rows belong to a Land or a Kommune; everything else is shared data that only FITKO edits.
BEREICH_LAND = ["catalog.Zustaendigkeit", "catalog.Umsetzungsstand"]
BEREICH_KOMMUNE = ["catalog.KommunaleUmsetzung"]
#: Imported federal rows (dashboard): stored on a Land, a Kreis, a Kommune or the Bund (no Gebiet). A
#: Land-Redaktion covers its Land and every Gebiet in it, a Kommune-Redaktion its Kommune; Bund rows: FITKO only.
BEREICH_GEBIET = ["dashboard.Onlinedienst"]
#: Rows that belong to one person (a staff member's e-mail follows): every staff member may keep their own,
#: nobody but FITKO sees or changes another person's.
PERSOENLICH = ["opendata.Abonnement"]

#: Reference data the regional editors need to read to fill in their forms (OZG-Leistung, LeiKa, Gebiete).
NACHSCHLAGEDATEN = ["catalog.Gebietskoerperschaft", "catalog.Leistung", "catalog.LeikaLeistung"]

#: Operations data FITKO reads to see whether a change has gone through (core.admin): the change log, the
#: relay's cursors and its rebuild demands. Read-only for everybody: the admin offers no form for them.
BETRIEB_LESEN = ["core.Aenderung", "core.Konsumentenstand", "core.Neubauauftrag"]

#: Models no role gets through "app.*": personal data only superusers see (the e-mail outbox holds addresses).
NUR_SUPERUSER = ["opendata.EmailAusgang"]

#: Model permissions of each role; ``setup_rollen`` creates the groups from this table.
ROLLEN_MODELLE = {
    FITKO: {
        "catalog.*": AKTIONEN,
        "themenfelder.*": AKTIONEN,
        "labore.*": AKTIONEN,
        "redaktion.Redaktionszuordnung": AKTIONEN,
        "opendata.*": AKTIONEN,
        # The admin offers view and delete only; rows are written by the import (dashboard.admin).
        "dashboard.*": AKTIONEN,
        **dict.fromkeys(BETRIEB_LESEN, ["view"]),
    },
    LAND: {
        **dict.fromkeys(BEREICH_LAND + BEREICH_KOMMUNE, AKTIONEN),
        **dict.fromkeys(NACHSCHLAGEDATEN + BEREICH_GEBIET, ["view"]),
    },
    KOMMUNE: {
        **dict.fromkeys(BEREICH_KOMMUNE, AKTIONEN),
        **dict.fromkeys(NACHSCHLAGEDATEN + BEREICH_GEBIET, ["view"]),
    },
    LESEND: {
        "catalog.*": ["view"],
        "themenfelder.*": ["view"],
        "labore.*": ["view"],
        "dashboard.*": ["view"],
    },
}

#: Apps whose every model permission is registered with rules.
GEREGELTE_APPS = ["catalog", "themenfelder", "labore", "redaktion", "opendata", "dashboard"]


# --- Who the user is ----------------------------------------------------------------------------------
ist_fitko = rules.is_superuser | rules.is_group_member(FITKO)
ist_lesend = rules.is_group_member(LESEND)


def _zuordnung(user) -> tuple[frozenset, frozenset]:
    """(Länder, Kommunen) the user is assigned to, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset(), frozenset()
    cache = getattr(user, "_redaktion_cache", None)
    if cache is None:
        laender, kommunen = set(), set()
        for gebiet_id, ebene in Redaktionszuordnung.objects.filter(user=user).values_list("gebiet_id", "gebiet__ebene"):
            (laender if ebene == "land" else kommunen).add(gebiet_id)
        cache = user._redaktion_cache = (frozenset(laender), frozenset(kommunen))
    return cache


def laender_von(user) -> frozenset:
    """Primary keys of the Länder whose data ``user`` edits as Land-Redaktion."""
    return _zuordnung(user)[0]


def kommunen_von(user) -> frozenset:
    """Primary keys of the Kommunen whose data ``user`` edits as Kommune-Redaktion."""
    return _zuordnung(user)[1]


# --- Where an object belongs -------------------------------------------------------------------------
@rules.predicate
def im_eigenen_land(user, obj) -> bool:
    """The object's Land is one the user is assigned to; None (the question "at all?") is True."""
    if obj is None:
        return True
    return obj.land_id is not None and obj.land_id in laender_von(user)


@rules.predicate
def in_eigener_kommune(user, obj) -> bool:
    """The object's Kommune is the user's, or lies in the user's Land; None is True."""
    if obj is None:
        return True
    if obj.kommune_id is None:
        return False
    if obj.kommune_id in kommunen_von(user):
        return True
    laender = laender_von(user)
    if not laender:
        return False
    # kommune_id may have just been set on an unsaved object, so read the Land from the database. The model is
    # the one Redaktionszuordnung points at: redaktion sits below catalog and does not import it.
    gebiete = Redaktionszuordnung._meta.get_field("gebiet").related_model
    land_id = gebiete.objects.filter(pk=obj.kommune_id).values_list("land_id", flat=True).first()
    return land_id in laender


@rules.predicate
def im_eigenen_gebiet(user, obj) -> bool:
    """The object's Gebiet is the user's Kommune, the user's Land or lies in it; None is True, the Bund False."""
    if obj is None:
        return True
    if obj.gebiet_id is None:
        return False
    laender = laender_von(user)
    if obj.gebiet_id in kommunen_von(user) or obj.gebiet_id in laender:
        return True
    if not laender:
        return False
    gebiete = Redaktionszuordnung._meta.get_field("gebiet").related_model
    return gebiete.objects.filter(pk=obj.gebiet_id, land__in=laender).exists()


@rules.predicate
def eigene_zeile(user, obj) -> bool:
    """The object belongs to the user (``obj.user``); None (the question "at all?") is True."""
    return obj is None or obj.user_id == user.pk


BEREICHE = {
    **dict.fromkeys(BEREICH_LAND, im_eigenen_land),
    **dict.fromkeys(BEREICH_KOMMUNE, in_eigener_kommune),
    **dict.fromkeys(BEREICH_GEBIET, im_eigenen_gebiet),
}


def _bereich_q(model, user) -> Q:
    label = model._meta.label
    if label in BEREICH_LAND:
        return Q(land__in=laender_von(user))
    if label in BEREICH_KOMMUNE:
        return Q(kommune__in=kommunen_von(user)) | Q(kommune__land__in=laender_von(user))
    if label in BEREICH_GEBIET:
        laender = laender_von(user)
        return Q(gebiet__in=kommunen_von(user)) | Q(gebiet__in=laender) | Q(gebiet__land__in=laender)
    if label in PERSOENLICH:
        return Q(user=user)
    return Q()


def modellrecht(perm: str):
    """Predicate: the user holds ``perm`` as a model permission (group or user permission)."""

    @rules.predicate(name=f"modellrecht:{perm}")
    def pred(user):
        return user.is_active and perm in user.get_all_permissions()

    return pred


def regel(model, aktion: str):
    """The rule for ``aktion`` on ``model``: the model permission, and for regional data the user's area."""
    perm = f"{model._meta.app_label}.{aktion}_{model._meta.model_name}"
    if model._meta.label in PERSOENLICH:
        # Every active staff member keeps their own rows without a model permission; FITKO (the model
        # permission through its group) and superusers everyone's. An API key (never staff) has none.
        eigene = rules.is_active & rules.is_staff & eigene_zeile
        return (modellrecht(perm) & ist_fitko) | eigene
    bereich = BEREICHE.get(model._meta.label)
    if bereich is None:
        return modellrecht(perm)
    wer_alles_darf = ist_fitko | ist_lesend if aktion == "view" else ist_fitko
    return modellrecht(perm) & (wer_alles_darf | bereich)


def register() -> None:
    for app_label in GEREGELTE_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical") or model._meta.auto_created:
                continue
            for aktion in AKTIONEN:
                perm = f"{model._meta.app_label}.{aktion}_{model._meta.model_name}"
                rules.set_perm(perm, regel(model, aktion))


# rules autodiscovers this module once the app registry is ready.
register()


# --- Lists -------------------------------------------------------------------------------------------
def filter_queryset(user, queryset, aktion: str = "view"):
    """Narrow ``queryset`` to the rows ``user`` may ``aktion``; the same answer as ``has_perm(perm, row)``.

    For the admin's and the API's lists: a Land-Redaktion sees only its Land's rows.
    """
    model = queryset.model
    perm = f"{model._meta.app_label}.{aktion}_{model._meta.model_name}"
    if model._meta.label in PERSOENLICH and user.is_active and user.is_staff and not ist_fitko(user):
        return queryset.filter(_bereich_q(model, user))
    if not user.is_active or perm not in user.get_all_permissions():
        return queryset.none()
    if model._meta.label not in BEREICHE or ist_fitko(user) or (aktion == "view" and ist_lesend(user)):
        return queryset
    return queryset.filter(_bereich_q(model, user))


# --- Machines: API keys scoped like editors ---------------------------------------------------------
def modelle_von(ziel: str) -> list:
    """The models a key of ROLLEN_MODELLE means: one ("app.Model") or every one of an app ("app.*"), the latter
    without history models and without NUR_SUPERUSER."""
    app_label, name = ziel.split(".")
    if name != "*":
        return [apps.get_model(app_label, name)]
    return [
        m
        for m in apps.get_app_config(app_label).get_models()
        if not m.__name__.startswith("Historical") and m._meta.label not in NUR_SUPERUSER
    ]


def modellrechte(rolle: str, aktionen=AKTIONEN) -> frozenset:
    """The model permissions ("app.aktion_model") of ``rolle`` per ROLLEN_MODELLE, limited to ``aktionen``."""
    rechte = set()
    for ziel, erlaubt in ROLLEN_MODELLE[rolle].items():
        app_label = ziel.split(".")[0]
        for model in modelle_von(ziel):
            rechte.update(f"{app_label}.{a}_{model._meta.model_name}" for a in erlaubt if a in aktionen)
    return frozenset(rechte)


class SchluesselNutzer:
    """Stands in for the editor an API key acts as, so the rules above judge a key exactly like a person.

    No Land or Kommune: FITKO-Redaktion; a Land: Land-Redaktion of it; a Kommune: Kommune-Redaktion of it.
    A read-only key holds only "view" permissions. Never saved, never a history user.
    """

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False
    groups = None  # rules.is_group_member reads the cache below

    def __init__(self, schluessel):
        self.schluessel = schluessel
        gebiet = schluessel.gebiet
        if gebiet is None:
            rolle, bereich = FITKO, (frozenset(), frozenset())
        elif gebiet.ebene == "land":
            rolle, bereich = LAND, (frozenset({gebiet.pk}), frozenset())
        else:
            rolle, bereich = KOMMUNE, (frozenset(), frozenset({gebiet.pk}))
        self.is_active = not schluessel.revoked
        self._group_names_cache = {rolle}
        self._redaktion_cache = bereich
        aktionen = AKTIONEN if schluessel.recht == "schreiben" else ["view"]
        self._rechte = modellrechte(rolle, aktionen)

    def get_all_permissions(self, obj=None):
        return self._rechte

    def has_perm(self, perm, obj=None) -> bool:
        return rules.has_perm(perm, self, obj)

    def __str__(self):
        return self.schluessel.zuschreibung()
