"""The small tree every targets test computes by hand.

    Tỉnh Mới (P, new province; manager_in's scope)
      ├─ Xã A            population village-head 2026: 10 (own figure)
      │    └─ Làng A1    population 3 (ignored for A, which has its own figure)
      ├─ Xã B            population 4
      └─ Xã C            no population figure
    Tỉnh Cũ (O, old province, replaced_by P)
      ├─ Xã Cũ 1 (O1)    replaced_by Xã A
      └─ Xã Cũ 2 (O2)    replaced_by O1 (two steps to Xã A)
    Tỉnh Khác (Q, another province; manager_out's scope)

Target "village heads" (T): unit P, group village-head, courses {c1, c3}, 80 %, year 2026.
Target "prestigious" (T2): unit P, group prestigious-person, topic it-basics, 50 %, year 2026,
population at P itself: 8.

Learners (group village-head unless said), completion dates in 2026 unless said:
  L1  Xã A, Jrai, male      c1 03-10 and c3 03-20 (counts once)
  L2  Làng A1, female       c1 05-01, c2 05-02 (c2 does not count)
  L3  Xã A, village-head AND prestigious, c1 06-01
  L4  Xã Cũ 1 (-> A)        c1 04-01
  L5  Xã Cũ 2 (-> O1 -> A)  c1 2025-11-01 (earlier years count: cumulative)
  L6  Xã B                  c1 2027-01-05 (after the reporting year: not counted)
  L7  Xã B, Jrai            c1 02-01
  L8  moved Xã C -> Xã B, female, c1 07-01 (counts where they are now: B)
  L9  Xã C                  c1 08-01
  L10 Xã A, prestigious only, c1 06-15 (not a village head)
  L11 Xã A                  c1 enrolled, not completed
  L12 Tỉnh Khác             c1 03-01 (outside the target's unit)
  L13 Tỉnh Mới itself       c1 09-01 (registered at the province: a "directly at" row)

c1 "Tin học cơ bản" it-basics, c2 "An toàn thông tin" cybersecurity, c3 "Chuyển đổi số"
digital-transformation.
"""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from courses.services import authoring_roles_setup, enrolment_complete, enrolment_create
from people.models import EthnicGroup, OrgUnit, TargetGroup
from targets.models import Population, TrainingTarget
from tests.factories import (
    fresh,
    make_admin,
    make_course,
    make_learner,
    make_manager,
    make_trainer,
    make_unit,
)


def at(day: str) -> datetime.datetime:
    """Noon, Vietnam time, on `day` (YYYY-MM-DD)."""
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(12))
    )


def complete(user, course, day: str, evidence: str = "attendance"):
    """Enrol and complete through the services, as if it happened on `day`, with evidence the
    server judged (default: a class completed by attendance) so that it counts."""
    enrolment, _ = enrolment_create(user=user, course=course, source="trainer")
    with mock.patch("django.utils.timezone.now", return_value=at(day)):
        return enrolment_complete(enrolment=enrolment, evidence=evidence)


@pytest.fixture
def tree(request, home):
    """The tree above; made once per module when every test of the module uses it
    (tests/conftest.py: pytest_collection_modifyitems), and then read afresh for each test."""
    if "_module_tree" in request.fixturenames:
        return fresh(request.getfixturevalue("_module_tree"))
    return tree_build()


@pytest.fixture(scope="module")
def _module_tree(module_db, _module_home):
    with module_db():
        return tree_build()


