"""`CompletionFact` stays equal to a recount from scratch, whatever happens in between.

Random sequences of completions (with and without evidence), evidence added later, learners
moving unit, changing ethnic group, gender or target groups, and units merged into others
(`replaced_by`, also un-merged). After each sequence: the rows equal the rows rebuilt from
scratch, and the figures counted from them equal the figures counted from the enrolments.

The same holds for `TargetAchiever` (one row per person a target counts): after each sequence,
which also changes the target's own settings, courses and groups and deletes enrolments, its
rows equal a rebuild from the facts, and the target page's figures read from it equal the
figures counted from the facts.

Certificate revocation is not among the events: achievement counts completions with evidence,
not certificates, so revoking one changes no count (`test_revocation_changes_no_count`).
"""

import datetime
import itertools
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import Enrolment
from courses.services import enrolment_complete, enrolment_create, enrolment_evidence_add
from people.models import EthnicGroup, OrgUnit, TargetGroup
from people.services import profile_update
from targets.models import CompletionFact, TargetAchiever, TrainingTarget
from targets.selectors.achievement import (
    Criteria,
    people_and_series,
    people_by_bucket,
    recount_people_by_bucket,
)
from targets.services.achievers import achievers_rebuild
from targets.services.facts import completion_facts_rebuild
from tests.factories import make_course, make_learner, make_unit
from tests.targets.conftest import at, complete

pytestmark = pytest.mark.django_db

LEARNERS, COURSES = 5, 3


@pytest.fixture
def world(home):
    province = make_unit("Tỉnh")
    communes = [make_unit(f"Xã {n}", parent=province) for n in range(3)]
    old = [make_unit(f"Xã cũ {n}", parent=province) for n in range(2)]
    village = make_unit("Làng", parent=communes[0], kind=OrgUnit.Kind.VILLAGE)
    # Units a learner may live in; a unit may only be merged into a later one (no cycles).
    units = [*old, village, *communes]
    courses = [
        make_course(f"Khoá {n}", lessons=1, quiz=[], topic=("it-basics", "cybersecurity")[n % 2])
        for n in range(COURSES)
    ]
    groups = list(TargetGroup.objects.order_by("pk")[:3])
    ethnic = [EthnicGroup.objects.get(code=c) for c in ("01", "10", "13")]
    learners = [
        make_learner(unit=units[n % len(units)], ethnic_group=ethnic[n % 3], gender="female")
        for n in range(LEARNERS)
    ]
    for n, learner in enumerate(learners):
        learner.profile.target_groups.set(groups[: 1 + n % 2])
    target = TrainingTarget.objects.create(
        name="t",
        scope_unit=province,
        target_percent=80,
        deadline=datetime.date(2026, 12, 31),
        reporting_year=2026,
    )
    target.courses.set(courses[:2])
    target.target_groups.set(groups[:2])
    return {
        "province": province,
        "units": units,
        "courses": courses,
        "groups": groups,
        "ethnic": ethnic,
        "learners": learners,
        "target": target,
    }


days = itertools.cycle(f"2026-0{m}-1{d}" for m in range(1, 10) for d in range(10))

event = st.one_of(
    st.tuples(
        st.just("complete"),
        st.integers(0, LEARNERS - 1),
        st.integers(0, COURSES - 1),
        st.sampled_from(["", "attendance", "assessment"]),
    ),
    st.tuples(st.just("evidence"), st.integers(0, LEARNERS - 1), st.integers(0, COURSES - 1)),
    st.tuples(st.just("move"), st.integers(0, LEARNERS - 1), st.integers(0, 5)),
    st.tuples(
        st.just("profile"),
        st.integers(0, LEARNERS - 1),
        st.integers(0, 2),
        st.sampled_from(["female", "male", ""]),
    ),
    st.tuples(st.just("groups"), st.integers(0, LEARNERS - 1), st.sets(st.integers(0, 2))),
    st.tuples(st.just("merge"), st.integers(0, 2), st.integers(0, 5)),
    st.tuples(st.just("unenrol"), st.integers(0, LEARNERS - 1), st.integers(0, COURSES - 1)),
    st.tuples(
        st.just("target"),
        st.sets(st.integers(0, COURSES - 1), min_size=1),
        st.sets(st.integers(0, 2), min_size=1),
        st.sampled_from(["", "female", "male"]),
        st.booleans(),
    ),
    st.tuples(st.just("topic"), st.sampled_from(["", "it-basics", "cybersecurity"])),
)


