"""REST API v1: targets and their achievement, the same figures as the dashboards."""

import pytest

from people.services import api_client_create
from targets.selectors.reports import target_report, targets_summary
from tests.api_support import assert_problem, get, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(tree):
    _p, p_key = api_client_create(name="Sở Nội vụ Tỉnh Mới", units=[tree["units"]["P"]])
    _q, q_key = api_client_create(name="Tỉnh Khác", units=[tree["units"]["Q"]])
    _r, enrol_only = api_client_create(
        name="Chỉ ghi danh", units=[tree["units"]["P"]], can_read=False, can_enrol=True
    )
    return {"P": p_key, "Q": q_key, "enrol_only": enrol_only}


def test_targets_need_a_readable_key(client, tree, keys):
    assert_problem(get(client, "/api/v1/targets"), 401)
    assert_problem(get(client, "/api/v1/targets", keys["enrol_only"]), 403)
    target = tree["target"]
    assert_problem(get(client, f"/api/v1/targets/{target.pk}"), 401)


def test_target_list_has_the_dashboard_figures(client, tree, keys):
    rows = walk(client, "/api/v1/targets", keys["P"])
    assert [r["id"] for r in rows] == sorted([tree["target"].pk, tree["target2"].pk])
    figures = dict(targets_summary([tree["target"], tree["target2"]]))
    for row in rows:
        target = tree["target"] if row["id"] == tree["target"].pk else tree["target2"]
        figure = figures[target]
        assert row["achievement"]["people"] == figure.people
        assert row["achievement"]["population"] == figure.population
        assert row["achievement"]["missing_units"] == figure.missing_units
    first = next(r for r in rows if r["id"] == tree["target"].pk)
    assert first["target_groups"] == ["village-head"]
    assert first["target_percent"] == 80.0 and first["reporting_year"] == 2026
    assert walk(client, "/api/v1/targets", keys["P"], year=2025) == []


def test_target_detail_by_unit(client, tree, keys):
    target = tree["target"]
    body = get(client, f"/api/v1/targets/{target.pk}", keys["P"]).json()
    report = target_report(target, with_series=False)
    assert body["achievement"]["people"] == report.total.people == 9
    by_name = {row["name"]: row for row in body["units"]}
    assert set(by_name) == {"Xã A", "Xã B", "Xã C", "Tỉnh Mới"}
    a = by_name["Xã A"]["achievement"]
    assert (a["people"], a["population"], a["percent"], a["needed"], a["gap"]) == (
        5,
        10,
        50.0,
        8,
        3,
    )
    assert by_name["Tỉnh Mới"]["direct"] is True


def test_targets_outside_the_key_are_hidden(client, tree, keys):
    assert walk(client, "/api/v1/targets", keys["Q"]) == []
    body = assert_problem(get(client, f"/api/v1/targets/{tree['target'].pk}", keys["Q"]), 404)
    missing = assert_problem(get(client, "/api/v1/targets/999999", keys["Q"]), 404)
    assert body == missing


def test_target_list_query_budget(client, tree, keys, django_assert_max_num_queries):
    get(client, "/api/v1/units", keys["P"])  # the site (cached) and the last-used mark
    # The key (1), the page of targets (1) and their groups (1), then the figures: the
    # rollup rows (1) and, for targets without one, people (1), population (1), child
    # units (1) — the same count whatever the number of targets.
    with django_assert_max_num_queries(7):
        assert len(get(client, "/api/v1/targets", keys["P"]).json()["items"]) == 2
