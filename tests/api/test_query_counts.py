"""Query counts pinned per endpoint, and independent of the page size: no N+1, ever."""

import pytest

pytestmark = pytest.mark.django_db

# (url, queries): page size appended as 5 and 200; both must cost the same.
# Every count includes one query for the Datenstand (ETag/Last-Modified from the change log, core.datenstand).
ENDPOINTS = [
    ("/api/v1/themenfelder/?", 5),  # count, page, tandem, phases
    ("/api/v1/lagen/?", 3),  # count, page (with counts as subqueries)
    ("/api/v1/leistungen/?themenfeld=familie-kind&", 4),  # count, page (LeiKa keys aggregated), labore
    ("/api/v1/leika/?", 2),  # cursor: page only
    ("/api/v1/labore/?", 5),  # count, page, leistungen, teilnahmen
    ("/api/v1/kommunen/?ebene=gemeinde&land=SH&", 2),
    # kommune, catalogue (none once in memory: tests/portal/test_kommune.py), the whole list (paged in Python)
    ("/api/v1/kommunen/01061/leistungen/?", 4),
    ("/api/v1/kommunen/01061/leistungen/?ebene=bund&", 5),  # filtered: count, page
    ("/api/v1/organisationen/?", 3),
    ("/api/v1/zustaendigkeiten/?", 2),  # empty: count only
    ("/api/v1/tandemrollen/?", 3),
    ("/api/v1/phasenstatus/?", 3),
    ("/api/v1/teilnahmen/?", 3),
    ("/api/v1/umsetzungsstand/?", 2),
    ("/api/v1/kommunale-umsetzung/?", 2),
]


@pytest.mark.parametrize(("url", "anzahl"), ENDPOINTS, ids=[u for u, _ in ENDPOINTS])
@pytest.mark.parametrize("page_size", [5, 200])
def test_query_count(api, url, anzahl, page_size, django_assert_num_queries):
    with django_assert_num_queries(anzahl):
        antwort = api.get(f"{url}page_size={page_size}")
    assert antwort.status_code == 200


@pytest.mark.parametrize(
    ("url", "anzahl"),
    [
        ("/api/v1/leistungen/10000/", 3),
        ("/api/v1/kommunen/09162000/", 2),
        ("/api/v1/themenfelder/bildung/", 4),
        ("/api/v1/labore/wohngeld/", 4),
    ],
)
def test_detail_query_count(api, url, anzahl, django_assert_num_queries):
    with django_assert_num_queries(anzahl):
        assert api.get(url).status_code == 200


def test_kommune_list_from_the_kept_land_part(api, im_speicher, django_assert_num_queries):
    """Datenstand, body, the body's statuses: whatever the page, its size or the format; none past the end."""
    assert api.get("/api/v1/kommunen/01061046/leistungen/").status_code == 200  # keeps Schleswig-Holstein's part
    for query in ("", "page=2", "page_size=1000", "page_size=7&page=80", "format=csv", "format=xlsx"):
        with django_assert_num_queries(3):
            assert api.get(f"/api/v1/kommunen/01061034/leistungen/?{query}").status_code == 200, query
    with django_assert_num_queries(2):
        assert api.get("/api/v1/kommunen/01061034/leistungen/?page=13").status_code == 404
