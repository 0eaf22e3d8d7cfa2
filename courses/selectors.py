"""Reads about courses and learning. Query counts here are budgeted by tests; none grows with
the number of lessons or enrolments."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from wagtail.images import get_image_model

from .models import (
    CourseLanguage,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    Topic,
)

COVER_RENDITION = "fill-640x360"


def page_for_url_path(url_path: str):
    """The specific page at `url_path`, cached per content version (no query when warm).

    Every publish, unpublish, move and delete bumps the content version, so a renamed, moved
    or edited page is never served from a stale entry.
    """
    from wagtail.models import Page

    from core.middleware import versioned_get_or_set

    def find():
        page = Page.objects.filter(url_path=url_path).first()
        if page is None:
            return None
        # A live lesson of an unpublished course is not served (Wagtail's own routing
        # checks each segment; this lookup jumps straight to the page).
        steplen = Page.steplen
        ancestors = [page.path[:end] for end in range(2 * steplen, len(page.path), steplen)]
        if Page.objects.filter(path__in=ancestors, live=False).exists():
            return None
        return page.specific

    return versioned_get_or_set(f"route:{url_path}", find)


def catalogue_filters(params) -> dict:
    """Valid catalogue filters from a query dict; unknown values are ignored, not errors."""
    topic = params.get("topic", "")
    language = params.get("language", "")
    return {
        "topic": topic if topic in Topic.values else "",
        "language": language if language in CourseLanguage.values else "",
    }


def _live_lesson_count():
    lessons = (
        LessonPage.objects.live()
        .filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
        .order_by()
        .values("depth")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(lessons[:1]), 0)


def catalogue_courses(*, index, topic: str = "", language: str = "") -> QuerySet[CoursePage]:
    """Live courses under the catalogue with their lesson count and cover rendition (2 queries)."""
    qs = (
        CoursePage.objects.live()
        .child_of(index)
        .annotate(lesson_count=_live_lesson_count())
        .prefetch_related(
            Prefetch(
                "cover",
                queryset=get_image_model().objects.prefetch_renditions(COVER_RENDITION),
            )
        )
        .order_by("path")
    )
    if topic:
        qs = qs.filter(topic=topic)
    if language:
        from .translation import course_has_language

        qs = qs.filter(course_has_language(language))
    return qs


def featured_courses(*, limit: int = 3) -> QuerySet[CoursePage]:
    from .translation import sources

    return (
        sources(CoursePage.objects.live())
        .annotate(lesson_count=_live_lesson_count())
        .prefetch_related(
            Prefetch(
                "cover",
                queryset=get_image_model().objects.prefetch_renditions(COVER_RENDITION),
            )
        )
        .order_by("path")[:limit]
    )


def course_final_assessment(course: CoursePage) -> LessonPage | None:
    """The course's final assessment: its last live, required lesson with a (server-graded)
    quiz, or None when it has none (then no online completion carries evidence)."""
    return (
        LessonPage.objects.live()
        .filter(path__startswith=course.path, depth=course.depth + 1, required=True, has_quiz=True)
        .order_by("-path")
        .first()
    )


def enrolment_for(user, course: CoursePage) -> Enrolment | None:
    if not user.is_authenticated or course.pk is None:  # a course being added, in preview
        return None
    return Enrolment.objects.filter(user=user, course=course).first()


@dataclass
class OutlineItem:
    lesson: LessonPage
    number: int
    completed: bool
    score: int | None


def _live_lessons(course: CoursePage) -> list[LessonPage]:
    """The live lessons of a course in order, cached per content version."""
    from core.middleware import versioned_get_or_set

    def find():
        return list(
            LessonPage.objects.live()
            .filter(path__startswith=course.path, depth=course.depth + 1)
            .only(
                "id", "title", "slug", "url_path", "path", "depth", "minutes", "required",
                "has_quiz",
            )
            .order_by("path")
        )  # fmt: skip

    return versioned_get_or_set(f"lessons:{course.path}", find)


def course_outline(*, course: CoursePage, enrolment: Enrolment | None) -> list[OutlineItem]:
    """The live lessons of a course in order with this learner's state.

    The lessons come from the versioned cache; this learner's progress is one query (none when
    not enrolled), whatever the number of lessons.
    """
    progress = {}
    if enrolment is not None:
        progress = {
            lesson_id: (completed_at, score)
            for lesson_id, completed_at, score in LessonProgress.objects.filter(
                enrolment=enrolment
            ).values_list("lesson_id", "completed_at", "score")
        }
    items = []
    for number, lesson in enumerate(_live_lessons(course), start=1):
        completed_at, score = progress.get(lesson.pk, (None, None))
        items.append(OutlineItem(lesson, number, completed_at is not None, score))
    return items


@dataclass
class LessonView:
    course: CoursePage | None  # None only in the preview of a lesson that has no course
    enrolment: Enrolment | None
    outline: list[OutlineItem]
    current: OutlineItem | None
    previous: OutlineItem | None
    next: OutlineItem | None
    attempts: list[QuizAttempt]  # this learner's attempts at the lesson's quiz, oldest first


def lesson_view(*, lesson: LessonPage, user) -> LessonView:
    """Everything a lesson page shows around the lesson body.

    Two queries for a reading lesson when enrolled (the enrolment; this learner's progress),
    three with a quiz (this learner's attempts at it, bounded by the attempt policy); the
    course and its lessons come from the versioned cache.
    """
    from core.middleware import versioned_get_or_set

    course_path = lesson.path[: -LessonPage.steplen]
    course = versioned_get_or_set(
        f"course-at:{course_path}", lambda: CoursePage.objects.get(path=course_path)
    )
    enrolment = None
    if user.is_authenticated:
        enrolment = Enrolment.objects.filter(user=user, course_id=course.pk).first()
        if enrolment is not None:
            enrolment.course = course  # no second fetch when the template reads it
    outline = course_outline(course=course, enrolment=enrolment)
    index = next((i for i, item in enumerate(outline) if item.lesson.pk == lesson.pk), None)
    current = outline[index] if index is not None else None
    previous = outline[index - 1] if index else None
    following = outline[index + 1] if index is not None and index + 1 < len(outline) else None
    attempts = []
    if enrolment is not None and lesson.has_quiz:
        attempts = list(
            QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson).order_by("pk")
        )
    return LessonView(course, enrolment, outline, current, previous, following, attempts)


def lesson_preview_view(*, lesson: LessonPage) -> LessonView:
    """What a lesson page shows around the body in a trainer's preview (draft view, the admin's
    preview panel, the preview of a lesson not yet saved).

    The course is the parent found by path (a lesson being added has the path Wagtail gives it
    for the preview, under an existing course). The outline is the live lessons with the
    previewed one at its place in the tree, so the preview numbers it as learners will see it.
    No enrolment, progress or attempts: a preview records nothing. One query for the course
    (none when it is cached) and the live lessons from the versioned cache.
    """
    course = None
    if lesson.path and len(lesson.path) > LessonPage.steplen:
        course = CoursePage.objects.filter(path=lesson.path[: -LessonPage.steplen]).first()
    if course is None:
        return LessonView(None, None, [], OutlineItem(lesson, 1, False, None), None, None, [])
    lessons = [item for item in _live_lessons(course) if item.pk != lesson.pk or not lesson.pk]
    lessons = sorted([*lessons, lesson], key=lambda item: item.path or "")
    outline = [OutlineItem(item, n, False, None) for n, item in enumerate(lessons, start=1)]
    index = next(i for i, item in enumerate(outline) if item.lesson is lesson)
    previous = outline[index - 1] if index else None
    following = outline[index + 1] if index + 1 < len(outline) else None
    return LessonView(course, None, outline, outline[index], previous, following, [])


@dataclass
class AuthorOutline:
    lessons: list[LessonPage]  # every lesson, drafts too, in course order
    final: LessonPage | None  # the final assessment among the live lessons
    required_live: int  # live required lessons: what completion needs
    certificate: bool  # completing issues a certificate (certifying, with a final assessment)


def course_outline_for_authors(*, course: CoursePage) -> AuthorOutline:
    """The course outline a trainer sees in the admin: all lessons in order with their state
    (one query), the final assessment, and whether the course leads to a certificate."""
    lessons = list(
        LessonPage.objects.child_of(course)
        .order_by("path")
        .only(
            "id", "title", "draft_title", "path", "depth", "live", "has_unpublished_changes",
            "minutes", "required", "has_quiz",
        )
    )  # fmt: skip
    live_required_quiz = [
        lesson for lesson in lessons if lesson.live and lesson.required and lesson.has_quiz
    ]
    final = live_required_quiz[-1] if live_required_quiz else None
    return AuthorOutline(
        lessons=lessons,
        final=final,
        required_live=sum(1 for lesson in lessons if lesson.live and lesson.required),
        certificate=bool(course.certifying and final is not None),
    )


def my_enrolments(*, user) -> list[Enrolment]:
    """A learner's enrolments, unfinished first, each with `next_lesson` and `certificate`
    (4 queries in all: enrolments, their certificates, the next lessons)."""
    lesson_done = LessonProgress.objects.filter(
        lesson=OuterRef("pk"), enrolment=OuterRef(OuterRef("pk")), completed_at__isnull=False
    )
    next_lesson = (
        LessonPage.objects.live()
        .filter(path__startswith=OuterRef("course__path"), depth=OuterRef("course__depth") + 1)
        .filter(~Exists(lesson_done))
        .order_by("path")
        .values("pk")[:1]
    )
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .select_related("course")
        .annotate(next_lesson_id=Subquery(next_lesson))
        # Certificates point at enrolments (the certificates room); the reverse relation reads
        # them without courses importing that room.
        .prefetch_related("certificates")
        .order_by("status", "-updated_at")
    )
    lesson_ids = [e.next_lesson_id for e in enrolments if e.next_lesson_id]
    lessons = (
        {
            lesson.pk: lesson
            for lesson in LessonPage.objects.filter(pk__in=lesson_ids).only(
                "id", "title", "url_path", "path", "depth"
            )
        }
        if lesson_ids
        else {}
    )
    for enrolment in enrolments:
        enrolment.next_lesson = lessons.get(enrolment.next_lesson_id)
        enrolment.certificate = enrolment_certificate(enrolment)
    return enrolments


def enrolment_certificate(enrolment: Enrolment):
    """The certificate to show for an enrolment: the newest one that is not revoked, else the
    newest (to say it was revoked), else None. Uses prefetched rows when there are some."""
    certificates = sorted(enrolment.certificates.all(), key=lambda c: c.pk, reverse=True)
    for certificate in certificates:
        if certificate.status != "revoked":
            return certificate
    return certificates[0] if certificates else None


def courses_recently_edited(*, limit: int) -> list[tuple[int, str, bool, bool]]:
    """(pk, title, live, has unpublished changes) of the courses edited last (one query):
    a trainer's way back to what they were authoring."""
    from .models import CoursePage

    return list(
        CoursePage.objects.order_by("-latest_revision_created_at", "-pk").values_list(
            "pk", "title", "live", "has_unpublished_changes"
        )[:limit]
    )
