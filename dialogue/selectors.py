"""Reads of the dialogue room: who may take part, answer and moderate, in SQL.

- A course discussion is for the course's participants: learners enrolled in it (not
  withdrawn), its trainers (trainers of its in-person classes, and the course page's owner)
  and administrators.
- A public question is readable by everyone once visible; the officials for it are managers
  and trainers whose scope covers its unit (administrators everywhere; a question without a
  unit is for any manager or trainer).
- Moderators: for a question, its officials with the manager role; for a course discussion,
  the course's trainers and the managers whose scope covers the author's unit.
"""

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import StartsWith

from courses.models import CoursePage, Enrolment
from courses.models.classes import TrainingSession
from people.models import OrgUnit, Scope
from people.selectors import filter_by_unit_scope, user_has_role, user_is_unrestricted

from .models import Post, Report, Status, SurveyResponse, Thread

MANAGER = Scope.Role.MANAGER
TRAINER = Scope.Role.TRAINER
SATISFIED_FROM = 4  # 4 or 5 stars out of 5


# --- courses ---------------------------------------------------------------------------------
def course_trainer_ids(course: CoursePage) -> set[int]:
    ids = set(
        TrainingSession.objects.filter(course=course)
        .exclude(trainers=None)
        .values_list("trainers", flat=True)
    )
    if course.owner_id:
        ids.add(course.owner_id)
    return ids


def is_course_trainer(user, course: CoursePage) -> bool:
    if not user.is_authenticated:
        return False
    return (
        course.owner_id == user.pk
        or TrainingSession.objects.filter(course=course, trainers=user).exists()
    )


def can_join_course_discussion(user, course: CoursePage) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user_is_unrestricted(user) or is_course_trainer(user, course):
        return True
    return (
        Enrolment.objects.filter(user=user, course=course)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .exists()
    )


# --- officials and moderators ----------------------------------------------------------------
def _unit_in_user_scope(user, unit: OrgUnit | None, role: str | None) -> bool:
    if user_is_unrestricted(user):
        return True
    if not user.is_authenticated:
        return False
    if unit is None:
        return user_has_role(user, role)
    return filter_by_unit_scope(
        OrgUnit.objects.filter(pk=unit.pk), user, unit_path="path", role=role
    ).exists()


def is_official_for(user, thread: Thread) -> bool:
    """May `user` answer `thread` officially? Decided here, never by what a form says."""
    if thread.kind == Thread.Kind.COURSE:
        return user_is_unrestricted(user) or is_course_trainer(user, thread.course)
    return _unit_in_user_scope(user, thread.org_unit, None)


def can_moderate(user, thread: Thread) -> bool:
    if not user.is_authenticated:
        return False
    if thread.kind == Thread.Kind.COURSE and is_course_trainer(user, thread.course):
        return True
    return _unit_in_user_scope(user, thread.org_unit, MANAGER)


def can_read(user, thread: Thread) -> bool:
    """Visible questions are public; a course discussion only for its participants; a pending
    or hidden thread for its author and its moderators."""
    if thread.kind == Thread.Kind.COURSE and not can_join_course_discussion(user, thread.course):
        return False
    if thread.status == Status.VISIBLE:
        return True
    return user.is_authenticated and (thread.author_id == user.pk or can_moderate(user, thread))