def apply(world, step):
    kind, *args = step
    learners, courses, units = world["learners"], world["courses"], world["units"]
    if kind == "complete":
        who, what, evidence = args
        enrolment, _ = enrolment_create(user=learners[who], course=courses[what], source="trainer")
        with mock.patch("django.utils.timezone.now", return_value=at(next(days))):
            enrolment_complete(enrolment=enrolment, evidence=evidence)
    elif kind == "evidence":
        who, what = args
        enrolment = Enrolment.objects.filter(user=learners[who], course=courses[what]).first()
        if enrolment is not None:
            enrolment_evidence_add(enrolment=enrolment, evidence="attendance")
    elif kind == "move":
        who, unit = args
        profile = learners[who].profile
        profile.refresh_from_db()
        profile_update(profile=profile, org_unit=units[unit])
    elif kind == "profile":
        who, ethnic, gender = args
        profile = learners[who].profile
        profile.refresh_from_db()
        profile_update(profile=profile, ethnic_group=world["ethnic"][ethnic], gender=gender)
    elif kind == "groups":
        who, chosen = args
        learners[who].profile.target_groups.set([world["groups"][g] for g in chosen])
    elif kind == "merge":
        unit, successor = args
        unit_obj = OrgUnit.objects.get(pk=units[unit].pk)
        # into a later unit (so never a cycle), or un-merged when it is not a later one
        unit_obj.replaced_by = units[successor] if successor > unit else None
        unit_obj.save()
    elif kind == "unenrol":
        who, what = args
        # An enrolment with a certificate cannot be deleted (PROTECT): the others can.
        from certificates.models import Certificate

        Enrolment.objects.filter(user=learners[who], course=courses[what]).exclude(
            pk__in=Certificate.objects.values("enrolment_id")
        ).delete()
    elif kind == "target":  # the target's courses, groups, gender and minority setting change
        chosen, groups, gender, minority = args
        target = TrainingTarget.objects.get(pk=world["target"].pk)
        target.courses.set([courses[c] for c in chosen])
        target.target_groups.set([world["groups"][g] for g in groups])
        target.gender, target.any_minority = gender, minority
        target.save()
    elif kind == "topic":  # counts a topic instead of its courses, or its courses again
        (topic,) = args
        target = TrainingTarget.objects.get(pk=world["target"].pk)
        target.topic = topic
        target.save()


def fact_rows():
    return sorted(
        CompletionFact.objects.values_list(
            "enrolment_id",
            "user_id",
            "course_id",
            "target_group_id",
            "ethnic_group_id",
            "minority",
            "gender",
            "unit_path",
            "completed_at",
        )
    )


def achiever_rows():
    return sorted(
        TargetAchiever.objects.values_list(
            "target_id", "user_id", "unit_path", "first_completed_at"
        )
    )


def assert_in_step(world):
    target = TrainingTarget.objects.prefetch_related("target_groups").get(pk=world["target"].pk)
    province = world["province"]
    own = Criteria.for_target(target)
    assert own.own
    for unit in (province, world["units"][4]):
        assert people_and_series(own, unit=unit) == people_and_series(
            own, unit=unit, from_facts=True
        )
        assert people_by_bucket(own, unit=unit) == recount_people_by_bucket(own, unit=unit)
    achievers = achiever_rows()
    achievers_rebuild()
    assert achiever_rows() == achievers
    for overrides in (
        {},
        {"minority": True},
        {"gender": "female"},
        {"ethnic_group_id": world["ethnic"][1].pk},
        {"target_group_id": world["groups"][2].pk},
        {"course_id": world["courses"][1].pk},
    ):
        criteria = Criteria.for_target(target, **overrides)
        for unit in (province, world["units"][4]):  # the province, a commune
            assert people_by_bucket(criteria, unit=unit) == recount_people_by_bucket(
                criteria, unit=unit
            ), overrides
    topic = Criteria.for_target(target, topic="cybersecurity")
    assert people_by_bucket(topic, unit=province) == recount_people_by_bucket(topic, unit=province)
    kept = fact_rows()
    completion_facts_rebuild()
    assert fact_rows() == kept


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(event, min_size=1, max_size=12))
def test_facts_equal_a_recount_after_any_events(world, steps):
    for step in steps:
        apply(world, step)
    assert_in_step(world)


