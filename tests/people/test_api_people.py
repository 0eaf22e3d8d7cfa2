"""REST API v1: keys, scopes, problems, pagination and rate limits, on org units and learners."""

import hashlib

import pytest
from django.core import signing
from django.test import override_settings

from people.models import ApiClient
from people.services import api_client_create
from tests.api_support import assert_problem, get, walk
from tests.factories import make_learner, make_unit

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/units"
LEARNERS = "/api/v1/learners"


@pytest.mark.parametrize("url", [UNITS, LEARNERS, f"{UNITS}/1", f"{LEARNERS}/1"])
def test_no_key_is_401_problem(client, api_world, url):
    body = assert_problem(get(client, url), 401)
    assert body["type"].endswith("/unauthenticated")


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer ",
        "Bearer hs_nothing_here",
        "Basic abc",
        "Bearer " + "x" * 5000,
        "Bearer hs_' OR 1=1 --",
    ],
)
def test_forged_or_malformed_keys_are_401(client, api_world, authorization):
    response = client.get(UNITS, headers={"Authorization": authorization})
    assert_problem(response, 401)


def test_revoked_key_is_401(client, api_world):
    assert_problem(get(client, UNITS, api_world["revoked_key"]), 401)


def test_key_without_read_permission_is_403(client, api_world):
    body = assert_problem(get(client, UNITS, api_world["enrol_only_key"]), 403)
    assert body["type"].endswith("/forbidden")


def test_only_the_hash_is_stored(api_world):
    key = api_world["read_key"]
    client = ApiClient.objects.get(name="Sở Nội vụ Gia Lai")
    assert client.secret_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(f"hs_{client.prefix}_")
    assert key not in str(ApiClient.objects.filter(pk=client.pk).values().get())


def test_units_are_scoped(client, api_world):
    names = [u["name"] for u in walk(client, UNITS, api_world["read_key"])]
    assert names == ["Gia Lai", "Xã Ia Grai", "Xã Ia Le"]
    other = [u["name"] for u in walk(client, UNITS, api_world["other_key"])]
    assert other == ["Đắk Lắk", "Xã Ea Kao"]


def test_unit_children_and_detail(client, api_world):
    key, gia_lai = api_world["read_key"], api_world["gia_lai"]
    children = walk(client, UNITS, key, parent=gia_lai.pk)
    assert {u["parent_id"] for u in children} == {gia_lai.pk}
    response = get(client, f"{UNITS}/{api_world['ia_grai'].pk}", key)
    assert response.json()["parent_id"] == gia_lai.pk


def test_out_of_scope_unit_is_404_like_a_missing_one(client, api_world):
    key = api_world["read_key"]
    hidden = assert_problem(get(client, f"{UNITS}/{api_world['ea_kao'].pk}", key), 404)
    missing = assert_problem(get(client, f"{UNITS}/999999", key), 404)
    assert hidden == missing
    assert_problem(get(client, UNITS, key, data={"parent": api_world["dak_lak"].pk}), 404)
    assert_problem(get(client, LEARNERS, key, data={"unit": api_world["ea_kao"].pk}), 404)


def test_learner_fields(client, api_world):
    key, hblin = api_world["read_key"], api_world["hblin"]
    body = get(client, f"{LEARNERS}/{hblin.pk}", key).json()
    assert body == {
        "id": hblin.pk,
        "full_name": "Ksor H'Blin",
        "unit_id": api_world["ia_grai"].pk,
        "unit_code": api_world["ia_grai"].code,
        "unit_name": "Xã Ia Grai",
        "ethnic_group": "10",
        "ethnic_group_name": "Gia-rai",
        "target_groups": ["village-head"],
        "gender": "female",
        "birth_year": 1990,
    }


def test_learners_are_scoped(client, api_world):
    key = api_world["read_key"]
    ids = {row["id"] for row in walk(client, LEARNERS, key)}
    assert ids == {api_world["hblin"].pk, api_world["nam"].pk}
    only_le = walk(client, LEARNERS, key, unit=api_world["ia_le"].pk)
    assert [row["full_name"] for row in only_le] == ["Siu Nam"]
    assert_problem(get(client, f"{LEARNERS}/{api_world['out'].pk}", key), 404)


def test_pagination_round_trip(client, api_world):
    key = api_world["read_key"]
    for n in range(7):
        make_learner(unit=api_world["ia_le"], full_name=f"Học viên {n}")
    everything = walk(client, LEARNERS, key, limit=500)
    paged = walk(client, LEARNERS, key, limit=2)
    assert len(everything) == 9
    assert [r["id"] for r in paged] == [r["id"] for r in everything]
    first = get(client, LEARNERS, key, data={"limit": 2}).json()
    assert "cursor=" in first["next"] and "limit=2" in first["next"]


