"""The courses part of the REST API (mounted by lms.api at /api/v1/): the live catalogue,
enrolments and completions with their evidence, in-person classes and their attendance, and
bulk enrolment. Reads are scoped to the calling key's units in SQL (a learner's unit for
enrolments, the venue for classes); an object outside them is answered 404.

Bulk enrolment is idempotent: the client names each request with an `Idempotency-Key`
(header, or `idempotency_key` in the body). The same key with the same rows answers what the
first request answered, without enrolling anyone twice; the same key with other rows is a
409 problem. All rows are checked first; one bad row enrols nobody (a 422 problem lists
every bad row).
"""

import datetime
import hashlib
import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from core.api import Id, PageQuery, Problem, not_found, paginate, problem_responses
from people.apikeys import enrol_auth, read_auth
from people.models import ApiIdempotency
from people.selectors import filter_by_client_scope, profiles_visible_to_client

from .models import CoursePage, Enrolment, LessonProgress, QuizAttempt
from .models.classes import Attendance, ClassMember, SessionDay, TrainingSession
from .services import enrolment_create
from .translation import sources

router = Router(tags=["courses"], auth=read_auth)
MAX_BULK_ROWS = 1000
MAX_IDEMPOTENCY_KEY = 128
BULK_OPERATION = "enrolments.bulk"


# --- catalogue ------------------------------------------------------------------------------
class CourseOut(Schema):
    id: int
    title: str
    topic: str
    hours: float | None
    url: str


class CoursePage_(Schema):
    items: list[CourseOut]
    next: str | None


@router.get(
    "/courses",
    response={200: CoursePage_, **problem_responses()},
    summary="List live courses / Danh sách khóa học",
    description=(
        "The published courses (ids for enrolments and bulk enrolment).\n\n"
        "Các khóa học đang mở (mã dùng cho ghi danh)."
    ),
)
def course_list(request: HttpRequest, params: Query[PageQuery]):
    qs = sources(CoursePage.objects.live()).only("pk", "title", "topic", "hours", "url_path")
    page = paginate(request, qs, params, scope="courses")
    return page.as_json(
        lambda c: {
            "id": c.pk,
            "title": c.title,
            "topic": c.topic,
            "hours": float(c.hours) if c.hours is not None else None,
            "url": c.get_full_url(request) or "",  # the site's root paths: cached per request
        }
    )


# --- enrolments and completions ---------------------------------------------------------------
class EnrolmentOut(Schema):
    id: int
    learner_id: int
    course_id: int
    course_title: str
    source: str
    status: str
    progress: float
    enrolled_at: datetime.datetime
    completed_at: datetime.datetime | None
    final_score: int | None
    evidence: str  # "" | assessment | attendance
    hours: float | None


class EnrolmentPage(Schema):
    items: list[EnrolmentOut]
    next: str | None


class LessonEvidence(Schema):
    lesson_id: int
    lesson_title: str
    completed_at: datetime.datetime | None
    score: int | None


class QuizEvidence(Schema):
    lesson_id: int
    submitted_at: datetime.datetime | None
    score: int | None
    passed: bool


class AttendanceEvidence(Schema):
    class_id: int
    date: datetime.date
    status: str


class EnrolmentDetail(EnrolmentOut):
    lessons: list[LessonEvidence]
    quiz_attempts: list[QuizEvidence]
    attendance: list[AttendanceEvidence]


class EnrolmentFilter(PageQuery):
    unit: Id | None = None
    course: Id | None = None
    learner: Id | None = None
    status: str | None = None
    completed_since: datetime.datetime | None = None


def enrolments_visible_to_client(client) -> QuerySet[Enrolment]:
    return filter_by_client_scope(
        Enrolment.objects.all(), client, unit_path="user__profile__org_unit__path"
    ).annotate(course_title=F("course__title"))


def enrolment_json(e: Enrolment) -> dict:
    return {
        "id": e.pk,
        "learner_id": e.user_id,
        "course_id": e.course_id,
        "course_title": e.course_title,
        "source": e.source,
        "status": e.status,
        "progress": e.progress,
        "enrolled_at": e.enrolled_at,
        "completed_at": e.completed_at,
        "final_score": e.final_score,
        "evidence": e.evidence,
        "hours": float(e.hours) if e.hours is not None else None,
    }


