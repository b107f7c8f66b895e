import pytest

pytestmark = pytest.mark.django_db


def test_home_lists_the_14_themenfelder_in_german(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        antwort = client.get("/")
    assert antwort.status_code == 200
    html = antwort.content.decode()
    assert '<html lang="de">' in html
    assert "Familie &amp; Kind" in html
    assert html.count('<th scope="row">') == 14
    assert "Destatis" in html
