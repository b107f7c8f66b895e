"""What a log entry says about its row besides the change itself: the public key and the scope (Land ARS, Gebiet
ARS, Themenfeld) that routes webhooks and e-mails and lets the per-Bereich data version (``core.datenstand``)
invalidate only what a change affects. The database-side bulk path in ``core.aenderungen`` follows the same rules.
"""

from django.apps import apps

#: Fields that name a row publicly, in order of preference (the first one that is set).
SCHLUESSELFELDER = ("ars", "ozg_id", "slug", "kurzname", "zeile")


#: The foreign keys through which a row's Gebiet is resolved (``Bereiche.fuer``: the first one set).
GEBIETSFELDER = ("kommune", "gebiet", "land")
#: A Gebietskörperschaft's own Gebiet is its ARS; its place in the hierarchy (whose pages list it) goes with it.
GEBIET_SELBST = ("ars", "ags", "ebene", "parent", "kreis", "land")


def bereichsfelder(model) -> tuple[str, ...]:
    """The fields that place a row of ``model`` in its Bereich, fixed once the row exists.

    A log entry names the row's Bereich as it is after the write, so a write that moved a row into another Bereich
    would renew the new one's pages and ETags and leave the old one's showing the row. To move a row, delete it
    and add it where it belongs: the deletion is logged in the old Bereich, the new row in the new one. The admin
    makes these fields read-only on a row that exists, the API refuses a change of them.
    """
    if model._meta.label == "catalog.Gebietskoerperschaft":
        return GEBIET_SELBST
    namen = {f.name for f in model._meta.concrete_fields}
    return tuple(name for name in GEBIETSFELDER if name in namen)


class Bereiche:
    """Resolves Land/Gebiet ARS and Themenfeld slug for many rows with at most four queries."""

    def __init__(self, objs):
        self.gebiete, self.themenfelder, self.leistungen, self.lagen = set(), set(), set(), set()
        for obj in objs:
            for attr in ("kommune_id", "gebiet_id", "land_id"):
                if getattr(obj, attr, None):
                    self.gebiete.add(getattr(obj, attr))
                    break
            for attr, menge in (
                ("themenfeld_id", self.themenfelder),
                ("leistung_id", self.leistungen),
                ("lage_id", self.lagen),
            ):
                if getattr(obj, attr, None):
                    menge.add(getattr(obj, attr))
        self._laden()

    def _laden(self):
        def werte(label, ids, feld):
            if not ids:
                return {}
            return dict(apps.get_model(label).objects.filter(pk__in=ids).values_list("pk", feld))

        self.ars = werte("catalog.Gebietskoerperschaft", self.gebiete, "ars")
        self.tf = werte("catalog.Themenfeld", self.themenfelder, "slug")
        self.tf_leistung = werte("catalog.Leistung", self.leistungen, "lage__themenfeld__slug")
        self.tf_lage = werte("catalog.Lage", self.lagen, "themenfeld__slug")

    def fuer(self, obj) -> tuple[str, str, str]:
        label = obj._meta.label
        gebiet = ""
        if label == "catalog.Gebietskoerperschaft":
            gebiet = obj.ars or ""
        else:
            for attr in ("kommune_id", "gebiet_id", "land_id"):
                if getattr(obj, attr, None):
                    gebiet = self.ars.get(getattr(obj, attr), "")
                    break
        if label == "catalog.Themenfeld":
            themenfeld = obj.slug
        elif getattr(obj, "themenfeld_id", None):
            themenfeld = self.tf.get(obj.themenfeld_id, "")
        elif getattr(obj, "leistung_id", None):
            themenfeld = self.tf_leistung.get(obj.leistung_id) or ""
        elif getattr(obj, "lage_id", None):
            themenfeld = self.tf_lage.get(obj.lage_id) or ""
        else:
            themenfeld = ""
        return gebiet[:2], gebiet, themenfeld


def schluessel_von(obj) -> str:
    for feld in SCHLUESSELFELDER:
        wert = getattr(obj, feld, None)
        if wert not in (None, ""):
            return str(wert)[:200]
    return str(obj.pk)


def werte_von(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
