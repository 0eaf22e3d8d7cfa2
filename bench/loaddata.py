"""Scale data for `make bench`: 10,000 learners, 50,000 enrolments, their lesson progress.

Call `load()` once Django is set up on the bench database, after `seed_demo`. Learners are
`bench-00001`...; the four demo courses get six generated companions (five lessons each, the
bodies copied from the demo lessons) because one learner can enrol once per course and
10,000 x 4 < 50,000. Rows go in with PostgreSQL COPY, in one transaction, then ANALYZE. A
second call finds the data there and returns at once.
"""

import datetime
import random
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from wagtail.blocks import StreamValue

from courses.models import CourseIndexPage, CoursePage, Enrolment, LessonPage, LessonProgress
from courses.translation import sources
from people.models import EthnicGroup, OrgUnit, Profile, TargetGroup

LEARNERS = 10_000
ENROLMENTS_PER_LEARNER = 5  # 50,000 in all
LESSONS_PER_EXTRA_COURSE = 5
USERNAME_PREFIX = "bench-"
PASSWORD = "hocso-bench"
SEED = 20260501

EXTRA_COURSES = [
    # slug, title, topic
    ("bench-dien-thoai-thong-minh", "Dùng điện thoại thông minh", "it-basics"),
    ("bench-dich-vu-cong-truc-tuyen", "Dịch vụ công trực tuyến", "digital-transformation"),
    ("bench-thanh-toan-so", "Thanh toán không dùng tiền mặt", "e-commerce"),
    ("bench-ban-hang-qua-mang", "Bán hàng nông sản qua mạng", "e-commerce"),
    ("bench-nhan-dien-tin-gia", "Nhận diện tin giả và lừa đảo", "cybersecurity"),
    ("bench-nong-nghiep-so", "Chuyển đổi số trong nông nghiệp", "digital-transformation"),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Rơ Châm", "Siu", "Ksor", "Rah Lan", "Đinh", "Puih"]
MIDDLE = ["Thị", "Văn", "Hữu", "Minh", "Ngọc", ""]
GIVEN = ["Hlin", "H'Nương", "Blơng", "Hương", "Lan", "Dũng", "Y Phôn", "Hạnh", "Thắm", "Kiên"]
# Weighted like the Central Highlands (GSO codes): Gia-rai, Kinh, Ba-na, Ê-đê, Xơ-đăng, Mnông.
ETHNIC_WEIGHTS = {"10": 30, "01": 25, "13": 18, "12": 10, "14": 5, "20": 4}


def load(*, log: Callable[[str], None] = print) -> dict[str, int]:
    """Create the scale data unless it is there already; returns the counts."""
    User = get_user_model()
    learners = User.objects.filter(username__startswith=USERNAME_PREFIX)
    enrolments = Enrolment.objects.filter(user__username__startswith=USERNAME_PREFIX)
    wanted = LEARNERS * ENROLMENTS_PER_LEARNER
    have = (learners.count(), enrolments.count())
    if have == (LEARNERS, wanted):
        log(f"scale data already loaded ({have[0]:,} learners, {have[1]:,} enrolments)")
        return counts()
    if have != (0, 0):
        raise RuntimeError(
            f"partial bench data ({have[0]} learners, {have[1]} enrolments): "
            "rerun with BENCH_RESET=1 to recreate the bench database"
        )
    with transaction.atomic():
        courses = extra_courses(log)
        rng = random.Random(SEED)
        user_ids = load_learners(rng)
        log(f"  {len(user_ids):,} learners with profiles")
        n_enrolments, n_progress = load_enrolments(rng, user_ids, courses)
        log(f"  {n_enrolments:,} enrolments, {n_progress:,} lesson progress rows")
    with connection.cursor() as cursor:
        for model in (User, Profile, Enrolment, LessonProgress):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    return counts()


def counts() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "courses": CoursePage.objects.live().count(),
        "lessons": LessonPage.objects.live().count(),
        "enrolments": Enrolment.objects.count(),
        "lesson_progress": LessonProgress.objects.count(),
    }