def test_unit_pagination_by_tree_order(client, api_world):
    key = api_world["read_key"]
    assert [u["name"] for u in walk(client, UNITS, key, limit=1)] == [
        "Gia Lai",
        "Xã Ia Grai",
        "Xã Ia Le",
    ]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "",
        signing.dumps([0, 1], salt="wrong"),
        signing.dumps(["x", "1"], salt="core.api.cursor:learners:user_id"),
        "a" * 2000,
    ],
    # Fixed ids: a signed value carries the time, and xdist workers must collect the same ids.
    ids=["garbage", "empty", "wrong-salt", "forged-position", "huge"],
)
def test_malformed_or_forged_cursor_is_400(client, api_world, cursor):
    response = get(client, LEARNERS, api_world["read_key"], data={"cursor": cursor})
    if cursor == "":
        assert response.status_code == 200  # no cursor: the first page
        return
    body = assert_problem(response, 400)
    assert body["errors"][0]["field"] == "query.cursor"


def test_cursor_of_another_list_is_refused(client, api_world):
    key = api_world["read_key"]
    next_url = get(client, UNITS, key, data={"limit": 1}).json()["next"]
    cursor = next_url.split("cursor=")[1].split("&")[0]
    from urllib.parse import unquote

    assert_problem(get(client, LEARNERS, key, data={"cursor": unquote(cursor)}), 400)


@pytest.mark.parametrize("limit", [0, -1, 501, 10**12])
def test_limit_out_of_range_is_400(client, api_world, limit):
    body = assert_problem(get(client, UNITS, api_world["read_key"], data={"limit": limit}), 400)
    assert body["errors"][0]["field"] == "query.limit"


def test_invalid_parameter_is_422_problem_with_errors(client, api_world):
    body = assert_problem(get(client, UNITS, api_world["read_key"], data={"limit": "many"}), 422)
    assert body["errors"][0]["field"] == "query.limit"
    assert_problem(get(client, f"{UNITS}/abc", api_world["read_key"]), 422)


@override_settings(LMS_API_RATE_PER_MINUTE=3)
def test_rate_limit_per_key(client, api_world):
    key = api_world["read_key"]
    for _ in range(3):
        assert get(client, UNITS, key).status_code == 200
    response = get(client, UNITS, key)
    body = assert_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    assert body["type"].endswith("/rate-limited")
    # Another key has its own count.
    assert get(client, UNITS, api_world["other_key"]).status_code == 200


def test_a_key_own_rate_limit_wins(client, api_world):
    client_row = ApiClient.objects.get(name="Sở Đắk Lắk")
    client_row.rate_limit = 1
    client_row.save()
    assert get(client, UNITS, api_world["other_key"]).status_code == 200
    assert_problem(get(client, UNITS, api_world["other_key"]), 429)


def test_problems_in_vietnamese_by_default_and_english_on_request(client, api_world):
    from django.utils import translation

    response = get(client, f"{UNITS}/999999", api_world["read_key"])
    assert response["Content-Language"] == "vi"
    vi = assert_problem(response, 404)
    with translation.override("vi"):
        assert vi["title"] == translation.gettext("Not found.")
    en = assert_problem(
        get(
            client,
            f"{UNITS}/999999",
            api_world["read_key"],
            headers={"Accept-Language": "en-GB,en;q=0.8"},
        ),
        404,
    )
    assert en["title"] == "Not found."
    unauth_en = client.get(UNITS, headers={"Accept-Language": "en"})
    assert assert_problem(unauth_en, 401)["title"] == "Authentication required."


def test_last_used_is_recorded(client, api_world):
    assert get(client, UNITS, api_world["read_key"]).status_code == 200
    assert ApiClient.objects.get(name="Sở Nội vụ Gia Lai").last_used_at is not None


def test_list_query_budgets(client, api_world, django_assert_max_num_queries):
    key = api_world["read_key"]
    for n in range(20):
        learner = make_learner(unit=api_world["ia_le"], full_name=f"Học viên {n}")
        learner.profile.target_groups.set([1])
    for n in range(10):
        make_unit(f"Xã {n}", parent=api_world["gia_lai"])
    get(client, UNITS, key)  # the site (cached by the middleware) and the last-used mark
    # The key (1), then the page of profiles with units and ethnic groups (1) and the
    # page's target groups (1), whatever the number of learners.
    with django_assert_max_num_queries(3):
        assert len(get(client, LEARNERS, key, data={"limit": 500}).json()["items"]) == 22
    # The key, the page of units, their parents' ids.
    with django_assert_max_num_queries(3):
        assert len(get(client, UNITS, key).json()["items"]) == 13


def test_admin_makes_a_key_shown_once_and_revokes_it(client, api_world):
    from tests.factories import make_admin

    client.force_login(make_admin())
    response = client.post(
        "/django-admin/people/apiclient/add/",
        {"name": "Cục Thống kê", "units": str(api_world["gia_lai"].pk), "can_read": "on"},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    key = next(m.split(": ")[-1] for m in messages if "hs_" in m)
    row = ApiClient.objects.get(name="Cục Thống kê")
    assert row.secret_hash == hashlib.sha256(key.encode()).hexdigest()
    assert get(client, UNITS, key).status_code == 200
    client.post(
        "/django-admin/people/apiclient/",
        {"action": "revoke", "_selected_action": [row.pk]},
    )
    assert_problem(get(client, UNITS, key), 401)


def test_service_refuses_a_key_without_units(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_client_create(name="Trống", units=[])
