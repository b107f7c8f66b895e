"""The Kommune's own plan on its page: progress from the history and the plan by quarter, as chart and table.

All rows are synthetic test data made here (tests/portal/factories.py), never fixtures.
"""

import datetime
import re

from django.db import connection
from django.utils import timezone

import pytest

from catalog.choices import Anschlussstatus
from catalog.models import Gebietskoerperschaft, Leistung

from .factories import KommunaleUmsetzungFactory

pytestmark = pytest.mark.django_db

HEILIGENSTEDTEN = "01061034"


def _am(tag: datetime.date):
    return timezone.make_aware(datetime.datetime.combine(tag, datetime.time(12)))


def _aendern(obj, tag, **werte):
    """Save a change as the history would have recorded it on ``tag``."""
    for feld, wert in werte.items():
        setattr(obj, feld, wert)
    obj._history_date = _am(tag)
    obj.save()


@pytest.fixture
def plan():
    gemeinde = Gebietskoerperschaft.objects.get(ags=HEILIGENSTEDTEN)
    leistungen = list(Leistung.objects.order_by("ozg_id")[:5])

    def neu(leistung, tag, **werte):
        obj = KommunaleUmsetzungFactory.build(kommune=gemeinde, leistung=leistung, **werte)
        obj._history_date = _am(tag)
        obj.save()
        return obj

    # Planned in 2024, connected in the first quarter of 2025.
    a = neu(leistungen[0], datetime.date(2024, 11, 4), geplant_bis=datetime.date(2025, 3, 31))
    _aendern(a, datetime.date(2025, 2, 10), status=Anschlussstatus.ANGESCHLOSSEN, geplant_bis=None)
    # Connected in the third quarter of 2025.
    neu(leistungen[1], datetime.date(2025, 8, 1), status=Anschlussstatus.ANGESCHLOSSEN)
    # Planned for the first and second quarter of 2027; one not planned.
    neu(leistungen[2], datetime.date(2026, 1, 15), geplant_bis=datetime.date(2027, 2, 28))
    neu(leistungen[3], datetime.date(2026, 1, 15), geplant_bis=datetime.date(2027, 6, 30))
    neu(leistungen[4], datetime.date(2026, 1, 15), status=Anschlussstatus.NICHT_GEPLANT)
    return gemeinde


def _plan_tabelle(html):
    abschnitt = html.split('id="plan"', 1)[1].split("</table>", 1)[0]
    zeilen = re.findall(r'<th class="kern-table__header" scope="row">([^<]+)</th>((?:<td[^>]*>[^<]*</td>)+)', abschnitt)
    return {label: re.findall(r"<td[^>]*>([^<]*)</td>", zellen) for label, zellen in zeilen}


def test_plan_shows_progress_from_the_history_and_plan_by_quarter(client, plan):
    html = client.get(f"/kommunen/{HEILIGENSTEDTEN}/").content.decode()
    assert "Plan von Heiligenstedten" in html
    assert "für 5 OZG-Leistungen einen eigenen Stand erfasst" in html
    assert "angeschlossen 2 · geplant 2 · nicht geplant 1" in html
    tabelle = _plan_tabelle(html)
    # Columns: newly connected, connected by then, planned by end of quarter, planned by then (total).
    assert tabelle["1. Quartal 2025"][0] == "1" and tabelle["1. Quartal 2025"][1] == "1"
    assert tabelle["2. Quartal 2025"][:2] == ["0", "1"]
    assert tabelle["3. Quartal 2025"][:2] == ["1", "2"]
    assert tabelle["1. Quartal 2027"][2:] == ["1", "1"]
    assert tabelle["2. Quartal 2027"][2:] == ["1", "2"]
    # The chart is an accessible SVG with title and description, its legend names both series.
    figur = html.split('id="plan"', 1)[1].split("</figure>", 1)[0]
    assert 'role="img"' in figur and "<title" in figur and "<desc" in figur
    assert "angeschlossen (bis dahin)" in figur and "geplant bis dahin (Stand heute)" in figur


# Counts include the one query for the Datenstand of the change log (core.datenstand), as in test_seiten.py.
def test_plan_queries_stay_bounded_whatever_the_number_of_rows(client, plan, django_assert_num_queries):
    with django_assert_num_queries(7):
        client.get(f"/kommunen/{HEILIGENSTEDTEN}/")
    gemeinde = plan
    for leistung in Leistung.objects.order_by("ozg_id")[5:45]:
        obj = KommunaleUmsetzungFactory(kommune=gemeinde, leistung=leistung, status=Anschlussstatus.ANGESCHLOSSEN)
        _aendern(obj, datetime.date(2026, 2, 1), online_url="https://example.invalid/dienst")
    with django_assert_num_queries(7):
        html = client.get(f"/kommunen/{HEILIGENSTEDTEN}/").content.decode()
    assert "angeschlossen 42" in html


def test_without_rows_there_is_no_plan_section_and_no_plan_query(client, django_assert_num_queries):
    with django_assert_num_queries(5):
        html = client.get(f"/kommunen/{HEILIGENSTEDTEN}/").content.decode()
    assert 'id="plan"' not in html


def test_with_the_lands_part_kept_the_plan_counts_come_with_the_bodys_statuses(
    client, plan, im_speicher, django_assert_num_queries
):
    """The whole list reads the body's statuses anyway: with the Land's part kept, the plan counts them from that
    read (Datenstand, body, its statuses, Teilnahmen, the plan's history: five queries; on PostgreSQL the history's
    first connections come with the statuses: four), and shows the same."""
    url = f"/kommunen/{HEILIGENSTEDTEN}/"
    erst = client.get(url).content.decode()  # the one query of the whole list; the plan counts by its own
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 5):
        zweit = client.get(url).content.decode()

    def abschnitt(html):
        return html.split('id="plan"', 1)[1].split("</section>", 1)[0]

    assert abschnitt(zweit) == abschnitt(erst) and "angeschlossen" in abschnitt(zweit)