# --- courses ----------------------------------------------------------------------------
def extra_courses(log) -> list[CoursePage]:
    """All live courses, after adding the generated ones (published through Wagtail)."""
    index = sources(CourseIndexPage.objects).get()
    demo = [
        course
        for course in CoursePage.objects.live().child_of(index).order_by("path")
        if not course.slug.startswith("bench-")
    ]
    if not demo:
        raise RuntimeError("no demo course: run seed_demo first")
    lessons = [
        lesson
        for course in demo
        for lesson in LessonPage.objects.live().child_of(course).order_by("path")
    ]
    readings = [lesson for lesson in lessons if not lesson.has_quiz]
    quizzes = [lesson for lesson in lessons if lesson.has_quiz] or readings
    for number, (slug, title, topic) in enumerate(EXTRA_COURSES):
        if CoursePage.objects.child_of(index).filter(slug=slug).exists():
            continue
        template = demo[number % len(demo)]
        course = CoursePage(
            slug=slug,
            title=title,
            topic=topic,
            level=template.level,
            language="vi",
            hours=Decimal("3"),
            pass_mark=template.pass_mark,
            summary=f"{title}: khoá học ngắn cho người mới bắt đầu (dữ liệu thử tải).",
            description=template.description,
        )
        index.add_child(instance=course)
        course.save_revision().publish()
        # Reading lessons taken in turn from the demo courses, then a demo final quiz.
        start = number * (LESSONS_PER_EXTRA_COURSE - 1)
        picked = [
            readings[(start + n) % len(readings)] for n in range(LESSONS_PER_EXTRA_COURSE - 1)
        ] + [quizzes[number % len(quizzes)]]
        for position, source in enumerate(picked, start=1):
            lesson = LessonPage(
                slug=f"bai-{position}",
                title=f"Bài {position}. {source.title}",
                summary=source.summary,
                minutes=source.minutes,
            )
            lesson.body = StreamValue(
                LessonPage.body.field.stream_block, list(source.body.raw_data), is_lazy=True
            )
            course.add_child(instance=lesson)
            lesson.save_revision().publish()
        log(f"  course /{index.slug}/{slug}/ with {len(picked)} lessons")
    return list(CoursePage.objects.live().child_of(index).order_by("path"))


# --- learners ---------------------------------------------------------------------------
def load_learners(rng: random.Random) -> list[int]:
    User = get_user_model()
    password = make_password(PASSWORD)  # hashed once: the same for every bench learner
    now = timezone.now()
    joined = [
        now - datetime.timedelta(minutes=rng.randrange(540 * 24 * 60)) for _ in range(LEARNERS)
    ]
    usernames = [f"{USERNAME_PREFIX}{n:05d}" for n in range(1, LEARNERS + 1)]
    copy_rows(
        User,
        [
            "username",
            "password",
            "is_superuser",
            "is_staff",
            "is_active",
            "first_name",
            "last_name",
            "email",
            "date_joined",
        ],
        (
            (name, password, False, False, True, "", "", "", joined[i])
            for i, name in enumerate(usernames)
        ),
    )
    ids = dict(
        User.objects.filter(username__startswith=USERNAME_PREFIX).values_list("username", "pk")
    )
    user_ids = [ids[name] for name in usernames]

    # Where learners live: communes (and the demo villages) of the real tree, Gia Lai first.
    units = list(
        OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.COMMUNE, OrgUnit.Kind.VILLAGE]).values_list(
            "pk", "code"
        )
    )
    unit_weights = [3 if code.startswith(("52", "V52")) else 1 for _pk, code in units]
    unit_ids = rng.choices([pk for pk, _code in units], weights=unit_weights, k=LEARNERS)
    groups = dict(EthnicGroup.objects.values_list("code", "pk"))
    group_codes = list(groups)
    group_weights = [ETHNIC_WEIGHTS.get(code, 0.3) for code in group_codes]
    ethnic_ids = [groups[c] for c in rng.choices(group_codes, weights=group_weights, k=LEARNERS)]

    def profile(i: int):
        gender = rng.choices(["female", "male", "other"], weights=[52, 47, 1])[0]
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}".replace("  ", " ")
        phone = f"09{rng.randrange(10**8):08d}" if rng.random() < 0.6 else ""
        return (
            user_ids[i],
            name,
            gender,
            rng.randint(1960, 2008),
            ethnic_ids[i],
            unit_ids[i],
            phone,
            "vi" if rng.random() < 0.95 else "en",
            "",
            joined[i],
            joined[i],
        )

    copy_rows(
        Profile,
        [
            "user",
            "full_name",
            "gender",
            "birth_year",
            "ethnic_group",
            "org_unit",
            "phone",
            "preferred_language",
            "position",
            "created_at",
            "updated_at",
        ],
        (profile(i) for i in range(LEARNERS)),
    )
    profile_ids = list(
        Profile.objects.filter(user_id__in=user_ids)
        .order_by("user_id")
        .values_list("pk", flat=True)
    )
    targets = list(TargetGroup.objects.values_list("pk", flat=True))
    through = Profile.target_groups.through
    copy_rows(
        through,
        ["profile", "targetgroup"],
        (
            (profile_id, target)
            for profile_id in profile_ids
            for target in rng.sample(targets, k=min(len(targets), rng.choice([0, 1, 1, 1, 2])))
        ),
    )
    return user_ids


