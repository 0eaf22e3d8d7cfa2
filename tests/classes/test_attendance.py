"""Attendance marks (idempotent, last mark wins) and class completion through the one service."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courses.classes.services import (
    attendance_mark,
    class_completion_check,
    paper_score_set,
    session_status_set,
    session_update,
)
from courses.models import Enrolment
from courses.models.classes import Attendance, AttendanceMark, ClassMember
from courses.signals import course_completed
from tests.classes.conftest import add_learners, make_class
from tests.factories import make_learner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def mark(world, day, learner, status, *, at=None, key=None):
    return attendance_mark(
        user=world["trainer"],
        day=day,
        learner=learner,
        status=status,
        client_uuid=key or uuid.uuid4(),
        marked_at=at,
    )


def test_days_follow_the_dates(world):
    session = make_class(world, days=4)
    assert [d.date.day for d in session.days.all()] == [2, 3, 4, 5]
    session_update(
        user=world["trainer"],
        session=session,
        end_date=session.start_date + datetime.timedelta(days=2),
    )
    assert session.days.count() == 3


def test_days_with_attendance_cannot_be_dropped(world):
    session = make_class(world, days=4)
    [learner] = add_learners(world, session, 1)
    last = session.days.last()
    mark(world, last, learner, "present")
    with pytest.raises(ValidationError):
        session_update(user=world["trainer"], session=session, end_date=session.start_date)
    assert session.days.count() == 4


def test_the_same_mark_sent_twice_counts_once(world):
    session = make_class(world)
    [learner] = add_learners(world, session, 1)
    day = session.days.first()
    key = uuid.uuid4()
    first, created = mark(world, day, learner, "present", key=key)
    again, created_again = mark(world, day, learner, "absent", key=key)  # a replayed request
    assert created and not created_again and again.pk == first.pk
    assert AttendanceMark.objects.count() == 1
    assert Attendance.objects.get().status == "present"


def test_an_older_mark_delivered_late_does_not_undo_a_newer_one(world):
    session = make_class(world)
    [learner] = add_learners(world, session, 1)
    day = session.days.first()
    now = timezone.now()
    mark(world, day, learner, "absent", at=now - datetime.timedelta(minutes=1))
    mark(world, day, learner, "present", at=now - datetime.timedelta(minutes=10))  # queued offline
    assert Attendance.objects.get().status == "absent"
    assert list(AttendanceMark.objects.order_by("marked_at").values_list("applied", flat=True)) == [
        False,
        True,
    ]


def test_marks_need_a_roster_learner_and_a_trainer_of_the_unit(world):
    session = make_class(world)
    stranger = make_learner(unit=world["ia_grai"])
    with pytest.raises(ValidationError):
        mark(world, session.days.first(), stranger, "present")
    [learner] = add_learners(world, session, 1)
    with pytest.raises(PermissionDenied):
        attendance_mark(
            user=world["trainer_out"],
            day=session.days.first(),
            learner=learner,
            status="present",
            client_uuid=uuid.uuid4(),
        )
    with pytest.raises(ValidationError):
        mark(world, session.days.first(), learner, "asleep")
    assert not Attendance.objects.exists()


def test_four_days_complete_those_at_80_percent_and_not_the_others(world):
    """Four days and the default rule (80%): 4/4 completes, 3/4 (75%) and less do not."""
    session = make_class(world, days=4)
    learners = add_learners(world, session, 4)
    days = list(session.days.all())
    present_days = [4, 3, 2, 0]
    received = []

    def receiver(sender, enrolment, **kwargs):
        received.append(enrolment.pk)

    course_completed.connect(receiver, weak=False)
    try:
        for learner, count in zip(learners, present_days, strict=True):
            for n, day in enumerate(days):
                mark(world, day, learner, "present" if n < count else "absent")
        session_status_set(user=world["trainer"], session=session, status="finished")
    finally:
        course_completed.disconnect(receiver)
    enrolments = {e.user_id: e for e in Enrolment.objects.filter(course=world["course"])}
    assert enrolments[learners[0].pk].status == "completed"
    assert enrolments[learners[0].pk].source == "class"
    assert enrolments[learners[0].pk].completed_at is not None
    for learner in learners[1:]:
        assert enrolments[learner.pk].status == "active"
    # The certificates hook heard exactly one completion, once (finishing re-checks).
    assert received == [enrolments[learners[0].pk].pk]


def test_five_days_complete_at_four(world):
    session = make_class(world, days=5)
    learners = add_learners(world, session, 2)
    for n, day in enumerate(session.days.all()):
        mark(world, day, learners[0], "present" if n != 2 else "excused")
        mark(world, day, learners[1], "present" if n < 3 else "absent")
    statuses = dict(
        Enrolment.objects.filter(course=world["course"]).values_list("user_id", "status")
    )
    assert statuses == {learners[0].pk: "completed", learners[1].pk: "active"}


def test_final_quiz_rule_accepts_a_paper_score(world):
    course = world["course"]
    course.class_requires_final_quiz = True
    course.save()
    session = make_class(world, days=2)
    learners = add_learners(world, session, 2)
    for day in session.days.all():
        for learner in learners:
            mark(world, day, learner, "present")
    assert not Enrolment.objects.filter(status="completed").exists()
    members = {m.user_id: m for m in ClassMember.objects.filter(session=session)}
    paper_score_set(user=world["trainer"], member=members[learners[0].pk], score=85)
    paper_score_set(user=world["trainer"], member=members[learners[1].pk], score=40)
    statuses = dict(Enrolment.objects.values_list("user_id", "status"))
    assert statuses == {learners[0].pk: "completed", learners[1].pk: "active"}
    with pytest.raises(ValidationError):
        paper_score_set(user=world["trainer"], member=members[learners[1].pk], score=101)


def test_online_learner_completing_in_class_counts_for_the_class(world):
    from courses.services import enrolment_create

    session = make_class(world, days=1)
    learner = make_learner(unit=world["ia_grai"])
    enrolment, _ = enrolment_create(user=learner, course=world["course"])
    assert enrolment.source == "self"
    from courses.classes.services import roster_add

    roster_add(user=world["trainer"], session=session, learner=learner)
    mark(world, session.days.get(), learner, "present")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.source) == ("completed", "class")
    assert class_completion_check(session=session) == []  # already complete: nothing again


def test_class_days_follow_the_weekdays(world):
    from courses.classes.services import session_update

    # Monday 2 to Saturday 7 November 2026, Monday to Friday (given in any order).
    session = make_class(world, days=6, weekdays="43210")
    session = type(session).objects.get(pk=session.pk)
    assert session.weekdays == "01234"
    assert session.start_date.weekday() == 0
    assert [d.date.day for d in session.days.order_by("date")] == [2, 3, 4, 5, 6]
    (learner,) = add_learners(world, session, 1)
    friday = session.days.get(date__day=6)
    mark(world, friday, learner, "present")
    # Dropping Friday, which has attendance, is refused; dropping Monday is not.
    with pytest.raises(ValidationError):
        session_update(user=world["trainer"], session=session, weekdays="0123")
    session_update(user=world["trainer"], session=session, weekdays="1234")
    assert [d.date.day for d in session.days.order_by("date")] == [3, 4, 5, 6]
    with pytest.raises(ValidationError) as error:
        session_update(user=world["trainer"], session=session, weekdays="")
    assert "weekdays" in error.value.message_dict


def test_the_rule_counts_class_days_only(world):
    from courses.classes.services import session_status_set

    # Mon 2 to Sun 8 November, Monday to Friday: 5 class days; 4 present is 80%.
    session = make_class(world, days=7, weekdays="01234")
    assert session.days.count() == 5
    (learner,) = add_learners(world, session, 1)
    for day in list(session.days.order_by("date"))[:4]:
        mark(world, day, learner, "present")
    session_status_set(user=world["trainer"], session=session, status="finished")
    assert Enrolment.objects.get(user=learner).status == "completed"
