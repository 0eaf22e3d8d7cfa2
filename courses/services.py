"""Writes about learning: enrolment, lesson progress, completion (quizzes: `courses.quiz`).

Every function is keyword-only, runs in one transaction, validates before it writes and
raises `ValidationError` with a message for the learner when the input is wrong (nothing is
written then). Completion goes through `enrolment_progress_update` whatever completed the
last lesson, so online completion and (later) in-person classes share one path.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CoursePage, Enrolment, LessonPage, LessonProgress, QuizAttempt
from .signals import course_completed
from .translation import sources


def course_of_lesson(lesson: LessonPage) -> CoursePage:
    """The course a lesson belongs to (its parent page), or 404-worthy DoesNotExist."""
    return CoursePage.objects.get(path=lesson.path[: -LessonPage.steplen])


@transaction.atomic
def enrolment_create(
    *,
    user,
    course: CoursePage,
    source: str = Enrolment.Source.SELF,
    due_on: datetime.date | None = None,
) -> tuple[Enrolment, bool]:
    """Enrol `user` in a live `course`. Returns (enrolment, created); enrolling twice is a no-op
    (except that a `due_on` given again sets the deadline of the existing enrolment).

    Self-enrolment needs a complete profile (name and unit): without it the learner would be
    invisible to every training target.
    """
    if not course.live:
        raise ValidationError(_("This course is not open for enrolment."), code="not_live")
    if not sources(CoursePage.objects.filter(pk=course.pk)).exists():
        # A translation is the same course in another language: enrolment, progress and
        # certificates belong to its Vietnamese source (courses.translation).
        raise ValidationError(_("This course is not open for enrolment."), code="translation")
    if source == Enrolment.Source.SELF:
        profile = getattr(user, "profile", None)
        if profile is None or not profile.is_complete:
            raise ValidationError(
                _("Complete your profile (full name and commune) before enrolling."),
                code="profile_incomplete",
            )
    existing = Enrolment.objects.filter(user=user, course=course).first()
    if existing is not None:
        if due_on is not None and existing.due_on != due_on:
            existing.due_on = due_on
            existing.save(update_fields=["due_on", "updated_at"])
        return existing, False
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                user=user, course=course, source=source, due_on=due_on
            )
    except IntegrityError:
        # A concurrent request enrolled first: the unique constraint kept one row.
        return Enrolment.objects.get(user=user, course=course), False
    return enrolment, True


def _enrolment_for_lesson(*, user, lesson: LessonPage) -> Enrolment:
    if not lesson.live:
        raise ValidationError(_("This lesson is not published."), code="not_live")
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course")
        .filter(user=user, course__path=lesson.path[: -LessonPage.steplen])
        .first()
    )
    if enrolment is None:
        raise ValidationError(
            _("You are not enrolled in the course this lesson belongs to."), code="not_enrolled"
        )
    if not enrolment.course.live:
        raise ValidationError(_("This course is not published."), code="not_live")
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError(_("You have withdrawn from this course."), code="withdrawn")
    return enrolment


@transaction.atomic
def lesson_progress_mark_done(*, user, lesson: LessonPage) -> LessonProgress:
    """Complete a reading lesson by an explicit "mark as done". Quiz lessons need a pass."""
    enrolment = _enrolment_for_lesson(user=user, lesson=lesson)
    if lesson.has_quiz:
        raise ValidationError(
            _("This lesson is completed by passing its quiz."), code="quiz_required"
        )
    if lesson.has_required_activity:
        raise ValidationError(
            _("This lesson is completed by its H5P activities."), code="h5p_required"
        )
    progress, _created = LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    if progress.completed_at is None:
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at", "updated_at"])
        enrolment_progress_update(enrolment=enrolment)
    return progress


def assessment_evidence(*, enrolment: Enrolment) -> str:
    """ASSESSMENT when the learner passed the course's final assessment (a graded attempt on
    the server), else NONE. Browser-reported results never count here."""
    from .selectors import course_final_assessment

    final = course_final_assessment(enrolment.course)
    if (
        final is not None
        and QuizAttempt.objects.filter(enrolment=enrolment, lesson=final, passed=True).exists()
    ):
        return Enrolment.Evidence.ASSESSMENT
    return Enrolment.Evidence.NONE


def enrolment_progress_update(*, enrolment: Enrolment) -> Enrolment:
    """Recompute progress from lesson rows and complete the enrolment when the rule is met.

    Must run inside the caller's transaction. Counts happen in SQL (two queries whatever the
    course size). Completion is sticky: unpublishing a lesson later does not un-complete.
    """
    required = LessonPage.objects.live().filter(
        path__startswith=enrolment.course.path, depth=enrolment.course.depth + 1, required=True
    )
    total = required.count()
    done = LessonProgress.objects.filter(
        enrolment=enrolment, completed_at__isnull=False, lesson__in=required
    ).count()
    progress = 1.0 if total == 0 else min(1.0, done / total)
    fields = ["progress", "updated_at"]
    enrolment.progress = progress
    final = (
        LessonProgress.objects.filter(
            Q(score__isnull=False), enrolment=enrolment, lesson__in=required.filter(has_quiz=True)
        )
        .order_by("-lesson__path")
        .values_list("score", flat=True)
        .first()
    )
    if final is not None:
        enrolment.final_score = final
        fields.append("final_score")
    enrolment.save(update_fields=fields)
    if total > 0 and done >= total and enrolment.status == Enrolment.Status.ACTIVE:
        enrolment_complete(enrolment=enrolment)
    elif enrolment.status == Enrolment.Status.COMPLETED and not enrolment.evidence:
        # Completed earlier on browser-reported results; a final assessment passed since
        # (e.g. one added to the course later) supplies the evidence now.
        if assessment_evidence(enrolment=enrolment):
            enrolment_evidence_add(enrolment=enrolment, evidence=Enrolment.Evidence.ASSESSMENT)
    return enrolment


@transaction.atomic
def enrolment_complete(
    *, enrolment: Enrolment, evidence: str | None = None, hours: Decimal | None = None
) -> Enrolment:
    """Complete an enrolment and announce it (`course_completed`) inside this transaction.

    The single way an enrolment completes: online progress calls it, and so do in-person
    classes. Completing twice is a no-op, so the signal fires once per enrolment.

    `evidence` is what the server judged: online callers leave it out and it is looked up
    (a passed final assessment, else none); the classes room passes ATTENDANCE. `hours` is
    the study time that applies (default: the course's hours).
    """
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if locked.status == Enrolment.Status.COMPLETED:
        return locked
    if evidence is None:
        evidence = assessment_evidence(enrolment=enrolment)
    if evidence not in Enrolment.Evidence.values:
        raise ValidationError(_("Unknown kind of evidence."), code="invalid_evidence")
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_at = timezone.now()
    enrolment.progress = 1.0
    enrolment.evidence = evidence
    enrolment.hours = hours if hours is not None else enrolment.course.hours
    enrolment.save(
        update_fields=["status", "completed_at", "progress", "evidence", "hours", "updated_at"]
    )
    course_completed.send(sender=Enrolment, enrolment=enrolment)
    return enrolment


@transaction.atomic
def enrolment_evidence_add(
    *, enrolment: Enrolment, evidence: str, hours: Decimal | None = None
) -> Enrolment:
    """Give a completion made without evidence the evidence it has earned since (a class
    completed by attendance, a final assessment passed), and announce it again
    (`course_completed`; its receivers are idempotent), so that it now earns a certificate
    and counts toward targets. A completion that already has evidence keeps it."""
    if not evidence:
        raise ValidationError(_("Unknown kind of evidence."), code="invalid_evidence")
    locked = Enrolment.objects.select_for_update().select_related("course").get(pk=enrolment.pk)
    if locked.status != Enrolment.Status.COMPLETED or locked.evidence:
        return locked
    locked.evidence = evidence
    locked.hours = hours if hours is not None else locked.course.hours
    locked.save(update_fields=["evidence", "hours", "updated_at"])
    enrolment.evidence, enrolment.hours = locked.evidence, locked.hours
    course_completed.send(sender=Enrolment, enrolment=locked)
    return locked


def course_hours_refresh(*, course: CoursePage) -> Decimal:
    """Keep a course's printed hours in step: the trainer's override, else the minutes of its
    live required lessons. Writes the row only (no new revision)."""
    from .hours import hours_from_minutes

    if course.hours_override is not None:
        hours = course.hours_override
    else:
        minutes = (
            LessonPage.objects.live()
            .filter(path__startswith=course.path, depth=course.depth + 1, required=True)
            .aggregate(total=Sum("minutes"))["total"]
        )
        hours = hours_from_minutes(minutes or 0)
    if course.pk and course.hours != hours:
        CoursePage.objects.filter(pk=course.pk).update(hours=hours)
    course.hours = hours
    return hours


@transaction.atomic
def lesson_place_before_final(*, lesson: LessonPage, user=None) -> bool:
    """Put a newly added lesson before the course's final assessment (its last required lesson
    with a quiz, published or not), so that the final quiz stays last. A new lesson that is
    itself a required quiz stays where Wagtail put it (last): it is the new final assessment.
    Returns whether the lesson moved; the trainer can still reorder in the page explorer.
    """
    if lesson.has_quiz and lesson.required:
        return False
    final = (
        LessonPage.objects.sibling_of(lesson, inclusive=False)
        .filter(has_quiz=True, required=True, path__lt=lesson.path)
        .order_by("-path")
        .first()
    )
    if final is None:
        return False
    lesson.move(final, pos="left", user=user)
    return True


CATALOGUE_PAGE_PERMISSIONS = {
    "trainer": ["add_page", "change_page", "publish_page", "view_page"],
    "manager": ["view_page"],
}


def catalogue_permissions_grant(*, index, groups=None) -> int:
    """The role groups' page permissions on one course catalogue (`index`); returns how many
    were created. Without `groups`, the existing role groups (none before `setup_roles` first
    ran: then nothing is granted and courses.W001 says so)."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    from people.services import ROLE_GROUPS

    if groups is None:
        found = Group.objects.filter(name__in=ROLE_GROUPS.values())
        by_name = {group.name: group for group in found}
        groups = {role: by_name[name] for role, name in ROLE_GROUPS.items() if name in by_name}
    permissions = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="wagtailcore",
            codename__in={c for codes in CATALOGUE_PAGE_PERMISSIONS.values() for c in codes},
        )
    }
    created = 0
    for role, codenames in CATALOGUE_PAGE_PERMISSIONS.items():
        group = groups.get(role)
        if group is None:
            continue
        for codename in codenames:
            _, made = GroupPagePermission.objects.get_or_create(
                group=group, page=index, permission=permissions[codename]
            )
            created += made
    return created


