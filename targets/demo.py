"""Demo targets for Gia Lai, so the demo `manager` sees a dashboard with real-looking gaps.

Called from `cms/management/commands/seed_demo.py` after the units, courses and accounts exist;
idempotent (everything is looked up by a stable name or username first). Demo data only.
Population figures are deterministic per commune; a handful of communes get none so the
"no population data" flag shows. Demo learners complete through the course services (passing
the final assessment, so the completion has evidence) and their completion dates are then
spread over the year (a demo shortcut: real completions are dated by `enrolment_complete`).
"""

import datetime
import hashlib
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.demo import demo_course_complete
from courses.models import CoursePage, Enrolment, Topic
from courses.services import enrolment_create
from people.models import EthnicGroup, OrgUnit, TargetGroup
from people.services import profile_get_or_create, profile_update

from .models import Population, TrainingTarget
from .services.facts import completion_facts_for_enrolment

DEMO_PREFIX = "demo-hv-"
PLAN_TARGET = "80% trưởng thôn và người có uy tín hoàn thành khoá chuyển đổi số"
PLAN_YEAR = 2026
NAMES = [
    "Ksor H'Blăk",
    "Rơ Châm Thuyên",
    "Siu H'Mai",
    "Puih Blơng",
    "Rah Lan Nhí",
    "Đinh Văn Hlay",
    "Nguyễn Văn Bình",
    "Kpă H'Ngân",
    "Rơ Mah Phin",
    "Ksor Yun",
    "Nay H'Lan",
    "Trần Thị Hoa",
]


def _number(text: str, low: int, high: int) -> int:
    digest = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)
    return low + digest % (high - low + 1)