def _filtered(request, qs, params: EnrolmentFilter):
    if params.unit is not None:
        from people.selectors import units_visible_to_client

        unit = units_visible_to_client(request.auth).filter(pk=params.unit).first()
        if unit is None:
            raise not_found()
        qs = qs.filter(user__profile__org_unit__path__startswith=unit.path)
    if params.course is not None:
        qs = qs.filter(course_id=params.course)
    if params.learner is not None:
        qs = qs.filter(user_id=params.learner)
    if params.status:
        qs = qs.filter(status=params.status)
    if params.completed_since is not None:
        qs = qs.filter(completed_at__gte=params.completed_since)
    return qs


@router.get(
    "/enrolments",
    response={200: EnrolmentPage, **problem_responses()},
    summary="List enrolments / Danh sách ghi danh",
    description=(
        "Enrolments of learners within the key's scope; filter by `unit`, `course`, "
        "`learner`, `status` (active, completed, withdrawn), `completed_since`.\n\n"
        "Các ghi danh của học viên trong phạm vi của khóa."
    ),
)
def enrolment_list(request: HttpRequest, params: Query[EnrolmentFilter]):
    qs = _filtered(request, enrolments_visible_to_client(request.auth), params)
    return paginate(request, qs, params, scope="enrolments").as_json(enrolment_json)


@router.get(
    "/completions",
    response={200: EnrolmentPage, **problem_responses()},
    summary="List completions with evidence / Danh sách hoàn thành có minh chứng",
    description=(
        "Completed enrolments with evidence the server judged (a passed server-graded "
        "final assessment, or a class completed by attendance): the ones that count toward "
        "targets and earn certificates. Same filters as /enrolments.\n\n"
        "Các lượt hoàn thành có minh chứng do máy chủ xác nhận (bài kiểm tra cuối đạt, "
        "hoặc lớp học hoàn thành theo điểm danh)."
    ),
)
def completion_list(request: HttpRequest, params: Query[EnrolmentFilter]):
    qs = _filtered(request, enrolments_visible_to_client(request.auth).with_evidence(), params)
    return paginate(request, qs, params, scope="completions").as_json(enrolment_json)


# --- classes ----------------------------------------------------------------------------------
class ClassOut(Schema):
    id: int
    title: str
    course_id: int
    course_title: str
    venue_id: int
    venue_name: str
    start_date: datetime.date
    end_date: datetime.date
    status: str
    member_count: int


class ClassPage(Schema):
    items: list[ClassOut]
    next: str | None


class DayAttendance(Schema):
    learner_id: int
    status: str


class ClassDay(Schema):
    date: datetime.date
    attendance: list[DayAttendance]


class ClassDetail(ClassOut):
    members: list[int]
    days: list[ClassDay]


class ClassFilter(PageQuery):
    unit: Id | None = None
    course: Id | None = None
    status: str | None = None


def classes_visible_to_client(client) -> QuerySet[TrainingSession]:
    return (
        filter_by_client_scope(TrainingSession.objects.all(), client, unit_path="venue__path")
        .select_related("venue")
        .annotate(course_title=F("course__title"), member_count=Count("members", distinct=True))
    )


def class_json(s: TrainingSession) -> dict:
    return {
        "id": s.pk,
        "title": s.title,
        "course_id": s.course_id,
        "course_title": s.course_title,
        "venue_id": s.venue_id,
        "venue_name": s.venue.name,
        "start_date": s.start_date,
        "end_date": s.end_date,
        "status": s.status,
        "member_count": s.member_count,
    }


@router.get(
    "/classes",
    response={200: ClassPage, **problem_responses()},
    summary="List in-person classes / Danh sách lớp học trực tiếp",
    description=(
        "Classes held at venues within the key's scope; filter by `unit` (venue subtree), "
        "`course`, `status`.\n\nCác lớp học trực tiếp tổ chức tại đơn vị trong phạm vi."
    ),
)
def class_list(request: HttpRequest, params: Query[ClassFilter]):
    qs = classes_visible_to_client(request.auth)
    if params.unit is not None:
        from people.selectors import units_visible_to_client

        unit = units_visible_to_client(request.auth).filter(pk=params.unit).first()
        if unit is None:
            raise not_found()
        qs = qs.filter(venue__path__startswith=unit.path)
    if params.course is not None:
        qs = qs.filter(course_id=params.course)
    if params.status:
        qs = qs.filter(status=params.status)
    return paginate(request, qs, params, scope="classes").as_json(class_json)


