"""Reads for trainers: where H5P activities are placed and how each learner did.

Results are scoped in SQL to the learners whose unit lies in the reader's scopes
(`people.selectors.filter_by_unit_scope`); administrators see everyone.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from wagtail.models import ReferenceIndex

from people.selectors import filter_by_unit_scope

from ..models import H5PActivityProgress, H5PPackage, LessonPage


@dataclass
class PlacedActivity:
    lesson: LessonPage
    block_id: str
    package: H5PPackage


def placed_activities() -> list[PlacedActivity]:
    """Every H5P block in a lesson, from Wagtail's reference index (3 queries)."""
    refs = list(
        ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(H5PPackage),
            content_type=ContentType.objects.get_for_model(LessonPage),
            content_path__startswith="body.",
        ).values_list("object_id", "to_object_id", "content_path")
    )
    lessons = LessonPage.objects.filter(pk__in={int(r[0]) for r in refs}).only(
        "id", "title", "url_path", "path", "depth", "live"
    )
    lessons = {lesson.pk: lesson for lesson in lessons} if refs else {}
    packages = (
        {p.pk: p for p in H5PPackage.objects.filter(pk__in={int(r[1]) for r in refs})}
        if refs
        else {}
    )
    placed = []
    for object_id, to_object_id, content_path in refs:
        lesson, package = lessons.get(int(object_id)), packages.get(int(to_object_id))
        parts = content_path.split(".")
        if lesson is None or package is None or len(parts) < 2:
            continue
        placed.append(PlacedActivity(lesson, parts[1], package))
    placed.sort(key=lambda p: (p.lesson.path, p.block_id))
    return placed


def activity_results(*, user, lesson_id: int, block_id: str) -> QuerySet[H5PActivityProgress]:
    """Each learner's results on one activity, limited to `user`'s scopes (1 query)."""
    qs = (
        H5PActivityProgress.objects.filter(lesson_id=lesson_id, block_id=block_id)
        .select_related("enrolment__user__profile__org_unit")
        .order_by("enrolment__user__profile__full_name", "enrolment__user__username")
    )
    return filter_by_unit_scope(qs, user, unit_path="enrolment__user__profile__org_unit__path")
