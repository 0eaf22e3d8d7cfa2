"""Annual reports sent up the chain, on the hand-computed tree of conftest.py.

Target T (village heads, courses c1/c3, 80 %) counted per commune for 2026:
  Xã A: L1, L2 (Làng A1), L3, L4 (Xã Cũ 1 -> A), L5 (Xã Cũ 2 -> A) = 5 people, population 10
  Xã B: L7, L8 (moved from C) = 2 (L6 completed in 2027), population 4
  Xã C: L9 = 1, no population figure
Target T2 (prestigious persons, topic it-basics): Xã A: L3, L10 = 2; B, C: 0; no commune has a
population figure (the 8 are at the province).
"""

import datetime
from unittest import mock

import pytest
from django.urls import reverse

from people.models import OrgUnit
from targets.models import ReportDeadline, ReportEvent, ReportSubmission, ReportVersion
from targets.selectors.submissions import (
    consolidated_report,
    deadline_for,
    incoming_reports,
    unit_above,
)
from targets.services.submissions import (
    ReportConflict,
    ReportForbidden,
    ReportInvalid,
    report_accept,
    report_return,
    report_submit,
)
from tests.factories import make_manager, make_unit

from .conftest import at

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def chain(tree):
    units = tree["units"]
    managers = {
        name: make_manager(scope=units[name], username=f"manager-{name.lower()}")
        for name in ("A", "B", "C")
    }
    return {**tree, "m": managers, "province": tree["users"]["manager_in"]}


def submit(chain, name, **kwargs):
    return report_submit(unit=chain["units"][name], year=YEAR, user=chain["m"][name], **kwargs)


def totals(submission) -> dict[str, tuple]:
    version = submission.versions.get(number=submission.version)
    return {
        t["name"]: (t["total"]["people"], t["total"]["population"], t["total"]["percent"])
        for t in version.snapshot.data["targets"]
    }


def test_a_commune_reports_to_its_province_with_its_own_share_of_the_targets(chain):
    submission = submit(chain, "A", note="Báo cáo năm 2026")
    assert submission.recipient == chain["units"]["P"]
    assert (submission.status, submission.version, submission.late) == ("submitted", 1, False)
    assert totals(submission) == {
        chain["target"].name: (5, 10, 50.0),
        chain["target2"].name: (2, None, None),
    }
    version = submission.versions.get()
    assert version.snapshot.org_unit == chain["units"]["A"]
    assert version.snapshot.parameters["covering"] is True
    # The snapshot's rows are the units below the commune: Làng A1 (L2).
    entries = {t["name"]: t for t in version.snapshot.data["targets"]}
    rows = entries[chain["target"].name]["rows"]
    assert [(r["name"], r["people"]) for r in rows if not r["direct"]] == [("Làng A1", 1)]
    event = ReportEvent.objects.get(submission=submission)
    assert (event.action, event.from_status, event.to_status) == ("submitted", "", "submitted")
    assert (event.actor, event.comment) == (chain["m"]["A"], "Báo cáo năm 2026")


def test_the_chain_three_communes_one_returned_two_accepted_then_consolidated(chain):
    province = chain["province"]
    a, b, c = (submit(chain, name) for name in ("A", "B", "C"))
    report_accept(submission_id=a.pk, user=province, version=1)
    report_accept(submission_id=b.pk, user=province, version=1, comment="Đạt")
    report_return(submission_id=c.pk, user=province, version=1, comment="Thiếu số liệu dân số")

    report = consolidated_report(chain["units"]["P"], YEAR)
    assert [r.unit.name for r in report.included] == ["Xã A", "Xã B"]
    assert [(r.unit.name, r.state) for r in report.missing] == [("Xã C", "returned")]
    by_name = {t.name: t for t in report.targets}
    t = by_name[chain["target"].name].figure
    assert (t.people, t.population, t.percent, t.missing_units) == (7, 14, 50.0, 0)  # 5+2, 10+4
    t2 = by_name[chain["target2"].name].figure
    assert (t2.people, t2.population, t2.percent, t2.missing_units) == (2, None, None, 2)

    # The commune sees the comment, resubmits a new version; the first stays frozen.
    c.refresh_from_db()
    assert c.status == "returned"
    assert c.events.filter(action="returned").get().comment == "Thiếu số liệu dân số"
    first = c.versions.get(number=1).snapshot
    c = submit(chain, "C", expected_version=1)
    assert (c.status, c.version) == ("submitted", 2)
    assert c.versions.get(number=1).snapshot == first
    report_accept(submission_id=c.pk, user=province, version=2)
    report = consolidated_report(chain["units"]["P"], YEAR)
    assert report.missing == []
    t = {x.name: x for x in report.targets}[chain["target"].name].figure
    # 5 + 2 + 1 people; population 10 + 4 (Xã C has none: counted as missing)
    assert (t.people, t.population, t.percent, t.missing_units) == (8, 14, 57.1, 1)
    assert list(c.events.values_list("action", "version", "actor__username")) == [
        ("submitted", 1, "manager-c"),
        ("returned", 1, province.username),
        ("submitted", 2, "manager-c"),
        ("accepted", 2, province.username),
    ]


