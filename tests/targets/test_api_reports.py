"""The reports part of REST API v1 and the report webhook events, on the tree of conftest.py
(Xã A: 5 people of target T against a population of 10; Xã B: 2 against 4)."""

import pytest

from people.services import api_client_create
from targets.models import ReportSubmission
from targets.services.submissions import report_accept, report_return, report_submit
from tests.api_support import assert_problem, get, post_json
from tests.factories import make_manager
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def keys(tree):
    p, q = tree["units"]["P"], tree["units"]["Q"]
    _c, lgsp = api_client_create(name="LGSP Tỉnh Mới", units=[p], can_report=True)
    _c, read = api_client_create(name="Thống kê Tỉnh Mới", units=[p])
    _c, commune = api_client_create(name="Xã A", units=[tree["units"]["A"]], can_report=True)
    _c, other = api_client_create(name="LGSP Tỉnh Khác", units=[q], can_report=True)
    return {"lgsp": lgsp, "read": read, "commune": commune, "other": other}


def test_submit_through_the_api_then_read_it_back(client, tree, keys):
    a = tree["units"]["A"]
    response = post_json(
        client, "/api/v1/reports", keys["lgsp"], {"unit_id": a.pk, "year": YEAR, "note": "LGSP"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["unit_code"], body["recipient_code"], body["status"], body["version"]) == (
        a.code,
        tree["units"]["P"].code,
        "submitted",
        1,
    )
    figures = {f["name"]: f["total"] for f in body["figures"]}
    assert (figures[tree["target"].name]["people"], figures[tree["target"].name]["population"]) == (
        5,
        10,
    )
    assert body["versions"][0]["api_client"] == "LGSP Tỉnh Mới"
    assert body["events"][0]["action"] == "submitted" and body["events"][0]["by"] is None

    listed = get(client, "/api/v1/reports", keys["read"], data={"year": YEAR}).json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    incoming = get(
        client, "/api/v1/reports", keys["read"], data={"recipient": tree["units"]["P"].pk}
    ).json()
    assert len(incoming["items"]) == 1
    assert get(client, f"/api/v1/reports/{body['id']}", keys["read"]).json()["id"] == body["id"]


def test_api_replayed_submit_is_409_and_changes_nothing(client, tree, keys):
    data = {"unit_id": tree["units"]["A"].pk, "year": YEAR}
    assert post_json(client, "/api/v1/reports", keys["lgsp"], data).status_code == 201
    problem = assert_problem(post_json(client, "/api/v1/reports", keys["lgsp"], data), 409)
    assert problem["type"].endswith("report-conflict")
    stale = {**data, "expected_version": 0}
    assert_problem(post_json(client, "/api/v1/reports", keys["lgsp"], stale), 409)
    assert ReportSubmission.objects.get().version == 1


def test_api_submit_refused_out_of_scope_without_permission_and_malformed(client, tree, keys):
    a = tree["units"]["A"]
    # Another province's key: the unit does not exist for it.
    assert_problem(
        post_json(client, "/api/v1/reports", keys["other"], {"unit_id": a.pk, "year": YEAR}), 404
    )
    # A commune's key cannot send its neighbour's report.
    b = tree["units"]["B"]
    assert_problem(
        post_json(client, "/api/v1/reports", keys["commune"], {"unit_id": b.pk, "year": YEAR}),
        404,
    )
    # A read-only key may not submit.
    assert_problem(
        post_json(client, "/api/v1/reports", keys["read"], {"unit_id": a.pk, "year": YEAR}), 403
    )
    # No key.
    assert_problem(post_json(client, "/api/v1/reports", None, {"unit_id": a.pk}), 401)
    # Malformed: a year out of range, a huge id, a huge note, a province (nobody above).
    for data in (
        {"unit_id": a.pk, "year": 1800},
        {"unit_id": 2**70, "year": YEAR},
        {"unit_id": a.pk, "year": YEAR, "note": "x" * 5000},
        {"unit_id": "a", "year": YEAR},
    ):
        response = post_json(client, "/api/v1/reports", keys["lgsp"], data)
        assert response.status_code in (400, 422), data
    problem = assert_problem(
        post_json(
            client,
            "/api/v1/reports",
            keys["lgsp"],
            {"unit_id": tree["units"]["P"].pk, "year": YEAR},
        ),
        400,
    )
    assert problem["type"].endswith("report-invalid")
    assert not ReportSubmission.objects.exists()


def test_api_reads_are_scoped(client, tree, keys):
    a = report_submit(
        unit=tree["units"]["A"], year=YEAR, user=make_manager(scope=tree["units"]["A"])
    )
    assert get(client, "/api/v1/reports", keys["other"]).json()["items"] == []
    assert_problem(get(client, f"/api/v1/reports/{a.pk}", keys["other"]), 404)
    assert_problem(
        get(
            client,
            "/api/v1/reports/consolidated",
            keys["other"],
            data={"unit": tree["units"]["P"].pk, "year": YEAR},
        ),
        404,
    )
    assert_problem(get(client, "/api/v1/reports", keys["read"], data={"status": "lost"}), 422)


def test_api_consolidated_report_for_lgsp(client, tree, keys):
    province = tree["users"]["manager_in"]
    reports = {
        name: report_submit(
            unit=tree["units"][name],
            year=YEAR,
            user=make_manager(scope=tree["units"][name], username=f"m-{name}"),
        )
        for name in ("A", "B", "C")
    }
    for name in ("A", "B"):
        report_accept(submission_id=reports[name].pk, user=province, version=1)
    report_return(submission_id=reports["C"].pk, user=province, version=1, comment="Sửa")
    body = get(
        client,
        "/api/v1/reports/consolidated",
        keys["read"],
        data={"unit": tree["units"]["P"].pk, "year": YEAR},
    ).json()
    assert [u["unit_name"] for u in body["included"]] == ["Xã A", "Xã B"]
    assert body["missing"] == [
        {"unit_code": tree["units"]["C"].code, "unit_name": "Xã C", "state": "returned"}
    ]
    target = {t["name"]: t for t in body["targets"]}[tree["target"].name]
    assert (target["people"], target["population"], target["percent"]) == (7, 14, 50.0)
    assert [(u["unit_name"], u["people"], u["population"]) for u in target["units"]] == [
        ("Xã A", 5, 10),
        ("Xã B", 2, 4),
    ]


def test_openapi_documents_the_report_operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/reports"])
    assert "/api/v1/reports/consolidated" in schema["paths"]
    post = schema["paths"]["/api/v1/reports"]["post"]
    assert "application/problem+json" in post["responses"]["409"]["content"]


def test_report_events_become_webhook_deliveries(tree):
    p, q = tree["units"]["P"], tree["units"]["Q"]
    events = ["report.submitted", "report.returned", "report.accepted"]
    province = Subscription.objects.create(
        name="Tỉnh Mới", url="http://127.0.0.1:9/", events=events
    )
    province.units.set([p])
    other = Subscription.objects.create(name="Tỉnh Khác", url="http://127.0.0.1:9/", events=events)
    other.units.set([q])
    manager = make_manager(scope=tree["units"]["C"], username="m-c")
    c = report_submit(unit=tree["units"]["C"], year=YEAR, user=manager)
    report_return(
        submission_id=c.pk, user=tree["users"]["manager_in"], version=1, comment="Thiếu số liệu"
    )
    report_submit(unit=tree["units"]["C"], year=YEAR, user=manager, expected_version=1)
    report_accept(submission_id=c.pk, user=tree["users"]["manager_in"], version=2)
    deliveries = list(Delivery.objects.order_by("created_at", "pk"))
    assert {d.subscription_id for d in deliveries} == {province.pk}
    assert [(d.event, d.payload["data"]["version"]) for d in deliveries] == [
        ("report.submitted", 1),
        ("report.returned", 1),
        ("report.submitted", 2),
        ("report.accepted", 2),
    ]
    returned = deliveries[1].payload["data"]
    assert (returned["comment"], returned["unit_code"], returned["status"]) == (
        "Thiếu số liệu",
        tree["units"]["C"].code,
        "returned",
    )
    assert len({d.event_id for d in deliveries}) == 4
