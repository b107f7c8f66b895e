"""History of every change: who, when, before and after; visible and revertible in the admin; as of a date."""

from django.utils import timezone

from catalog.models import Umsetzungsstand, Zustaendigkeit
from labore.models import Labor
from themenfelder.models import PhasenStatus, Teilnahme


def _formular(z: Zustaendigkeit, **aenderung):
    daten = {
        "land": z.land_id,
        "leistung": z.leistung_id,
        "leika_leistung": "",
        "ebene": z.ebene,
        "rechtsgrundlage": z.rechtsgrundlage,
        "bemerkung": z.bemerkung,
    }
    daten.update(aenderung)
    return daten


def test_aenderung_steht_mit_person_in_der_historie_und_laesst_sich_zuruecknehmen(client, land_sh, regionale_daten):
    z = regionale_daten["zustaendigkeit"]["sh"]
    client.force_login(land_sh)
    antwort = client.post(f"/admin/catalog/zustaendigkeit/{z.pk}/change/", _formular(z, ebene="gemeinde"))
    assert antwort.status_code == 302
    z.refresh_from_db()
    assert z.ebene == "gemeinde"

    neueste, erste = z.history.order_by("-history_date")[:2]
    assert (neueste.history_user, neueste.ebene) == (land_sh, "gemeinde")
    delta = neueste.diff_against(erste)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("ebene", "kreis", "gemeinde")]
    seite = client.get(f"/admin/catalog/zustaendigkeit/{z.pk}/history/").content.decode()
    assert "redaktion-sh" in seite

    # Revert: open the first version and save it again.
    url = f"/admin/catalog/zustaendigkeit/{z.pk}/history/{erste.history_id}/"
    assert client.get(url).status_code == 200
    antwort = client.post(url, _formular(z, ebene="kreis"))
    assert antwort.status_code == 302
    z.refresh_from_db()
    assert z.ebene == "kreis"
    assert z.history.count() == 3


def test_historie_eines_fremden_landes_bleibt_verschlossen(client, land_sh, regionale_daten):
    fremd = regionale_daten["zustaendigkeit"]["he"]
    version = fremd.history.get()
    client.force_login(land_sh)
    assert client.get(f"/admin/catalog/zustaendigkeit/{fremd.pk}/history/{version.history_id}/").status_code == 403


def test_sammelaktion_und_loeschen_stehen_in_der_historie(client, land_sh, regionale_daten):
    stand = regionale_daten["umsetzungsstand"]["sh"]
    vorher = timezone.now()
    client.force_login(land_sh)
    client.post(
        "/admin/catalog/umsetzungsstand/",
        {"action": "stand_heute", "_selected_action": [o.pk for o in regionale_daten["umsetzungsstand"].values()]},
    )
    stand.refresh_from_db()
    assert stand.stand == timezone.localdate()
    letzte = stand.history.latest()
    assert (letzte.history_user, letzte.history_change_reason) == (land_sh, "Sammelaktion: Stand auf heute")
    # The other Land's row was not in the editor's list, so the action did not touch it.
    assert regionale_daten["umsetzungsstand"]["he"].history.count() == 1

    client.post(f"/admin/catalog/umsetzungsstand/{stand.pk}/delete/", {"post": "yes"})
    assert not Umsetzungsstand.objects.filter(pk=stand.pk).exists()
    geloescht = Umsetzungsstand.history.filter(id=stand.pk).latest()
    assert (geloescht.history_type, geloescht.history_user) == ("-", land_sh)
    # As of a date: the row as it was before the bulk action.
    assert (
        Umsetzungsstand.history.as_of(vorher).get(pk=stand.pk).stand == regionale_daten["umsetzungsstand"]["he"].stand
    )


def test_importierte_daten_haben_einen_ausgangsstand(db):
    """load_all records the imported rows, so the first edit keeps its "before"."""
    assert not PhasenStatus.objects.exclude(pk__in=PhasenStatus.history.values("id")).exists()
    assert not Teilnahme.objects.exclude(pk__in=Teilnahme.history.values("id")).exists()
    labor = Labor.objects.first()
    assert labor.history.exists()  # a snapshot of the whole row, "+" or from the import of its Leistungen
    labor.pilot = not labor.pilot
    labor.save()
    neu, alt = labor.history.order_by("-history_date", "-history_id")[:2]
    assert alt.pilot != neu.pilot


def test_pilot_sammelaktion_steht_in_der_historie(client, fitko):
    labor = Labor.objects.filter(pilot=False).first()
    client.force_login(fitko)
    client.post("/admin/labore/labor/", {"action": "als_pilot_markieren", "_selected_action": [labor.pk]})
    labor.refresh_from_db()
    assert labor.pilot
    assert labor.history.latest().history_user == fitko