@router.get(
    "/classes/{class_id}",
    response={200: ClassDetail, **problem_responses()},
    summary="One class with attendance / Một lớp học và điểm danh",
    description=(
        "The class, its roster (learner ids) and each class day's attendance.\n\n"
        "Lớp học, danh sách học viên và điểm danh từng buổi."
    ),
)
def class_detail(request: HttpRequest, class_id: Id):
    session = classes_visible_to_client(request.auth).filter(pk=class_id).first()
    if session is None:
        raise not_found()
    members = list(
        ClassMember.objects.filter(session=session).order_by("user_id").values_list("user_id")
    )
    days = SessionDay.objects.filter(session=session).order_by("date")
    marks: dict[int, list] = {}
    for day_id, learner_id, status in (
        Attendance.objects.filter(day__session=session)
        .order_by("learner_id")
        .values_list("day_id", "learner_id", "status")
    ):
        marks.setdefault(day_id, []).append({"learner_id": learner_id, "status": status})
    return {
        **class_json(session),
        "members": [m[0] for m in members],
        "days": [{"date": d.date, "attendance": marks.get(d.pk, [])} for d in days],
    }


# --- bulk enrolment -----------------------------------------------------------------------------
class BulkRow(Schema):
    learner: Id
    course: Id


class BulkIn(Schema):
    rows: list[BulkRow] = Field(..., min_length=1, max_length=MAX_BULK_ROWS)
    idempotency_key: str | None = Field(None, max_length=MAX_IDEMPOTENCY_KEY)


class BulkResult(Schema):
    row: int
    learner: Id
    course: Id
    enrolment_id: int
    created: bool


class BulkOut(Schema):
    created: int
    existing: int
    results: list[BulkResult]


def _row_error(row: int, field: str, message: str) -> dict:
    return {"row": row, "field": field, "message": message}


def _bulk_validate(client, rows: list[BulkRow]) -> tuple[dict, dict]:
    """Learners (in scope) and courses (live) of the rows, or a 422 problem naming every
    bad row. Two queries whatever the number of rows."""
    learner_ids = {r.learner for r in rows}
    course_ids = {r.course for r in rows}
    users = {
        u.pk: u
        for u in get_user_model().objects.filter(
            pk__in=profiles_visible_to_client(client)
            .filter(user_id__in=learner_ids)
            .values("user_id")
        )
    }
    courses = {c.pk: c for c in sources(CoursePage.objects.live()).filter(pk__in=course_ids)}
    errors, seen = [], set()
    for number, row in enumerate(rows):
        if row.learner not in users:
            errors.append(
                _row_error(number, "learner", _("No such learner within this key's units."))
            )
        if row.course not in courses:
            errors.append(_row_error(number, "course", _("No such course open for enrolment.")))
        if (row.learner, row.course) in seen:
            errors.append(_row_error(number, "row", _("This row repeats an earlier row.")))
        seen.add((row.learner, row.course))
    if errors:
        raise Problem(
            422,
            "invalid-rows",
            _("Some rows cannot be enrolled."),
            _("Nobody was enrolled; correct the rows listed in `errors` and send them again."),
            errors=errors,
        )
    return users, courses


def _idempotency_key(request: HttpRequest, data: BulkIn) -> str:
    header = request.headers.get("Idempotency-Key", "").strip()
    body = (data.idempotency_key or "").strip()
    if header and body and header != body:
        raise Problem(
            400,
            "idempotency-key-mismatch",
            _("Two different idempotency keys."),
            _("The Idempotency-Key header and `idempotency_key` in the body differ."),
        )
    key = header or body
    if not key or len(key) > MAX_IDEMPOTENCY_KEY or not key.isprintable():
        raise Problem(
            400,
            "idempotency-key-required",
            _("An idempotency key is required."),
            _(
                "Name the request with an Idempotency-Key header (up to %(max)s printable "
                "characters), e.g. a UUID."
            )
            % {"max": MAX_IDEMPOTENCY_KEY},
        )
    return key


def _replay(response: HttpResponse, record: ApiIdempotency, digest: str):
    if record.request_hash != digest:
        raise Problem(
            409,
            "idempotency-key-reused",
            _("This idempotency key was used for another request."),
            _("Send a new key for new rows; a key may be reused only with the same rows."),
        )
    response["Idempotent-Replayed"] = "true"
    return Status(record.status, record.response)


