"""A small world for the REST API tests, and helpers to call it with a key.

Gia Lai (the read key's and the enrol key's unit)
  ├─ Xã Ia Grai   Ksor H'Blin (Jrai, female, 1990, village head)
  └─ Xã Ia Le     Siu Nam
Đắk Lắk (the other key's unit)
  └─ Xã Ea Kao    Y Out
"""

import pytest

PROBLEM = "application/problem+json"


@pytest.fixture
def api_world(request, home):
    """Made once per module when every test of the module uses it (tests/conftest.py:
    SHARED_PER_MODULE), and then read afresh for each test."""
    from tests.factories import fresh

    if "_module_api_world" in request.fixturenames:
        return fresh(request.getfixturevalue("_module_api_world"))
    return api_world_build()


@pytest.fixture(scope="module")
def _module_api_world(module_db, _module_home):
    with module_db():
        return api_world_build()


def api_world_build():
    from people.models import EthnicGroup, TargetGroup
    from people.services import api_client_create, api_client_revoke
    from tests.factories import make_course, make_learner, make_unit

    gia_lai, dak_lak = make_unit("Gia Lai"), make_unit("Đắk Lắk")
    ia_grai = make_unit("Xã Ia Grai", parent=gia_lai)
    ia_le = make_unit("Xã Ia Le", parent=gia_lai)
    ea_kao = make_unit("Xã Ea Kao", parent=dak_lak)
    hblin = make_learner(
        unit=ia_grai,
        username="hblin",
        full_name="Ksor H'Blin",
        ethnic_group=EthnicGroup.objects.get(code="10"),
        gender="female",
        birth_year=1990,
    )
    hblin.profile.target_groups.set([TargetGroup.objects.get(code="village-head")])
    nam = make_learner(unit=ia_le, username="siunam", full_name="Siu Nam")
    out = make_learner(unit=ea_kao, username="yout", full_name="Y Out")
    _read, read_key = api_client_create(name="Sở Nội vụ Gia Lai", units=[gia_lai])
    enrol_client, enrol_key = api_client_create(
        name="Ghi danh Gia Lai", units=[gia_lai], can_enrol=True
    )
    _enrol_only, enrol_only_key = api_client_create(
        name="Chỉ ghi danh", units=[gia_lai], can_read=False, can_enrol=True
    )
    revoked, revoked_key = api_client_create(name="Đã thu hồi", units=[gia_lai])
    api_client_revoke(client=revoked)
    _other, other_key = api_client_create(name="Sở Đắk Lắk", units=[dak_lak])
    return {
        "gia_lai": gia_lai,
        "dak_lak": dak_lak,
        "ia_grai": ia_grai,
        "ia_le": ia_le,
        "ea_kao": ea_kao,
        "hblin": hblin,
        "nam": nam,
        "out": out,
        "course": make_course("Kỹ năng số cho trưởng thôn", lessons=1),
        "read_key": read_key,
        "enrol_key": enrol_key,
        "enrol_client": enrol_client,
        "enrol_only_key": enrol_only_key,
        "revoked_key": revoked_key,
        "other_key": other_key,
    }


def call(client, method: str, url: str, key: str | None = None, **kwargs):
    headers = kwargs.pop("headers", {})
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    return getattr(client, method)(url, headers=headers, **kwargs)


def get(client, url, key=None, **kwargs):
    return call(client, "get", url, key, **kwargs)


def post_json(client, url, key, data, **kwargs):
    return call(client, "post", url, key, data=data, content_type="application/json", **kwargs)


def assert_problem(response, status: int) -> dict:
    """An RFC 9457 problem document with `status`."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"] and isinstance(body["detail"], str)
    return body


def walk(client, url, key, **params) -> list[dict]:
    """Every item of a list, following `next` links."""
    items = []
    response = get(client, url, key, data=params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        items.extend(body["items"])
        if not body["next"]:
            return items
        response = get(client, body["next"], key)