# --- enrolments and progress ------------------------------------------------------------
def load_enrolments(rng: random.Random, user_ids: list[int], courses: list[CoursePage]):
    """Five courses per learner (demo courses more popular) and progress that matches."""
    lessons = {
        course.pk: list(
            LessonPage.objects.live()
            .child_of(course)
            .order_by("path")
            .values_list("pk", "required", "has_quiz")
        )
        for course in courses
    }
    weights = {
        course.pk: (3.0 if not course.slug.startswith("bench-") else 1.0) for course in courses
    }
    now = timezone.now()
    enrolment_rows = []
    plans = {}  # (user, course) -> (done lessons, in progress, when)
    for user_id in user_ids:
        # Weighted sampling without replacement (Efraimidis-Spirakis keys).
        picked = sorted(weights, key=lambda pk: rng.random() ** (1 / weights[pk]))[
            -ENROLMENTS_PER_LEARNER:
        ]
        for course_id in picked:
            course_lessons = lessons[course_id]
            enrolled = now - datetime.timedelta(minutes=rng.randrange(365 * 24 * 60))
            roll = rng.random()
            if roll < 0.25:
                status, done = Enrolment.Status.COMPLETED, len(course_lessons)
            elif roll < 0.28:
                status, done = Enrolment.Status.WITHDRAWN, rng.randrange(len(course_lessons))
            else:
                status, done = Enrolment.Status.ACTIVE, rng.randrange(len(course_lessons))
            required = [pk for pk, is_required, _quiz in course_lessons if is_required]
            done_required = sum(1 for pk, *_ in course_lessons[:done] if pk in required)
            progress = 1.0 if status == "completed" else done_required / max(len(required), 1)
            updated = enrolled + datetime.timedelta(minutes=rng.randrange(1, 60 * 24 * 30))
            updated = min(updated, now)
            completed_at = updated if status == "completed" else None
            final_score = rng.randint(70, 100) if status == "completed" else None
            source = rng.choices(["self", "trainer", "import", "class"], [70, 15, 10, 5])[0]
            enrolment_rows.append(
                (
                    user_id,
                    course_id,
                    source,
                    status,
                    progress,
                    enrolled,
                    completed_at,
                    final_score,
                    # Completions carry evidence (a class, else the final quiz they scored).
                    ("attendance" if source == "class" else "assessment")
                    if status == "completed"
                    else "",
                    updated,
                )
            )
            plans[(user_id, course_id)] = (
                done,
                status == "active" and rng.random() < 0.5,
                enrolled,
            )
    copy_rows(
        Enrolment,
        [
            "user",
            "course",
            "source",
            "status",
            "progress",
            "enrolled_at",
            "completed_at",
            "final_score",
            "evidence",
            "updated_at",
        ],
        enrolment_rows,
    )
    enrolment_ids = {
        (user_id, course_id): pk
        for pk, user_id, course_id in Enrolment.objects.filter(user_id__in=user_ids).values_list(
            "pk", "user_id", "course_id"
        )
    }

    def progress_rows() -> Iterable[tuple]:
        for key, (done, started_next, enrolled) in plans.items():
            course_lessons = lessons[key[1]]
            when = enrolled
            for position, (lesson_id, _required, has_quiz) in enumerate(course_lessons):
                when = min(when + datetime.timedelta(minutes=rng.randrange(5, 4320)), now)
                if position < done:
                    score = rng.randint(70, 100) if has_quiz else None
                    attempts = rng.randint(1, 3) if has_quiz else 0
                    yield (enrolment_ids[key], lesson_id, when, score, attempts, when)
                elif position == done and started_next:
                    yield (enrolment_ids[key], lesson_id, None, None, 0, when)
                else:
                    break

    n_progress = copy_rows(
        LessonProgress,
        ["enrolment", "lesson", "completed_at", "score", "attempts", "updated_at"],
        progress_rows(),
    )
    return len(enrolment_rows), n_progress


def copy_rows(model, fields: list[str], rows: Iterable[tuple]) -> int:
    """COPY `rows` (values in `fields` order) into `model`'s table; returns the row count."""
    columns = ", ".join(f'"{model._meta.get_field(name).column}"' for name in fields)
    count = 0
    with connection.cursor() as cursor:
        # Django's cursor wraps psycopg's, which speaks COPY.
        with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count