@router.post(
    "/enrolments/bulk",
    auth=enrol_auth,
    response={200: BulkOut, 201: BulkOut, **problem_responses(400, 401, 403, 409, 422, 429)},
    summary="Enrol learners in bulk / Ghi danh hàng loạt",
    description=(
        "Enrols each (learner, course) row (source: import); needs the key's `enrol` "
        "permission. All or nothing: if any row is wrong (learner outside the key's units, "
        "course not open, a repeated row) nobody is enrolled and a 422 problem lists the "
        "rows. Idempotent: send an `Idempotency-Key` header (or `idempotency_key`); the "
        "same key with the same rows returns the first answer (header "
        "`Idempotent-Replayed: true`), the same key with other rows is a 409 problem. "
        "A learner already enrolled counts as `created: false`.\n\n"
        "Ghi danh từng dòng (học viên, khóa học); cần quyền `enrol`. Một dòng sai thì không "
        "ai được ghi danh. Gửi kèm khóa chống lặp `Idempotency-Key`: cùng khóa, cùng nội "
        "dung trả lại kết quả cũ; cùng khóa, khác nội dung bị từ chối (409)."
    ),
)
def enrolment_bulk(request: HttpRequest, response: HttpResponse, data: BulkIn):
    client = request.auth
    key = _idempotency_key(request, data)
    canonical = json.dumps([[r.learner, r.course] for r in data.rows], separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    record = ApiIdempotency.objects.filter(client=client, operation=BULK_OPERATION, key=key).first()
    if record is not None:
        return _replay(response, record, digest)
    users, courses = _bulk_validate(client, data.rows)
    try:
        with transaction.atomic():
            results = []
            for number, row in enumerate(data.rows):
                try:
                    enrolment, created = enrolment_create(
                        user=users[row.learner],
                        course=courses[row.course],
                        source=Enrolment.Source.IMPORT,
                    )
                except DjangoValidationError as exc:
                    raise Problem(
                        422,
                        "invalid-rows",
                        _("Some rows cannot be enrolled."),
                        _("Nobody was enrolled."),
                        errors=[_row_error(number, "row", " ".join(exc.messages))],
                    ) from None
                results.append(
                    {
                        "row": number,
                        "learner": row.learner,
                        "course": row.course,
                        "enrolment_id": enrolment.pk,
                        "created": created,
                    }
                )
            created = sum(1 for r in results if r["created"])
            body = {"created": created, "existing": len(results) - created, "results": results}
            status = 201 if created else 200
            ApiIdempotency.objects.create(
                client=client,
                operation=BULK_OPERATION,
                key=key,
                request_hash=digest,
                status=status,
                response=body,
            )
    except IntegrityError:
        # A concurrent request with the same key committed first: answer as it did.
        record = ApiIdempotency.objects.filter(
            client=client, operation=BULK_OPERATION, key=key
        ).first()
        if record is None:
            raise
        return _replay(response, record, digest)
    return Status(status, body)


# Registered after /enrolments/bulk: its path would match the id pattern first.
@router.get(
    "/enrolments/{enrolment_id}",
    response={200: EnrolmentDetail, **problem_responses()},
    summary="One enrolment with its evidence / Một ghi danh và minh chứng",
    description=(
        "The enrolment with its lessons, graded quiz attempts and class attendance.\n\n"
        "Ghi danh cùng tiến độ bài học, các lần làm bài kiểm tra và điểm danh."
    ),
)
def enrolment_detail(request: HttpRequest, enrolment_id: Id):
    enrolment = (
        enrolments_visible_to_client(request.auth)
        .filter(pk=enrolment_id)
        .prefetch_related(
            Prefetch(
                "lessons",
                queryset=LessonProgress.objects.annotate(lesson_title=F("lesson__title")).order_by(
                    "lesson__path"
                ),
            ),
            Prefetch(
                "attempts",
                queryset=QuizAttempt.objects.filter(state=QuizAttempt.State.SUBMITTED).order_by(
                    "submitted_at", "pk"
                ),
            ),
        )
        .first()
    )
    if enrolment is None:
        raise not_found()
    attendance = Attendance.objects.filter(
        learner_id=enrolment.user_id, day__session__course_id=enrolment.course_id
    ).values_list("day__session_id", "day__date", "status")
    return {
        **enrolment_json(enrolment),
        "lessons": [
            {
                "lesson_id": p.lesson_id,
                "lesson_title": p.lesson_title,
                "completed_at": p.completed_at,
                "score": p.score,
            }
            for p in enrolment.lessons.all()
        ],
        "quiz_attempts": [
            {
                "lesson_id": a.lesson_id,
                "submitted_at": a.submitted_at,
                "score": a.score,
                "passed": a.passed,
            }
            for a in enrolment.attempts.all()
        ],
        "attendance": [
            {"class_id": session, "date": day, "status": status}
            for session, day, status in attendance.order_by("day__date", "day__session_id")
        ],
    }
