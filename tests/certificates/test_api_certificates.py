"""REST API v1: certificates listed by unit, within the key's scope (verification stays
public: see test_verification)."""

import pytest

from certificates.services import certificate_revoke
from people.services import api_client_create
from tests.api_support import assert_problem, get, walk
from tests.factories import make_admin, make_course, make_learner, make_unit

pytestmark = pytest.mark.django_db


def test_certificates_by_unit(client, home, commune, hblin, complete):
    other = make_learner(unit=make_unit("Xã Ea Kao", parent=make_unit("Đắk Lắk")))
    course = make_course(lessons=1)
    mine = complete(hblin, course)
    theirs = complete(other, course)
    _c, key = api_client_create(name="Gia Lai", units=[commune.get_parent()])
    rows = walk(client, "/api/v1/certificates/", key)
    assert [r["serial"] for r in rows] == [mine.serial]
    row = rows[0]
    assert row["status"] == "issued" and row["learner_id"] == hblin.pk
    assert row["holder_name"] == "Ksor H'Blin"
    assert row["verify_url"].startswith("http://127.0.0.1:8000/v/")
    assert walk(client, "/api/v1/certificates/", key, unit=commune.pk)[0]["id"] == mine.pk
    assert_problem(
        get(client, "/api/v1/certificates/", key, data={"unit": other.profile.org_unit_id}),
        404,
    )
    certificate_revoke(certificate=mine, actor=make_admin(), reason="Nhầm tên")
    revoked = walk(client, "/api/v1/certificates/", key, status="revoked")
    assert [r["revocation_reason"] for r in revoked] == ["Nhầm tên"]
    assert theirs.serial not in {r["serial"] for r in walk(client, "/api/v1/certificates/", key)}


def test_certificate_list_needs_a_key_but_verify_does_not(client, home):
    assert_problem(get(client, "/api/v1/certificates/"), 401)
    response = client.get("/api/v1/certificates/verify", {"token": "nonsense"})
    assert response.status_code == 200 and response.json()["status"] == "invalid"


def test_certificate_list_query_budget(
    client, home, commune, complete, django_assert_max_num_queries
):
    course = make_course(lessons=1)
    for n in range(5):
        complete(make_learner(unit=commune, full_name=f"Học viên {n}"), course)
    _c, key = api_client_create(name="Gia Lai", units=[commune])
    get(client, "/api/v1/units", key)  # the site (cached) and the last-used mark
    # The key (1) and the page (1), whatever the number of certificates.
    with django_assert_max_num_queries(2):
        assert len(get(client, "/api/v1/certificates/", key).json()["items"]) == 5
