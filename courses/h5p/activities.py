"""The H5P activities of a lesson, as the endpoints need them, cached per content version.

The xAPI endpoint is hit on every click in the player, so it must not load and parse a
lesson's StreamField each time: what it needs (the live lesson, its course's pass mark and
each H5P block's package, required flag and pass mark) is computed once per content version
(publishing bumps it) and kept in the versioned cache.
"""

from dataclasses import dataclass, field

from ..models import CoursePage, LessonPage


@dataclass
class Activity:
    block_id: str
    package_id: int | None
    package_uuid: str | None
    required: bool
    pass_mark: int


@dataclass
class LessonRef:
    """What the endpoints need of a lesson, small enough to unpickle on every request."""

    pk: int
    title: str
    has_quiz: bool
    restrictions: list = field(default_factory=list)  # its and its ancestors' PageViewRestriction
    # Its required SCORM blocks: the lesson completes only when they are done too.
    required_scorm: list = field(default_factory=list)


@dataclass
class LessonActivities:
    lesson: LessonRef
    course_id: int
    activities: dict[str, Activity]

    @property
    def required(self) -> list[Activity]:
        return [a for a in self.activities.values() if a.required]


def lesson_activities(lesson_id: int) -> LessonActivities | None:
    """The live lesson `lesson_id` and its H5P blocks, or None (no such live lesson)."""
    from core.middleware import versioned_get_or_set

    def find():
        lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
        if lesson is None:
            return None
        course = (
            CoursePage.objects.filter(path=lesson.path[: -LessonPage.steplen])
            .only("id", "pass_mark")
            .first()
        )
        if course is None:
            return None
        activities = {}
        for block in lesson.h5p_blocks:
            value = block.value
            package = value["package"]
            pass_mark = value["pass_mark"]
            activities[block.id] = Activity(
                block_id=block.id,
                package_id=package.pk if package else None,
                package_uuid=str(package.uuid) if package else None,
                required=bool(value["required"]) and package is not None,
                pass_mark=course.pass_mark if pass_mark is None else pass_mark,
            )
        ref = LessonRef(
            pk=lesson.pk,
            title=lesson.title,
            has_quiz=lesson.has_quiz,
            restrictions=list(lesson.get_view_restrictions()),
            required_scorm=[
                b.id for b in lesson.scorm_blocks if b.value["required"] and b.value["package"]
            ],
        )
        return LessonActivities(lesson=ref, course_id=course.pk, activities=activities)

    return versioned_get_or_set(f"h5p-activities:{lesson_id}", find)