def test_hand_computed_sequence(world):
    """One sequence by hand. Learner 3 lives in Xã 0 (units[3]) and is in two target groups;
    learner 4 in Xã 1 (units[4]), one group; learner 0 in an old commune."""
    target, province = world["target"], world["province"]
    learners, courses, units = world["learners"], world["courses"], world["units"]
    criteria = Criteria.for_target(target)

    def buckets():
        return people_by_bucket(criteria, unit=province)

    complete(learners[3], courses[0], "2026-02-01", evidence="")  # no evidence: not counted
    assert buckets() == {} and not CompletionFact.objects.exists()
    enrolment_evidence_add(
        enrolment=Enrolment.objects.get(user=learners[3], course=courses[0]),
        evidence="attendance",
    )
    assert buckets() == {units[3].path: 1}
    assert CompletionFact.objects.filter(user=learners[3]).count() == 2  # one row per group
    complete(learners[3], courses[1], "2026-03-01")  # a second course: still one person
    complete(learners[4], courses[0], "2026-03-02")
    complete(learners[0], courses[2], "2026-03-03")  # course 2 does not count for the target
    assert buckets() == {units[3].path: 1, units[4].path: 1}
    profile = learners[4].profile
    profile.refresh_from_db()
    profile_update(profile=profile, org_unit=units[5])  # learner 4 moves to Xã 2
    assert buckets() == {units[3].path: 1, units[5].path: 1}
    unit = OrgUnit.objects.get(pk=units[3].pk)
    unit.replaced_by = units[5]  # Xã 0 merged into Xã 2
    unit.save()
    assert buckets() == {units[5].path: 2}
    learners[3].profile.target_groups.set([world["groups"][2]])  # no longer in the target
    assert buckets() == {units[5].path: 1}
    assert_in_step(world)


def test_revocation_changes_no_count(tree):
    """Revoking a certificate does not touch the enrolment: counts are unchanged."""
    from certificates.models import Certificate
    from certificates.services import certificate_issue, certificate_revoke
    from targets.selectors.reports import target_report

    before = target_report(tree["target"], with_series=False).total.people
    pending = Certificate.objects.filter(enrolment__user=tree["people"]["L1"]).first()
    certificate = certificate_issue(certificate_id=pending.pk)
    certificate_revoke(
        certificate=certificate, actor=tree["users"]["manager_in"], reason="Sai thông tin"
    )
    assert target_report(tree["target"], with_series=False).total.people == before == 9
    assert CompletionFact.objects.filter(user=tree["people"]["L1"]).exists()


def test_rebuild_command_repairs_changes_made_without_signals(tree):
    """A queryset update sends no signal: the facts lag until the command rebuilds them."""
    from django.core.management import call_command

    from people.models import Profile

    before = sorted(CompletionFact.objects.values_list("enrolment_id", "unit_path"))
    assert before
    Profile.objects.filter(user=tree["people"]["L9"]).update(org_unit=tree["units"]["B"])
    call_command("completion_facts_rebuild", verbosity=0)
    paths = set(
        CompletionFact.objects.filter(user=tree["people"]["L9"]).values_list("unit_path", flat=True)
    )
    assert paths == {tree["units"]["B"].path}
    call_command("completion_facts_rebuild", verbosity=0)  # again: the same rows
    assert len(CompletionFact.objects.values_list("enrolment_id", "unit_path")) == len(before)