@transaction.atomic
def authoring_roles_setup() -> dict[str, int]:
    """Give the role groups what they need in the Wagtail admin; safe to re-run.

    Trainers (people.services.ROLE_GROUPS) author courses: add, edit and publish pages under
    every course catalogue, and manage the images and documents of their unit's collection
    (courses.collections) and choose from the national one. Managers may enter the admin and
    view the courses. Returns how many permissions were created.
    """
    from django.contrib.auth.models import Group, Permission

    from people.models import Scope
    from people.services import ROLE_GROUPS

    from .models import CourseIndexPage

    created = 0
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups = {}
    for role, name in ROLE_GROUPS.items():
        groups[role], _ = Group.objects.get_or_create(name=name)
        groups[role].permissions.add(access_admin)
    for index in CourseIndexPage.objects.all():
        created += catalogue_permissions_grant(index=index, groups=groups)
    # Documents and images: per unit collections (courses.collections), not the whole site.
    from .collections import unit_collections_setup

    created += unit_collections_setup(trainers=groups[Scope.Role.TRAINER])
    from .h5p.packages import h5p_permissions_setup

    created += h5p_permissions_setup(trainers=groups[Scope.Role.TRAINER])
    # SCORM packages: trainers choose and view them; only administrators import them (code
    # that runs at our origin, courses.scorm.packages.may_upload).
    scorm_view = Permission.objects.filter(
        content_type__app_label="courses", codename="view_scormpackage"
    )
    before = groups[Scope.Role.TRAINER].permissions.count()
    groups[Scope.Role.TRAINER].permissions.add(*scorm_view)
    created += groups[Scope.Role.TRAINER].permissions.count() - before
    return {"created": created}
