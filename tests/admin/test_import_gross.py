"""5 MB imports work end to end: the pending file waits on the server between preview and confirmation."""

import io
import random
import string

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from openpyxl import Workbook

from catalog.admin import MAX_BYTES
from catalog.models import Leistung, Zustaendigkeit

URL = "/admin/catalog/zustaendigkeit/importieren/"
KOPF = ["land", "ozg_id", "leika_schluessel", "ebene", "rechtsgrundlage", "bemerkung"]


def _zufall(n: int, rng) -> str:
    # Incompressible text, so the XLSX (a zip) really is about 5 MB.
    return "".join(rng.choices(string.ascii_letters + string.digits, k=n))


def _zeilen(anzahl: int, laenge: int):
    rng = random.Random(13)
    ids = list(Leistung.objects.order_by("ozg_id").values_list("ozg_id", flat=True)[:anzahl])
    return [["SH", ozg_id, "", "kreis", "", _zufall(laenge, rng)] for ozg_id in ids]


def _import(client, datei):
    vorschau = client.post(URL, {"datei": datei})
    assert vorschau.status_code == 200, vorschau.context.get("fehler")
    assert len(vorschau.context["paket"]) < 1000  # a reference, not the file
    return client.post(URL, {"paket": vorschau.context["paket"], "bestaetigt": "1"})


@pytest.mark.django_db
def test_5_mb_csv(client, fitko, sh):
    client.force_login(fitko)
    zeilen = _zeilen(160, 32000)
    puffer = io.StringIO()
    puffer.write(",".join(KOPF) + "\n")
    for z in zeilen:
        puffer.write(",".join(str(w) for w in z) + "\n")
    daten = puffer.getvalue().encode()
    assert 4.5 * 1024 * 1024 < len(daten) <= MAX_BYTES
    antwort = _import(client, SimpleUploadedFile("gross.csv", daten, content_type="text/csv"))
    assert antwort.status_code == 302
    assert Zustaendigkeit.objects.filter(land=sh).count() == 160


@pytest.mark.django_db
def test_5_mb_xlsx(client, fitko, sh):
    client.force_login(fitko)
    buch = Workbook()
    blatt = buch.active
    blatt.append(KOPF)
    for z in _zeilen(200, 32000):
        blatt.append(z)
    puffer = io.BytesIO()
    buch.save(puffer)
    daten = puffer.getvalue()
    assert 4 * 1024 * 1024 < len(daten) <= MAX_BYTES, len(daten)
    antwort = _import(client, SimpleUploadedFile("gross.xlsx", daten))
    assert antwort.status_code == 302
    assert Zustaendigkeit.objects.filter(land=sh).count() == 200