def moderator_ids(thread: Thread, *, limit: int = 20) -> list[int]:
    """Who is told when something in `thread` is reported: its moderators (at most `limit`)."""
    ids: list[int] = []
    if thread.kind == Thread.Kind.COURSE:
        ids.extend(sorted(course_trainer_ids(thread.course)))
    managers = Scope.objects.filter(role=MANAGER)
    if thread.org_unit_id:
        managers = managers.filter(
            StartsWith(
                OrgUnit.objects.filter(pk=thread.org_unit_id).values("path")[:1],
                F("org_unit__path"),
            )
        )
    ids.extend(managers.values_list("user_id", flat=True).distinct().order_by("user_id")[:limit])
    if not ids:
        User = get_user_model()
        ids.extend(
            User.objects.filter(is_superuser=True, is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
    return list(dict.fromkeys(ids))[:limit]


# --- lists -----------------------------------------------------------------------------------
def public_questions(*, query: str = "") -> QuerySet[Thread]:
    qs = Thread.objects.filter(kind=Thread.Kind.QUESTION, status=Status.VISIBLE)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(body__icontains=query))
    return (
        qs.select_related("author__profile", "org_unit")
        .annotate(replies=Count("posts", filter=Q(posts__status=Status.VISIBLE)))
        .order_by("-created_at", "-pk")
    )


def course_threads(course: CoursePage, user) -> QuerySet[Thread]:
    visible = Q(status=Status.VISIBLE)
    if user.is_authenticated:
        visible |= Q(author=user)
    return (
        Thread.objects.filter(kind=Thread.Kind.COURSE, course=course)
        .filter(visible)
        .select_related("author__profile")
        .annotate(replies=Count("posts", filter=Q(posts__status=Status.VISIBLE)))
        .order_by("-created_at", "-pk")
    )


def thread_posts(thread: Thread, user, *, moderator: bool) -> QuerySet[Post]:
    qs = thread.posts.select_related("author__profile")
    if moderator:
        return qs
    visible = Q(status=Status.VISIBLE)
    if user.is_authenticated:
        visible |= Q(author=user) & ~Q(status=Status.HIDDEN)
    return qs.filter(visible)


def threads_moderated_by(user) -> QuerySet[Thread]:
    """Every thread `user` moderates, in SQL: questions and course threads by authors of
    their units (manager role), and the discussions of courses they train."""
    if user_is_unrestricted(user):
        return Thread.objects.all()
    if not user.is_authenticated:
        return Thread.objects.none()
    in_units = filter_by_unit_scope(
        Thread.objects.filter(org_unit__isnull=False),
        user,
        unit_path="org_unit__path",
        role=MANAGER,
    ).values("pk")
    no_unit = Q(org_unit__isnull=True) & Q(Exists(Scope.objects.filter(user=user, role=MANAGER)))
    trains = Q(kind=Thread.Kind.COURSE) & (
        Q(course__owner=user)
        | Exists(TrainingSession.objects.filter(course=OuterRef("course"), trainers=user))
    )
    return Thread.objects.filter(Q(pk__in=in_units) | no_unit | trains)


def moderation_queue(user) -> dict:
    """Pending threads and replies, and open reports, of the threads `user` moderates."""
    threads = threads_moderated_by(user)
    return {
        "threads": threads.filter(status=Status.PENDING).select_related("author__profile")[:50],
        "posts": Post.objects.filter(
            thread__in=threads.values("pk"), status=Status.PENDING
        ).select_related("author__profile", "thread")[:50],
        "reports": Report.objects.filter(thread__in=threads.values("pk"), resolved_at=None)
        .select_related("thread", "post", "reporter__profile")
        .order_by("created_at")[:50],
        "open_questions": threads.filter(
            kind=Thread.Kind.QUESTION, status=Status.VISIBLE, answered_at=None
        )
        .select_related("author__profile", "org_unit")
        .order_by("created_at")[:50],
    }


# --- surveys ---------------------------------------------------------------------------------
def survey_responses_visible_to(user) -> QuerySet[SurveyResponse]:
    """Managers see the responses of learners of their units."""
    return filter_by_unit_scope(
        SurveyResponse.objects.all(), user, unit_path="org_unit__path", role=MANAGER
    )


def survey_results(user, *, by: str = "course") -> list[dict]:
    """Per course (or per course and unit): responses, averages and % satisfied, one query."""
    keys = ["course_id", "course__title"]
    if by == "unit":
        keys += ["org_unit__name"]
    rows = (
        survey_responses_visible_to(user)
        .values(*keys)
        .annotate(
            responses=Count("pk"),
            satisfied=Count("pk", filter=Q(overall__gte=SATISFIED_FROM)),
            overall_avg=Avg("overall"),
            useful_avg=Avg("useful"),
            clear_avg=Avg("clear"),
        )
        .order_by(*keys[1:])
    )
    results = []
    for row in rows:
        row["satisfied_pct"] = round(100 * row["satisfied"] / row["responses"], 1)
        results.append(row)
    return results


def survey_open_for(user, course: CoursePage) -> bool:
    """A learner may answer once the course is completed, and only once."""
    if not user.is_authenticated:
        return False
    completed = Enrolment.objects.filter(
        user=user, course=course, status=Enrolment.Status.COMPLETED
    ).exists()
    return completed and not SurveyResponse.objects.filter(user=user, course=course).exists()
