"""A class completion is an ordinary completion: it earns a certificate that verifies, and it
moves the training-target figures, with no class-specific code in either room."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from certificates.models import Certificate
from certificates.selectors import certificate_verify
from courses.classes.services import attendance_mark
from courses.models import Enrolment
from people.models import TargetGroup
from targets.models import Population, TrainingTarget
from targets.selectors.reports import target_report

from .conftest import add_learners, make_class

pytestmark = pytest.mark.django_db


def test_class_completion_certifies_and_counts_for_the_target(
    world, django_capture_on_commit_callbacks
):
    year = timezone.localdate().year  # completions happen now: count them in this year
    village_head = TargetGroup.objects.get(code="village-head")
    for unit, count in (("ia_grai", 4), ("ia_le", 6)):  # every commune has its figure
        Population.objects.create(
            org_unit=world[unit], target_group=village_head, year=year, count=count
        )
    target = TrainingTarget.objects.create(
        name="80% trưởng thôn được tập huấn kỹ năng số",
        scope_unit=world["gia_lai"],
        target_percent=Decimal("80"),
        deadline=datetime.date(year, 12, 31),
        reporting_year=year,
    )
    target.courses.add(world["course"])
    target.target_groups.set([village_head])
    before = target_report(target, with_series=False)
    assert before.total.people == 0 and before.total.population == 10

    session = make_class(world, days=4)
    learners = add_learners(world, session, 4)
    for learner in learners:
        learner.profile.target_groups.add(village_head)
    present_days = [4, 4, 2, 0]  # two reach 80 %, two do not
    with django_capture_on_commit_callbacks(execute=True):  # the certificate task runs
        for learner, count in zip(learners, present_days, strict=True):
            for n, day in enumerate(session.days.all()):
                attendance_mark(
                    user=world["trainer"],
                    day=day,
                    learner=learner,
                    status="present" if n < count else "absent",
                    client_uuid=uuid.uuid4(),
                )

    completed = set(
        Enrolment.objects.filter(status="completed", source="class").values_list(
            "user_id", flat=True
        )
    )
    assert completed == {learners[0].pk, learners[1].pk}
    certificates = Certificate.objects.select_related("enrolment")
    assert {c.enrolment.user_id for c in certificates} == completed
    for certificate in certificates:
        assert certificate.status == Certificate.Status.ISSUED
        assert certificate_verify(certificate.token).status == "issued"
        assert certificate.holder_name.startswith("Rơ Mah Học")

    after = target_report(target, with_series=False)
    assert after.total.people == 2
    assert after.total.population == 10
    assert after.total.percent == 20.0
    rows = {row.code: row.figure for row in after.rows}
    assert (rows[world["ia_grai"].code].people, rows[world["ia_grai"].code].percent) == (2, 50.0)
    assert (rows[world["ia_le"].code].people, rows[world["ia_le"].code].percent) == (0, 0.0)