def demo_targets_seed(*, province_code: str, manager=None) -> dict[str, int]:
    province = OrgUnit.objects.get(code=province_code)
    year = timezone.localdate().year
    village_heads = TargetGroup.objects.get(code="village-head")
    prestigious = TargetGroup.objects.get(code="prestigious-person")
    cadres = TargetGroup.objects.get(code="ethnic-affairs-cadre")
    communes = list(
        OrgUnit.objects.filter(
            path__startswith=province.path, depth=province.depth + 1, replaced_by__isnull=True
        ).order_by("code")
    )
    # Population: every commune but one in twelve gets village-head and prestigious-person
    # figures for the year; the first communes also get their village heads broken down by
    # gender, so the gender filter has a denominator there.
    existing = set(
        Population.objects.filter(year=year, ethnic_group=None).values_list(
            "org_unit_id", "target_group_id", "gender"
        )
    )
    figures = []
    for index, commune in enumerate(communes):
        if index % 12 == 5:
            continue
        heads = _number(commune.code, 6, 24)
        women = _number(commune.code + "women", 1, heads // 3)
        rows = [(village_heads, "", heads), (prestigious, "", _number(commune.code + "pp", 3, 12))]
        if index < 10:
            rows += [(village_heads, "female", women), (village_heads, "male", heads - women)]
        for group, gender, count in rows:
            if (commune.pk, group.pk, gender) not in existing:
                figures.append(
                    Population(
                        org_unit=commune, target_group=group, year=year, gender=gender, count=count
                    )
                )
    Population.objects.bulk_create(figures)
    Population.objects.get_or_create(
        org_unit=province, target_group=cadres, year=year, defaults={"count": 180}
    )
    basics = CoursePage.objects.get(slug="tin-hoc-co-ban")
    safety = CoursePage.objects.get(slug="an-toan-thong-tin")
    first, _ = TrainingTarget.objects.get_or_create(
        name="80% trưởng thôn, làng hoàn thành Tin học cơ bản",
        scope_unit=province,
        reporting_year=year,
        defaults={
            "description": "Theo kế hoạch chuyển đổi số công tác dân tộc của tỉnh.",
            "target_percent": Decimal("80"),
            "deadline": datetime.date(year, 12, 31),
            "owner": manager,
        },
    )
    first.courses.add(basics)
    first.target_groups.add(village_heads)
    second, _ = TrainingTarget.objects.get_or_create(
        name="100% cán bộ làm công tác dân tộc được bồi dưỡng an toàn thông tin",
        scope_unit=province,
        reporting_year=year,
        defaults={
            "topic": safety.topic,
            "target_percent": Decimal("100"),
            "deadline": datetime.date(year, 12, 31),
            "owner": manager,
        },
    )
    second.target_groups.add(cadres)
    # From the plan "Tăng cường chuyển đổi số lĩnh vực công tác dân tộc": a combined group,
    # counted by topic (whichever digital-transformation course the catalogue has).
    plan, _ = TrainingTarget.objects.get_or_create(
        name=PLAN_TARGET,
        scope_unit=province,
        reporting_year=PLAN_YEAR,
        defaults={
            "description": "80% trưởng thôn và người có uy tín ở Gia Lai hoàn thành khoá "
            "chuyển đổi số trước 31/12/2026 (kế hoạch chuyển đổi số công tác dân tộc).",
            "topic": Topic.DIGITAL_TRANSFORMATION,
            "target_percent": Decimal("80"),
            "deadline": datetime.date(PLAN_YEAR, 12, 31),
            "owner": manager,
        },
    )
    plan.target_groups.add(village_heads, prestigious)
    digital = (
        CoursePage.objects.live()
        .filter(topic=Topic.DIGITAL_TRANSFORMATION)
        .order_by("path")
        .first()
    )  # None until the catalogue has one: the target then shows no one yet
    learners = _demo_learners(
        communes[:10], (village_heads, prestigious, cadres), (basics, safety, digital), year
    )
    return {"communes": len(communes), "learners": learners}


def _complete_on(user, course, day: datetime.date) -> bool:
    """Take `course` as a learner would (its final assessment passed: evidence the server
    judged), then date the completion `day`; False if it was already done."""
    enrolment, _ = enrolment_create(user=user, course=course, source="trainer")
    if enrolment.status == Enrolment.Status.COMPLETED:
        return False
    enrolment = demo_course_complete(user=user, course=course, source="trainer")
    if enrolment.status != Enrolment.Status.COMPLETED:
        return False  # a course without a final assessment gives no evidence online
    Enrolment.objects.filter(pk=enrolment.pk).update(
        completed_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    )
    completion_facts_for_enrolment(enrolment_id=enrolment.pk)  # the update sent no signal
    return True


def _demo_learners(communes, groups, courses, year) -> int:
    village_heads, prestigious, cadres = groups
    basics, safety, digital = courses
    User = get_user_model()
    jrai = EthnicGroup.objects.get(code="10")
    bahnar = EthnicGroup.objects.get(code="13")
    kinh = EthnicGroup.objects.get(code="01")
    today = timezone.localdate()
    made = 0
    for c_index, commune in enumerate(communes):
        for n in range(_number(commune.code + "people", 2, 9)):
            username = f"{DEMO_PREFIX}{commune.code}-{n}"
            user, created = User.objects.get_or_create(username=username)
            if not created:
                continue
            user.set_unusable_password()
            user.save()
            cadre = n % 5 == 4
            group = cadres if cadre else prestigious if n % 5 == 2 else village_heads
            profile_update(
                profile=profile_get_or_create(user=user),
                full_name=NAMES[(c_index * 3 + n) % len(NAMES)],
                org_unit=commune,
                ethnic_group=(jrai, bahnar, kinh)[n % 3],
                gender="female" if n % 2 else "male",
                target_groups=TargetGroup.objects.filter(pk=group.pk),
            )
            course = safety if cadre else basics
            enrolment_create(user=user, course=course, source="trainer")
            if n % 4 == 3:
                continue  # still learning
            day = min(today, datetime.date(year, 1 + (c_index + n * 2) % 11, 1 + n * 3))
            _complete_on(user, course, day)
            made += 1
    if digital is not None:
        made += _digital_completions(digital, year)
    return made


def _digital_completions(course, year) -> int:
    """Two in three demo village heads and prestigious persons completed the
    digital-transformation course (so the plan's target shows progress); re-runs add none."""
    today = timezone.localdate()
    learners = (
        get_user_model()
        .objects.filter(
            username__startswith=DEMO_PREFIX,
            profile__target_groups__code__in=["village-head", "prestigious-person"],
        )
        .distinct()
        .order_by("username")
    )
    made = 0
    for index, user in enumerate(learners):
        if index % 3 == 2:
            continue
        day = min(today, datetime.date(year, 1 + index % 11, 1 + index % 27))
        made += _complete_on(user, course, day)
    return made