def test_the_consolidated_numbers_match_the_frozen_snapshots_not_live_data(chain):
    province = chain["province"]
    a = submit(chain, "A")
    report_accept(submission_id=a.pk, user=province, version=1)
    from targets.models import Population

    Population.objects.filter(org_unit=chain["units"]["A"]).update(count=1000)
    t = {x.name: x for x in consolidated_report(chain["units"]["P"], YEAR).targets}
    assert t[chain["target"].name].figure.population == 10  # frozen, not 1000


def test_deadlines_the_deepest_unit_wins_and_late_is_recorded(chain):
    p = chain["units"]["P"]
    ReportDeadline.objects.create(year=YEAR, level="commune", due_date=datetime.date(2026, 12, 15))
    ReportDeadline.objects.create(
        year=YEAR, level="commune", unit=p, due_date=datetime.date(2026, 12, 2)
    )
    ReportDeadline.objects.create(year=YEAR, level="district", due_date=datetime.date(2026, 11, 1))
    assert deadline_for(chain["units"]["A"], YEAR) == datetime.date(2026, 12, 2)
    assert deadline_for(chain["units"]["Q"], YEAR) is None  # a province does not report
    with mock.patch("django.utils.timezone.now", return_value=at("2026-12-02")):
        on_time = submit(chain, "A")
    with mock.patch("django.utils.timezone.now", return_value=at("2026-12-03")):
        late = submit(chain, "B")
        rows = {r.unit.name: r for r in incoming_reports(p, YEAR)}
    assert (on_time.due_date, on_time.late) == (datetime.date(2026, 12, 2), False)
    assert (late.due_date, late.late) == (datetime.date(2026, 12, 2), True)
    assert {name: row.state for name, row in rows.items()} == {
        "Xã A": "submitted",
        "Xã B": "submitted",
        "Xã C": "missing",
    }
    with mock.patch("django.utils.timezone.now", return_value=at("2026-11-20")):
        assert incoming_reports(p, YEAR)[-1].state == "waiting"  # C before the due date


def test_after_the_reform_a_commune_reports_to_the_unit_that_replaced_its_district(chain):
    p = chain["units"]["P"]
    district = make_unit("Huyện Đức Cơ", parent=p, kind=OrgUnit.Kind.DISTRICT)
    commune = make_unit("Xã Ia Dom", parent=district)
    assert unit_above(commune) == district
    assert unit_above(district) == p
    assert unit_above(p) is None
    OrgUnit.objects.filter(pk=district.pk).update(replaced_by=p)  # districts removed in 2025
    assert unit_above(commune) == p


# --- attacker tests ------------------------------------------------------------------------
def test_submit_for_another_unit_is_refused(chain):
    units = chain["units"]
    with pytest.raises(ReportForbidden):
        report_submit(unit=units["B"], year=YEAR, user=chain["m"]["A"])
    # The province's manager covers Xã A but does not manage it: not theirs to send.
    with pytest.raises(ReportForbidden):
        report_submit(unit=units["A"], year=YEAR, user=chain["province"])
    with pytest.raises(ReportForbidden):
        report_submit(unit=units["A"], year=YEAR, user=chain["users"]["trainer_in"])
    assert not ReportSubmission.objects.exists()


def test_a_province_cannot_submit_and_a_village_does_not_report(chain):
    with pytest.raises(ReportInvalid):  # the top of the tree: nobody above
        report_submit(unit=chain["units"]["P"], year=YEAR, user=chain["province"])
    admin = chain["users"]["admin"]
    with pytest.raises(ReportInvalid):
        report_submit(unit=chain["units"]["A1"], year=YEAR, user=admin, api_client=None)


def test_replayed_submit_is_refused_and_changes_nothing(chain):
    first = submit(chain, "A")
    with pytest.raises(ReportConflict):
        submit(chain, "A")
    with pytest.raises(ReportConflict):
        submit(chain, "A", expected_version=0)
    report_accept(submission_id=first.pk, user=chain["province"], version=1)
    with pytest.raises(ReportConflict):
        submit(chain, "A", expected_version=1)  # accepted: final
    assert ReportVersion.objects.filter(submission=first).count() == 1
    assert ReportEvent.objects.filter(submission=first).count() == 2


