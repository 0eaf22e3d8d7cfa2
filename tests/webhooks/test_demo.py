"""seed_demo's API key (fixed on a DEBUG installation, documented in the README) reads Gia
Lai through the API, and its webhook subscription is off."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from people.demo import DEMO_API_KEY
from people.models import ApiClient
from webhooks.models import Subscription

pytestmark = pytest.mark.django_db


def test_demo_key_and_subscription(client):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
        call_command("seed_demo", verbosity=0)  # again: nothing new
    assert ApiClient.objects.count() == 1
    response = client.get("/api/v1/units", headers={"Authorization": f"Bearer {DEMO_API_KEY}"})
    assert response.status_code == 200
    assert response.json()["items"][0]["name"] == "Gia Lai"
    enrol = client.post(
        "/api/v1/enrolments/bulk",
        data={"rows": [{"learner": 1, "course": 1}]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {DEMO_API_KEY}", "Idempotency-Key": "demo"},
    )
    assert enrol.status_code == 403  # read only
    (subscription,) = Subscription.objects.all()
    assert not subscription.is_active
