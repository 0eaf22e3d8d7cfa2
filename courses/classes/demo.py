"""Demo classes for `seed_demo`: a finished class with completions and a running class, both
in Xã Ia Grai (Gia Lai), run by the demo trainer. Idempotent: a class that exists is left.

Demo data only: the learners' accounts use the demo password instead of a PIN.
"""

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.utils import timezone

from people.accounts import learner_account_create
from people.models import EthnicGroup, OrgUnit, TargetGroup

from ..models import CoursePage
from ..models.classes import AttendanceStatus, TrainingSession
from .services import attendance_mark, roster_add, session_create, session_status_set

NAMESPACE = uuid.UUID("0c9a7f3e-4a61-4f0e-8f57-6d1b9a2c3e11")
FINISHED_TITLE = "Lớp tập huấn kỹ năng số cho trưởng thôn, người có uy tín — Xã Ia Grai"
RUNNING_TITLE = "Lớp tập huấn an toàn thông tin — Làng Dêr, Xã Ia Grai"
# (full name, birth year, gender, target group): village heads and prestigious persons.
FINISHED_LEARNERS = [
    ("Rơ Lan Hyơn", 1972, "male", "village-head"),
    ("Ksor Blơi", 1968, "male", "prestigious-person"),
    ("Siu Thị Hlăk", 1980, "female", "village-head"),
    ("Rơ Mah Đinh", 1975, "male", "prestigious-person"),
    ("Kpă Thị Nguyệt", 1983, "female", "village-head"),
    ("Nay Hơ Nưm", 1965, "male", "prestigious-person"),
    ("Puih Thị Ngơn", 1978, "female", "village-head"),
    ("Rơ Châm Yuh", 1970, "male", "prestigious-person"),
]
# Days present out of four: six reach 80% (4/4), two do not (3/4).
FINISHED_PRESENT = [4, 4, 4, 4, 4, 4, 3, 3]
RUNNING_LEARNERS = [
    ("Siu H'Bla", 1999, "female", "minority-youth"),
    ("Rơ Ô Thuận", 1994, "male", "business"),
    ("Ksor H'Nhi", 2002, "female", "minority-youth"),
    ("Nay Y Lin", 1990, "male", "business"),
    ("Kpuih Thị Mai", 1996, "female", "business"),
]


def _people(people, *, commune, password):
    User = get_user_model()
    jrai = EthnicGroup.objects.get(code="10")
    users = []
    for full_name, birth_year, gender, group in people:
        existing = User.objects.filter(
            profile__full_name=full_name, profile__birth_year=birth_year
        ).first()
        if existing is not None:
            users.append(existing)
            continue
        new = learner_account_create(
            full_name=full_name,
            org_unit=commune,
            birth_year=birth_year,
            gender=gender,
            ethnic_group=jrai,
            target_groups=TargetGroup.objects.filter(code=group),
        )
        new.user.set_password(password)
        new.user.save(update_fields=["password"])
        users.append(new.user)
    return users


def _mark(trainer, day, learner, status, at):
    attendance_mark(
        user=trainer,
        day=day,
        learner=learner,
        status=status,
        client_uuid=uuid.uuid5(NAMESPACE, f"{day.session_id}/{day.date}/{learner.pk}"),
        marked_at=at,
    )


def demo_classes_seed(*, password: str, commune_name: str = "Xã Ia Grai") -> None:
    User = get_user_model()
    trainer = User.objects.get(username="trainer")
    commune = OrgUnit.objects.get(name=commune_name, kind=OrgUnit.Kind.COMMUNE)
    today = timezone.localdate()
    now = timezone.now()

    if not TrainingSession.objects.filter(title=FINISHED_TITLE).exists():
        start = today - datetime.timedelta(days=21)
        session = session_create(
            user=trainer,
            course=CoursePage.objects.get(slug="tin-hoc-co-ban"),
            title=FINISHED_TITLE,
            venue=commune,
            address="Hội trường UBND xã Ia Grai",
            start_date=start,
            end_date=start + datetime.timedelta(days=3),
            capacity=30,
        )
        learners = _people(FINISHED_LEARNERS, commune=commune, password=password)
        for learner in learners:
            roster_add(user=trainer, session=session, learner=learner, account_created=True)
        days = list(session.days.all())
        for learner, present in zip(learners, FINISHED_PRESENT, strict=True):
            for n, day in enumerate(days):
                status = AttendanceStatus.PRESENT if n < present else AttendanceStatus.ABSENT
                _mark(trainer, day, learner, status, now - datetime.timedelta(days=21 - n))
        session_status_set(user=trainer, session=session, status=TrainingSession.Status.FINISHED)

    if not TrainingSession.objects.filter(title=RUNNING_TITLE).exists():
        session = session_create(
            user=trainer,
            course=CoursePage.objects.get(slug="an-toan-thong-tin"),
            title=RUNNING_TITLE,
            venue=commune,
            address="Nhà rông làng Dêr",
            start_date=today - datetime.timedelta(days=1),
            end_date=today + datetime.timedelta(days=2),
            capacity=25,
            self_checkin=True,
            checkin_mode=TrainingSession.CheckinMode.ROTATING,  # the check-in screen's code
        )
        session_status_set(user=trainer, session=session, status=TrainingSession.Status.RUNNING)
        learners = _people(RUNNING_LEARNERS, commune=commune, password=password)
        learners.append(User.objects.get(username="learner"))  # can try the self check-in
        for learner in learners:
            roster_add(user=trainer, session=session, learner=learner)
        first = session.days.first()
        for n, learner in enumerate(learners[:-1]):
            status = AttendanceStatus.ABSENT if n == 3 else AttendanceStatus.PRESENT
            _mark(trainer, first, learner, status, now - datetime.timedelta(days=1))
