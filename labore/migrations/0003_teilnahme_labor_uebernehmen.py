"""Copy every Teilnahme.labor into a LaborTeilnahme link, and the link's past from the Teilnahme's history.

Before issue 12 the link was the column ``themenfelder_teilnahme.labor_id``, historised with the Teilnahme. Each
change of that column in ``HistoricalTeilnahme`` becomes a row of ``HistoricalLaborTeilnahme`` with the same date,
editor and reason: "+" when a Labor was first set, "~" when it changed, "-" when it was cleared or the Teilnahme
deleted. themenfelder 0002 drops the column afterwards.
"""

from django.db import migrations


def _verlauf(historie, link_ids, naechste_id):
    """History rows of the link, from the Teilnahme's history rows (ordered by Teilnahme, date, id)."""
    zeilen, vorher = [], {}
    for r in historie:
        alt = vorher.get(r.id)
        neu = None if r.history_type == "-" else r.labor_id
        if neu == alt:
            continue
        if r.id not in link_ids:
            # A link that no longer exists still needs an id of its own in its history.
            link_ids[r.id] = naechste_id
            naechste_id += 1
        art = "+" if alt is None else ("-" if neu is None else "~")
        zeilen.append(
            {
                "id": link_ids[r.id],
                "labor_id": neu if neu is not None else alt,
                "teilnahme_id": r.id,
                "history_date": r.history_date,
                "history_user_id": r.history_user_id,
                "history_change_reason": r.history_change_reason,
                "history_type": art,
            }
        )
        vorher[r.id] = neu
    return zeilen


def vorwaerts(apps, schema_editor):
    Teilnahme = apps.get_model("themenfelder", "Teilnahme")
    HistoricalTeilnahme = apps.get_model("themenfelder", "HistoricalTeilnahme")
    LaborTeilnahme = apps.get_model("labore", "LaborTeilnahme")
    HistoricalLaborTeilnahme = apps.get_model("labore", "HistoricalLaborTeilnahme")
    LaborTeilnahme.objects.bulk_create(
        LaborTeilnahme(teilnahme_id=pk, labor_id=labor_id)
        for pk, labor_id in Teilnahme.objects.filter(labor__isnull=False).order_by("pk").values_list("pk", "labor_id")
    )
    link_ids = dict(LaborTeilnahme.objects.values_list("teilnahme_id", "pk"))
    historie = HistoricalTeilnahme.objects.order_by("id", "history_date", "history_id").only(
        "id", "labor_id", "history_type", "history_date", "history_user_id", "history_change_reason"
    )
    zeilen = _verlauf(historie.iterator(), link_ids, max(link_ids.values(), default=0) + 1)
    HistoricalLaborTeilnahme.objects.bulk_create(HistoricalLaborTeilnahme(**z) for z in zeilen)


def rueckwaerts(apps, schema_editor):
    # The column comes back (themenfelder 0002 reversed first) and gets its value; its history stays in labore's
    # table until this migration's CreateModel is reversed.
    Teilnahme = apps.get_model("themenfelder", "Teilnahme")
    LaborTeilnahme = apps.get_model("labore", "LaborTeilnahme")
    for teilnahme_id, labor_id in LaborTeilnahme.objects.values_list("teilnahme_id", "labor_id"):
        Teilnahme.objects.filter(pk=teilnahme_id).update(labor_id=labor_id)


class Migration(migrations.Migration):
    dependencies = [
        ("labore", "0002_laborteilnahme"),
        ("themenfelder", "0001_initial"),
    ]

    operations = [migrations.RunPython(vorwaerts, rueckwaerts)]
