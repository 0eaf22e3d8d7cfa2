"""The demo LRS client: Gia Lai's, with the README's credentials, only with DEBUG on."""

import base64

import pytest

from courses.models import LrsClient
from courses.xapi.demo import DEMO_KEY, DEMO_SECRET, demo_lrs_client_seed
from people.models import OrgUnit
from people.services import org_units_sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def gia_lai():
    org_units_sync(
        records=[
            {"code": "52", "name": "Gia Lai", "kind": OrgUnit.Kind.PROVINCE,
             "division_type": "", "parent_code": None}
        ]
    )  # fmt: skip
    return OrgUnit.objects.get(code="52")


def test_the_demo_client_reads_with_the_documented_credentials(client, settings, gia_lai):
    settings.DEBUG = True
    assert DEMO_KEY in demo_lrs_client_seed(province_code="52")
    demo_lrs_client_seed(province_code="52")  # idempotent
    lrs_client = LrsClient.objects.get()
    assert list(lrs_client.units.all()) == [gia_lai]
    token = base64.b64encode(f"{DEMO_KEY}:{DEMO_SECRET}".encode()).decode()
    response = client.get(
        "/xapi/statements",
        HTTP_AUTHORIZATION=f"Basic {token}",
        HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
    )
    assert response.status_code == 200 and response.json() == {"statements": [], "more": ""}


def test_no_demo_client_without_debug(settings, gia_lai):
    settings.DEBUG = False
    assert "skipped" in demo_lrs_client_seed(province_code="52")
    assert not LrsClient.objects.exists()
