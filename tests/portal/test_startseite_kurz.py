import pytest

pytestmark = pytest.mark.django_db


def test_home_lists_the_14_themenfelder_in_german(client, django_assert_num_queries):
    # Datenstand, Themenfelder with counts, their current phase status, Leistungen per Vollzug.
    with django_assert_num_queries(4):
        antwort = client.get("/")
    assert antwort.status_code == 200
    html = antwort.content.decode()
    assert '<html lang="de">' in html
    assert "Familie &amp; Kind" in html
    assert html.count('scope="row"><a class="kern-link" href="/themenfelder/') == 14
    assert "Destatis" in html