def test_a_stale_resubmit_form_is_refused(chain):
    c = submit(chain, "C")
    report_return(submission_id=c.pk, user=chain["province"], version=1, comment="Sửa lại")
    with pytest.raises(ReportConflict):
        submit(chain, "C", expected_version=0)  # the form from before the first submission
    assert ReportSubmission.objects.get(pk=c.pk).status == "returned"


def test_accept_your_own_report_is_refused(chain):
    a = submit(chain, "A")
    with pytest.raises(ReportForbidden):
        report_accept(submission_id=a.pk, user=chain["m"]["A"], version=1)
    # Even when the same person also manages the unit above.
    from people.models import Scope
    from people.services import scope_grant

    scope_grant(user=chain["m"]["A"], role=Scope.Role.MANAGER, org_unit=chain["units"]["P"])
    with pytest.raises(ReportForbidden):
        report_accept(submission_id=a.pk, user=chain["m"]["A"], version=1)
    # An administrator who sent a report cannot accept what they sent either.
    admin = chain["users"]["admin"]
    b = report_submit(unit=chain["units"]["B"], year=YEAR, user=admin)
    with pytest.raises(ReportForbidden):
        report_accept(submission_id=b.pk, user=admin, version=1)
    assert set(ReportSubmission.objects.values_list("status", flat=True)) == {"submitted"}


def test_accept_at_the_wrong_level_is_refused(chain):
    p = chain["units"]["P"]
    district = make_unit("Huyện Đức Cơ", parent=p, kind=OrgUnit.Kind.DISTRICT)
    commune = make_unit("Xã Ia Dom", parent=district)
    district_manager = make_manager(scope=district, username="manager-duc-co")
    submission = report_submit(
        unit=commune, year=YEAR, user=make_manager(scope=commune, username="manager-ia-dom")
    )
    assert submission.recipient == district
    for wrong in (chain["province"], chain["m"]["B"], chain["users"]["manager_out"]):
        with pytest.raises(ReportForbidden):
            report_accept(submission_id=submission.pk, user=wrong, version=1)
    report_accept(submission_id=submission.pk, user=district_manager, version=1)
    assert ReportSubmission.objects.get(pk=submission.pk).decided_by == district_manager


def test_return_without_comment_is_refused(chain):
    a = submit(chain, "A")
    for comment in ("", "   \n "):
        with pytest.raises(ReportInvalid):
            report_return(submission_id=a.pk, user=chain["province"], version=1, comment=comment)
    with pytest.raises(ReportInvalid):
        report_return(submission_id=a.pk, user=chain["province"], version=1, comment="x" * 4001)
    assert ReportSubmission.objects.get(pk=a.pk).status == "submitted"
    assert not ReportEvent.objects.filter(action="returned").exists()


def test_a_replayed_or_stale_decision_is_refused(chain):
    a = submit(chain, "A")
    with pytest.raises(ReportConflict):
        report_accept(submission_id=a.pk, user=chain["province"], version=2)
    report_accept(submission_id=a.pk, user=chain["province"], version=1)
    with pytest.raises(ReportConflict):
        report_accept(submission_id=a.pk, user=chain["province"], version=1)
    with pytest.raises(ReportConflict):
        report_return(submission_id=a.pk, user=chain["province"], version=1, comment="Muộn")
    assert ReportEvent.objects.filter(submission=a).count() == 2


