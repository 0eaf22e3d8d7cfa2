"""The demo manager sees targets with real-looking gaps straight after seed_demo."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from courses.models import Enrolment
from targets.demo import DEMO_PREFIX, PLAN_TARGET
from targets.models import Population, TrainingTarget
from targets.selectors.reports import target_report, targets_summary, targets_visible_to
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def test_demo_targets_have_gaps(client):
    call_command("seed_demo", verbosity=0)
    # The plan's target counts any digital-transformation course: the demo finds one by topic
    # at run time (here our own; seed_demo's catalogue may add another) on the next run.
    digital = make_course("Chuyển đổi số thử", lessons=1, topic="digital-transformation")
    counts = (TrainingTarget.objects.count(), Population.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (TrainingTarget.objects.count(), Population.objects.count()) == counts  # idempotent
    manager = get_user_model().objects.get(username="manager")
    targets = list(targets_visible_to(manager))
    assert len(targets) == 3
    for _target, figure in targets_summary(targets):
        assert figure.people > 0
    village = next(t for t in targets if t.name.startswith("80% trưởng thôn, làng"))
    assert [g.code for g in village.target_groups.all()] == ["village-head"]
    report = target_report(village)
    assert report.rows_missing_population  # some communes have no figure: flagged
    assert any(row.figure.gap for row in report.rows)  # and some are behind
    plan = next(t for t in targets if t.name == PLAN_TARGET)
    assert sorted(g.code for g in plan.target_groups.all()) == [
        "prestigious-person",
        "village-head",
    ]
    assert (plan.topic, plan.deadline.isoformat()) == ("digital-transformation", "2026-12-31")
    # seed_demo's own digital-transformation course (cms.demo) is found first; either counts.
    completed = Enrolment.objects.filter(
        course__topic="digital-transformation",
        user__username__startswith=DEMO_PREFIX,
        status="completed",
    ).exclude(evidence="")
    assert digital.topic == "digital-transformation"
    people = completed.values("user").distinct().count()
    assert 0 < target_report(plan).total.people <= people
    client.force_login(manager)
    assert client.get(f"/manage/targets/{village.pk}/").status_code == 200
    assert client.get(f"/manage/targets/{plan.pk}/").status_code == 200
    # Annual reports sent up the chain: one accepted, one returned with its comment, one
    # waiting for the province, one commune not reported yet; seeding twice adds none.
    from targets.demo_reports import COMMUNE_MANAGERS, RETURN_COMMENT
    from targets.models import ReportSubmission

    states = dict(ReportSubmission.objects.values_list("unit__scopes__user__username", "status"))
    assert states == {
        COMMUNE_MANAGERS[0]: "accepted",
        COMMUNE_MANAGERS[1]: "returned",
        COMMUNE_MANAGERS[2]: "submitted",
    }
    returned = ReportSubmission.objects.get(status="returned")
    assert returned.events.get(action="returned").comment == RETURN_COMMENT
    assert all(s.recipient.code == s.unit.get_parent().code for s in ReportSubmission.objects.all())
    page = client.get("/manage/reports/").content.decode()
    assert page.count('data-state="missing"') + page.count('data-state="waiting"') >= 1


def test_demo_without_a_digital_course_skips_its_completions():
    call_command("seed_demo", verbosity=0)
    plan = TrainingTarget.objects.get(name=PLAN_TARGET)
    assert plan.topic == "digital-transformation"  # the target exists, counting nobody yet
