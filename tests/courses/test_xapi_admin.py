"""LRS clients are created by administrators in the Django admin: the secret is shown once,
only its digest is stored, and it authenticates; nobody else reaches the page."""

import base64
import re

import pytest

from courses.models import LrsClient
from tests.factories import make_admin, make_learner, make_unit

pytestmark = pytest.mark.django_db

ADD = "/django-admin/courses/lrsclient/add/"


def test_an_administrator_creates_a_client_and_sees_the_secret_once(client):
    unit = make_unit("Gia Lai")
    client.force_login(make_admin())
    assert client.get(ADD).status_code == 200
    response = client.post(
        ADD,
        {"name": "Sở Nội vụ Gia Lai", "units": [unit.pk], "can_read": "on", "active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    lrs_client = LrsClient.objects.get()
    text = response.content.decode()
    # The message names the key and the secret (43 URL-safe characters).
    assert lrs_client.key in text
    secret = re.search(r"(?<![\w-])([\w-]{43})(?![\w-])", text[text.index(lrs_client.key) :])
    assert secret, text[:2000]
    assert secret[1] not in lrs_client.secret_hash and lrs_client.check_secret(secret[1])
    token = base64.b64encode(f"{lrs_client.key}:{secret[1]}".encode()).decode()
    answer = client.get(
        "/xapi/statements",
        HTTP_AUTHORIZATION=f"Basic {token}",
        HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
    )
    assert answer.status_code == 200
    # The list and the change page never show it again.
    assert secret[1] not in client.get("/django-admin/courses/lrsclient/").content.decode()
    change = client.get(f"/django-admin/courses/lrsclient/{lrs_client.pk}/change/")
    assert secret[1] not in change.content.decode()


def test_only_administrators_reach_lrs_clients(client):
    client.force_login(make_learner(unit=make_unit("Gia Lai")))
    assert client.get(ADD).status_code in (302, 403)