# --- pages ---------------------------------------------------------------------------------
def test_pages_submit_return_resubmit_accept_through_the_client(client, chain):
    client.force_login(chain["m"]["C"])
    page = client.get(reverse("targets:submissions"), {"year": YEAR})
    assert page.status_code == 200
    response = client.post(
        reverse("targets:submission_submit"),
        {"unit": chain["units"]["C"].pk, "year": YEAR, "expected": 0, "note": "Lần 1"},
    )
    submission = ReportSubmission.objects.get(unit=chain["units"]["C"])
    assert response.status_code == 302
    assert response["Location"] == reverse("targets:submission", args=[submission.pk])

    client.force_login(chain["province"])
    index = client.get(reverse("targets:submissions"), {"year": YEAR}).content.decode()
    assert 'data-unit="' + chain["units"]["C"].code + '"' in index
    detail = client.get(reverse("targets:submission", args=[submission.pk]))
    assert b"accept-form" in detail.content and b"return-form" in detail.content
    client.post(
        reverse("targets:submission_return", args=[submission.pk]),
        {"version": 1, "comment": "Bổ sung số liệu dân số của xã"},
    )
    client.force_login(chain["m"]["C"])
    index = client.get(reverse("targets:submissions"), {"year": YEAR}).content.decode()
    assert "Bổ sung số liệu dân số của xã" in index
    client.post(
        reverse("targets:submission_submit"),
        {"unit": chain["units"]["C"].pk, "year": YEAR, "expected": 1},
    )
    client.force_login(chain["province"])
    client.post(reverse("targets:submission_accept", args=[submission.pk]), {"version": 2})
    submission.refresh_from_db()
    assert (submission.status, submission.version) == ("accepted", 2)
    consolidated = client.get(
        reverse("targets:submission_consolidated", args=[chain["units"]["P"].pk]),
        {"year": YEAR, "format": "json"},
    ).json()
    assert [u["unit_code"] for u in consolidated["included"]] == [chain["units"]["C"].code]
    xlsx = client.get(
        reverse("targets:submission_consolidated", args=[chain["units"]["P"].pk]),
        {"year": YEAR, "format": "xlsx"},
    )
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_pages_refuse_out_of_scope_and_own_decisions(client, chain):
    a = submit(chain, "A")
    client.force_login(chain["m"]["B"])  # a sibling commune: does not see A's report
    assert client.get(reverse("targets:submission", args=[a.pk])).status_code == 404
    assert (
        client.post(reverse("targets:submission_accept", args=[a.pk]), {"version": 1}).status_code
        == 404
    )
    response = client.post(  # submitting for another unit: not in the user's units
        reverse("targets:submission_submit"), {"unit": chain["units"]["A"].pk, "year": YEAR}
    )
    assert response.status_code == 404
    client.force_login(chain["m"]["A"])  # their own report: visible, not theirs to decide
    assert client.get(reverse("targets:submission", args=[a.pk])).status_code == 200
    assert (
        client.post(reverse("targets:submission_accept", args=[a.pk]), {"version": 1}).status_code
        == 403
    )
    assert client.get(reverse("targets:submission_accept", args=[a.pk])).status_code == 405
    client.force_login(chain["users"]["manager_out"])
    url = reverse("targets:submission_consolidated", args=[chain["units"]["P"].pk])
    assert client.get(url).status_code == 404
    client.force_login(chain["province"])
    response = client.post(
        reverse("targets:submission_return", args=[a.pk]), {"version": 1, "comment": ""}
    )
    assert response.status_code == 302  # refused with a message, nothing changed
    assert ReportSubmission.objects.get(pk=a.pk).status == "submitted"
    assert client.post(reverse("targets:submission_accept", args=[a.pk]), {}).status_code == 404
    assert ReportSubmission.objects.get(pk=a.pk).status == "submitted"


def test_incoming_page_query_budget(client, chain, django_assert_num_queries):
    for name in ("A", "B"):
        submit(chain, name)
    client.force_login(chain["province"])
    client.get(reverse("targets:submissions"), {"year": YEAR})  # caches the site and settings
    # The user and the manager check (2); the units the user sends for (1; none here, so no
    # query for their reports) and receives for (1); per receiving unit: the year's deadlines,
    # the reports sent to it and the units below it (3). Seven, whatever the number of
    # communes and reports.
    with django_assert_num_queries(7):
        response = client.get(reverse("targets:submissions"), {"year": YEAR})
    assert response.status_code == 200


def test_reminders_before_the_due_date_once_a_day_only_to_units_not_done(chain):
    from notify.models import Notification
    from targets.services.reminders import report_reminders_send

    ReportDeadline.objects.create(
        year=YEAR, level="commune", unit=chain["units"]["P"], due_date=datetime.date(2026, 12, 2)
    )
    submit(chain, "A")  # sent: no reminder
    c = submit(chain, "C")
    report_return(submission_id=c.pk, user=chain["province"], version=1, comment="Sửa lại")

    def remind(day: str) -> int:
        with mock.patch("django.utils.timezone.now", return_value=at(day)):
            return report_reminders_send()

    assert remind("2026-11-20") == 0  # 12 days before
    assert remind("2026-11-25") == 2  # 7 days before
    reminded = set(Notification.objects.values_list("user__username", flat=True))
    assert reminded == {"manager-b", "manager-c"}  # B never sent, C was returned
    assert remind("2026-11-25") == 0  # once a day
    assert remind("2026-12-02") == 2  # on the day
    assert remind("2026-12-03") == 0  # after: not a reminder


def test_consolidated_report_query_budget(chain, django_assert_num_queries):
    for name in ("A", "B", "C"):
        report_accept(submission_id=submit(chain, name).pk, user=chain["province"], version=1)
    # The year's deadlines, the reports sent to the province, the units below it (the incoming
    # rows), then the frozen numbers of the accepted versions: four, whatever the number of
    # communes and targets.
    with django_assert_num_queries(4):
        report = consolidated_report(chain["units"]["P"], YEAR)
    assert len(report.included) == 3
