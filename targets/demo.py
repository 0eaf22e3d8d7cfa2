"""Demo targets for Gia Lai, so the demo `manager` sees a dashboard with real-looking gaps.

Called from `cms/management/commands/seed_demo.py` after the units, courses and accounts exist;
idempotent (everything is looked up by a stable name or username first). Demo data only.
Population figures are deterministic per commune; a handful of communes get none so the
"no population data" flag shows. Demo learners complete through the course services and their
completion dates are then spread over the year (a demo shortcut: real completions are dated by
`enrolment_complete`).
"""

import datetime
import hashlib
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import CoursePage, Enrolment
from courses.services import enrolment_complete, enrolment_create
from people.models import EthnicGroup, OrgUnit, TargetGroup
from people.services import profile_get_or_create, profile_update

from .models import Population, TrainingTarget

DEMO_PREFIX = "demo-hv-"
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
    cadres = TargetGroup.objects.get(code="ethnic-affairs-cadre")
    communes = list(
        OrgUnit.objects.filter(
            path__startswith=province.path, depth=province.depth + 1, replaced_by__isnull=True
        ).order_by("code")
    )
    # Population: every commune but one in twelve gets a village-head figure for the year.
    existing = set(
        Population.objects.filter(target_group=village_heads, year=year).values_list(
            "org_unit_id", flat=True
        )
    )
    Population.objects.bulk_create(
        [
            Population(
                org_unit=commune,
                target_group=village_heads,
                year=year,
                count=_number(commune.code, 6, 24),
            )
            for index, commune in enumerate(communes)
            if index % 12 != 5 and commune.pk not in existing
        ]
    )
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
            "target_group": village_heads,
            "target_percent": Decimal("80"),
            "deadline": datetime.date(year, 12, 31),
            "owner": manager,
        },
    )
    first.courses.add(basics)
    TrainingTarget.objects.get_or_create(
        name="100% cán bộ làm công tác dân tộc được bồi dưỡng an toàn thông tin",
        scope_unit=province,
        reporting_year=year,
        defaults={
            "target_group": cadres,
            "topic": safety.topic,
            "target_percent": Decimal("100"),
            "deadline": datetime.date(year, 12, 31),
            "owner": manager,
        },
    )
    learners = _demo_learners(communes[:10], village_heads, cadres, basics, safety, year)
    return {"communes": len(communes), "learners": learners}


def _demo_learners(communes, village_heads, cadres, basics, safety, year) -> int:
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
            profile_update(
                profile=profile_get_or_create(user=user),
                full_name=NAMES[(c_index * 3 + n) % len(NAMES)],
                org_unit=commune,
                ethnic_group=(jrai, bahnar, kinh)[n % 3],
                gender="female" if n % 2 else "male",
                target_groups=TargetGroup.objects.filter(
                    pk__in=[cadres.pk if cadre else village_heads.pk]
                ),
            )
            course = safety if cadre else basics
            enrolment, _ = enrolment_create(user=user, course=course, source="trainer")
            if n % 4 == 3:
                continue  # still learning
            enrolment_complete(enrolment=enrolment)
            day = min(today, datetime.date(year, 1 + (c_index + n * 2) % 11, 1 + n * 3))
            Enrolment.objects.filter(pk=enrolment.pk).update(
                completed_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
            )
            made += 1
    return made