def tree_build():
    vh = TargetGroup.objects.get(code="village-head")
    pp = TargetGroup.objects.get(code="prestigious-person")
    jrai = EthnicGroup.objects.get(code="10")
    kinh = EthnicGroup.objects.get(code="01")
    p = make_unit("Tỉnh Mới")
    a = make_unit("Xã A", parent=p)
    a1 = make_unit("Làng A1", parent=a, kind=OrgUnit.Kind.VILLAGE)
    b = make_unit("Xã B", parent=p)
    c = make_unit("Xã C", parent=p)
    o = make_unit("Tỉnh Cũ")
    o1 = make_unit("Xã Cũ 1", parent=o)
    o2 = make_unit("Xã Cũ 2", parent=o)
    q = make_unit("Tỉnh Khác")
    OrgUnit.objects.filter(pk=o.pk).update(replaced_by=p)
    OrgUnit.objects.filter(pk=o1.pk).update(replaced_by=a)
    OrgUnit.objects.filter(pk=o2.pk).update(replaced_by=o1)

    c1 = make_course("Tin học cơ bản", lessons=1, quiz=[], topic="it-basics")
    c2 = make_course("An toàn thông tin", lessons=1, quiz=[], topic="cybersecurity")
    c3 = make_course("Chuyển đổi số", lessons=1, quiz=[], topic="digital-transformation")
    authoring_roles_setup()  # the role groups exist before anyone is granted a scope

    def learner(name, unit, groups=(vh,), ethnic=kinh, gender="male"):
        user = make_learner(unit=unit, full_name=name, ethnic_group=ethnic, gender=gender)
        user.profile.target_groups.set(groups)
        return user

    people = {
        "L1": learner("Ksor Blơng", a, ethnic=jrai),
        "L2": learner("Nguyễn Thị Hạnh", a1, gender="female"),
        "L3": learner("Rơ Châm Hlin", a, groups=(vh, pp)),
        "L4": learner("Siu Y Phôn", o1),
        "L5": learner("Đinh Văn Kiên", o2),
        "L6": learner("Trần Văn Dũng", b),
        "L7": learner("Puih H'Nương", b, ethnic=jrai),
        "L8": learner("Lê Thị Thắm", c, gender="female"),
        "L9": learner("Phạm Minh Lan", c),
        "L10": learner("Rah Lan Hương", a, groups=(pp,)),
        "L11": learner("Trần Ngọc Hữu", a),
        "L12": learner("Nguyễn Văn Khác", q),
        "L13": learner("Ksor Tỉnh", p),
    }
    complete(people["L1"], c1, "2026-03-10")
    complete(people["L1"], c3, "2026-03-20")
    complete(people["L2"], c1, "2026-05-01")
    complete(people["L2"], c2, "2026-05-02")
    complete(people["L3"], c1, "2026-06-01")
    complete(people["L4"], c1, "2026-04-01")
    complete(people["L5"], c1, "2025-11-01")
    complete(people["L6"], c1, "2027-01-05")
    complete(people["L7"], c1, "2026-02-01")
    complete(people["L8"], c1, "2026-07-01")
    people["L8"].profile.org_unit = b  # moved after completing
    people["L8"].profile.save()
    complete(people["L9"], c1, "2026-08-01")
    complete(people["L10"], c1, "2026-06-15")
    enrolment_create(user=people["L11"], course=c1, source="trainer")
    complete(people["L12"], c1, "2026-03-01")
    complete(people["L13"], c1, "2026-09-01")

    for unit, count in ((a, 10), (a1, 3), (b, 4)):
        Population.objects.create(org_unit=unit, target_group=vh, year=2026, count=count)
    Population.objects.create(org_unit=p, target_group=pp, year=2026, count=8)
    Population.objects.create(org_unit=c, target_group=vh, year=2025, count=99)  # other year

    manager_in = make_manager(scope=p)
    target = TrainingTarget.objects.create(
        name="80% trưởng thôn hoàn thành tin học cơ bản",
        scope_unit=p,
        target_percent=Decimal("80"),
        deadline=datetime.date(2026, 12, 31),
        reporting_year=2026,
        owner=manager_in,
    )
    target.courses.set([c1, c3])
    target.target_groups.set([vh])
    target2 = TrainingTarget.objects.create(
        name="50% người có uy tín",
        scope_unit=p,
        topic="it-basics",
        target_percent=Decimal("50"),
        deadline=datetime.date(2026, 12, 31),
        reporting_year=2026,
    )
    target2.target_groups.set([pp])
    return {
        "units": {"P": p, "A": a, "A1": a1, "B": b, "C": c, "O": o, "O1": o1, "O2": o2, "Q": q},
        "courses": {"c1": c1, "c2": c2, "c3": c3},
        "groups": {"vh": vh, "pp": pp},
        "jrai": jrai,
        "people": people,
        "target": target,
        "target2": target2,
        "users": {
            "anonymous": None,
            "learner": people["L1"],
            "trainer_in": make_trainer(scope=p),
            "trainer_out": make_trainer(scope=q),
            "manager_in": manager_in,
            "manager_out": make_manager(scope=q),
            "admin": make_admin(),
        },
    }
