"""Attack test (SSRF): webhooks to loopback, private, link-local or metadata addresses are refused, on save and
at send time, also when a name resolves to them."""

from django.core.exceptions import ValidationError

import pytest

from opendata.models import WebhookAbo, WebhookZustellung
from opendata.webhooks import senden

pytestmark = pytest.mark.django_db

INTERN = [
    "http://127.0.0.1:8000/health/",
    "http://10.0.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://192.168.1.1/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://0.0.0.0/",
    "http://localhost:6379/",  # a name resolving to loopback
]


@pytest.fixture(autouse=True)
def _streng(settings):
    settings.WEBHOOK_LOOPBACK_ERLAUBT = False


@pytest.mark.parametrize("url", INTERN)
def test_saving_an_internal_target_is_refused_with_a_clear_error(url):
    abo = WebhookAbo(name="SSRF", url=url)
    with pytest.raises(ValidationError) as fehler:
        abo.full_clean()
    assert "url" in fehler.value.message_dict
    assert "interne Adresse" in " ".join(fehler.value.message_dict["url"])


def test_admin_form_refuses_it_and_saves_nothing(client, django_user_model):
    chef = django_user_model.objects.create_superuser("chef-ssrf", "c@example.org", "Lange-Sichere-Passphrase-2024")
    client.force_login(chef)
    antwort = client.post(
        "/admin/opendata/webhookabo/add/",
        {"name": "Metadaten", "url": "http://169.254.169.254/latest/", "geheimnis": "x" * 32, "aktiv": "on"},
    )
    assert antwort.status_code == 200 and "interne Adresse" in antwort.content.decode()
    assert not WebhookAbo.objects.exists()


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/", "http://localhost:9/", "http://10.0.0.1/"])
def test_at_send_time_an_internal_target_is_not_contacted(url):
    # Saved past validation (e.g. the name resolved publicly then): the sender checks again after resolving.
    abo = WebhookAbo.objects.create(name="Umgebogen", url=url)
    zustellung = WebhookZustellung.objects.create(abo=abo, sequenz=1, ereignis_id="x.1", inhalt="{}")
    status, meldung = senden(abo, zustellung)
    assert status is None and "interne Adresse" in meldung


def test_a_name_that_does_not_resolve_is_refused():
    with pytest.raises(ValidationError):
        WebhookAbo(name="x", url="http://gibt-es-nicht.invalid/").full_clean()
