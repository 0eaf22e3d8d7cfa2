"""Writes for in-person classes: sessions, roster, attendance, completion.

Keyword-only, each in one transaction; bad input raises `ValidationError` with a message in
the user's language and writes nothing. Only a trainer whose scope covers the venue (or an
administrator) changes a class; managers read classes but do not run them. A learner must be
inside the trainer's scope to be put on a roster: a trainer of one commune cannot reach
another commune's people through a class.

Completion: a class completes a learner's enrolment when the course's class rule is met
(`CoursePage.class_min_attendance` of the class days present, and with
`class_requires_final_quiz` a final quiz passed online or on paper). It goes through
`courses.services.enrolment_complete`, so certificates and targets see it like any completion.
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import Scope
from people.selectors import profiles_visible_to, unit_in_scope, user_is_unrestricted

from ..models import CoursePage, Enrolment
from ..models.classes import (
    ALL_WEEKDAYS,
    ATTENDANCE_STATUSES,
    Attendance,
    AttendanceMark,
    AttendanceStatus,
    ClassMember,
    SessionDay,
    TrainingSession,
)
from ..services import enrolment_complete, enrolment_create, enrolment_evidence_add

MAX_CLASS_DAYS = 60
# A mark queued offline keeps the time it was made; a clock far off is clamped to this window.
MAX_MARK_AGE = datetime.timedelta(days=30)
PHOTO_MAX_BYTES = 10 * 1024 * 1024


def can_run(user, session: TrainingSession) -> bool:
    """A trainer whose scope covers the venue, or an administrator."""
    return unit_in_scope(user, session.venue, role=Scope.Role.TRAINER)


def _require_runner(user, session: TrainingSession) -> None:
    if not can_run(user, session):
        raise PermissionDenied(_("Only a trainer of this class's unit can change it."))


def class_dates(start_date, end_date, weekdays: str) -> list[datetime.date]:
    """The class days from start to end (inclusive) on the given weekdays."""
    return [
        day
        for n in range((end_date - start_date).days + 1)
        if str((day := start_date + datetime.timedelta(days=n)).weekday()) in weekdays
    ]


def _validate_session_fields(
    *,
    user,
    course,
    venue,
    start_date,
    end_date,
    trainers,
    weekdays=ALL_WEEKDAYS,
    checkin_mode=TrainingSession.CheckinMode.ROTATING,
) -> None:
    errors = {}
    if checkin_mode not in TrainingSession.CheckinMode.values:
        errors["checkin_mode"] = _("Choose how learners check in.")
    if not unit_in_scope(user, venue, role=Scope.Role.TRAINER):
        errors["venue"] = _("You can only hold classes within the units you train in.")
    if course is None or not course.live:
        errors["course"] = _("Choose a published course.")
    if start_date and end_date:
        if end_date < start_date:
            errors["end_date"] = _("The class cannot end before it starts.")
        elif (end_date - start_date).days + 1 > MAX_CLASS_DAYS:
            errors["end_date"] = _("A class lasts at most %(days)s days.") % {
                "days": MAX_CLASS_DAYS
            }
        elif not set(weekdays) <= set(ALL_WEEKDAYS) or not weekdays:
            errors["weekdays"] = _("Choose the days of the week the class meets.")
        elif not class_dates(start_date, end_date, weekdays):
            errors["weekdays"] = _("No class day falls between the start and end dates.")
    for trainer in trainers:
        if not unit_in_scope(trainer, venue, role=Scope.Role.TRAINER):
            errors["trainers"] = _("%(name)s is not a trainer for this unit.") % {
                "name": trainer.get_username()
            }
    if errors:
        raise ValidationError(errors)


def session_days_sync(*, session: TrainingSession) -> None:
    """One `SessionDay` per class day (the class's weekdays from start to end); other days go.

    A day that already has attendance is kept out of caution: moving the dates or weekdays
    past it is refused instead.
    """
    wanted = set(class_dates(session.start_date, session.end_date, session.weekdays))
    existing = dict(session.days.values_list("date", "pk"))
    outside = [pk for date, pk in existing.items() if date not in wanted]
    if outside and Attendance.objects.filter(day_id__in=outside).exists():
        raise ValidationError(
            {"start_date": _("Days that already have attendance cannot be left out of the class.")}
        )
    SessionDay.objects.filter(pk__in=outside).delete()
    SessionDay.objects.bulk_create(
        [SessionDay(session=session, date=date) for date in sorted(wanted - set(existing))]
    )


@transaction.atomic
def session_create(
    *,
    user,
    course: CoursePage,
    title: str,
    venue,
    start_date: datetime.date,
    end_date: datetime.date,
    address: str = "",
    capacity: int | None = None,
    trainers=(),
    self_checkin: bool = False,
    checkin_mode: str = TrainingSession.CheckinMode.ROTATING,
    weekdays: str = ALL_WEEKDAYS,
    hours_per_day: Decimal | None = None,
) -> TrainingSession:
    """Create a class at a venue in the creator's scope; the creator is one of its trainers."""
    trainers = list(trainers)
    weekdays = "".join(sorted(set(weekdays)))
    _validate_session_fields(
        user=user,
        course=course,
        venue=venue,
        start_date=start_date,
        end_date=end_date,
        trainers=trainers,
        weekdays=weekdays,
        checkin_mode=checkin_mode,
    )
    session = TrainingSession.objects.create(
        course=course,
        title=" ".join(title.split()),
        venue=venue,
        address=" ".join(address.split()),
        start_date=start_date,
        end_date=end_date,
        capacity=capacity,
        self_checkin=self_checkin,
        checkin_mode=checkin_mode,
        weekdays=weekdays,
        hours_per_day=TrainingSession.hours_per_day.field.default
        if hours_per_day is None
        else hours_per_day,
        created_by=user,
    )
    if not user_is_unrestricted(user) and user not in trainers:
        trainers.append(user)
    session.trainers.set(trainers)
    session_days_sync(session=session)
    return session


@transaction.atomic
def session_update(*, user, session: TrainingSession, trainers=None, **fields) -> TrainingSession:
    """Change a class's details; it must stay inside the editor's scope."""
    _require_runner(user, session)
    for name, value in fields.items():
        if name not in {
            "course",
            "title",
            "venue",
            "address",
            "start_date",
            "end_date",
            "capacity",
            "self_checkin",
            "checkin_mode",
            "status",
            "weekdays",
            "hours_per_day",
        }:
            raise TypeError(name)
        if name == "weekdays":
            value = "".join(sorted(set(value)))
        setattr(session, name, value)
    trainers = list(session.trainers.all()) if trainers is None else list(trainers)
    _validate_session_fields(
        user=user,
        course=session.course,
        venue=session.venue,
        start_date=session.start_date,
        end_date=session.end_date,
        trainers=trainers,
        weekdays=session.weekdays,
        checkin_mode=session.checkin_mode,
    )
    session.save()
    session.trainers.set(trainers)
    session_days_sync(session=session)
    if session.status == TrainingSession.Status.FINISHED:
        class_completion_check(session=session)
    return session


@transaction.atomic
def session_status_set(*, user, session: TrainingSession, status: str) -> TrainingSession:
    """Start, finish or cancel a class. Finishing checks every learner's completion."""
    _require_runner(user, session)
    if status not in TrainingSession.Status.values:
        raise ValidationError(_("Unknown class status."))
    session.status = status
    session.save(update_fields=["status", "updated_at"])
    if status == TrainingSession.Status.FINISHED:
        class_completion_check(session=session)
    return session


def _require_open(session: TrainingSession) -> None:
    if session.status == TrainingSession.Status.CANCELLED:
        raise ValidationError(_("This class was cancelled."), code="cancelled")


@transaction.atomic
def roster_add(
    *, user, session: TrainingSession, learner, account_created: bool = False
) -> tuple[ClassMember, bool]:
    """Put a learner on the roster and enrol them in the course (source "class").

    The learner must live or work inside the trainer's scope. Adding twice is a no-op;
    a full class (capacity) takes nobody more.
    """
    _require_runner(user, session)
    _require_open(session)
    if not profiles_visible_to(user, role=Scope.Role.TRAINER).filter(user=learner).exists():
        raise ValidationError(
            _("This person is not registered in a unit you train in."), code="out_of_scope"
        )
    member = ClassMember.objects.filter(session=session, user=learner).first()
    if member is not None:
        return member, False
    if session.capacity is not None and session.members.count() >= session.capacity:
        raise ValidationError(_("The class is full."), code="full")
    try:
        with transaction.atomic():
            member = ClassMember.objects.create(
                session=session, user=learner, added_by=user, account_created=account_created
            )
    except IntegrityError:
        return ClassMember.objects.get(session=session, user=learner), False
    enrolment_create(user=learner, course=session.course, source=Enrolment.Source.CLASS)
    return member, True


@transaction.atomic
def roster_remove(*, user, member: ClassMember) -> None:
    """Take a learner off the roster (their attendance rows go with the class days' rows)."""
    _require_runner(user, member.session)
    Attendance.objects.filter(day__session=member.session, learner=member.user).delete()
    member.delete()


def _clamp(marked_at: datetime.datetime | None) -> datetime.datetime:
    now = timezone.now()
    if marked_at is None or marked_at > now:
        return now
    return max(marked_at, now - MAX_MARK_AGE)


def _require_same_mark(known: AttendanceMark, *, day: SessionDay, learner) -> None:
    """A UUID already received names that mark: sent again for the same day and learner it is
    a resend (the first one stands); for another class, day or learner it is a different mark
    reusing the id (a client bug or a forged request) and is refused, not dropped silently."""
    if known.day_id == day.pk and known.learner_id == learner.pk:
        return
    if known.day.session_id != day.session_id:
        message = _("This mark's id was already used in another class; the mark was not saved.")
    elif known.day_id != day.pk:
        message = _("This mark's id was already used for another day; the mark was not saved.")
    else:
        message = _("This mark's id was already used for another learner; the mark was not saved.")
    raise ValidationError(message, code="uuid_conflict")


@dataclass(frozen=True)
class MarkRequest:
    """One attendance mark as a client sends it (`client_uuid` made by the client, once)."""

    day: SessionDay
    learner: object
    status: str
    client_uuid: uuid.UUID
    marked_at: datetime.datetime | None = None


@dataclass
class MarkResult:
    """What became of a `MarkRequest`: the mark (new, or the one already received under its
    id) or the reason it was refused."""

    request: MarkRequest
    mark: AttendanceMark | None = None
    created: bool = False
    error: ValidationError | None = None


def _mark_record(*, user, request: MarkRequest, source: str) -> tuple[AttendanceMark, bool]:
    """Record one mark, idempotently (no permission or completion check: the callers do)."""
    day, learner, status = request.day, request.learner, request.status
    client_uuid, marked_at = request.client_uuid, request.marked_at
    known = AttendanceMark.objects.filter(uuid=client_uuid).select_related("day").first()
    if known is not None:
        _require_same_mark(known, day=day, learner=learner)
        return known, False
    session = day.session
    _require_open(session)
    if status not in ATTENDANCE_STATUSES:
        raise ValidationError(_("Unknown attendance status."), code="bad_status")
    if not ClassMember.objects.filter(session=session, user=learner).exists():
        raise ValidationError(_("This person is not on the class roster."), code="not_member")
    marked_at = _clamp(marked_at)
    current = Attendance.objects.select_for_update().filter(day=day, learner=learner).first()
    applied = current is None or current.marked_at <= marked_at
    try:
        with transaction.atomic():
            mark = AttendanceMark.objects.create(
                uuid=client_uuid,
                day=day,
                learner=learner,
                status=status,
                source=source,
                marked_by=user,
                marked_at=marked_at,
                applied=applied,
            )
    except IntegrityError:
        # The same mark arrived twice at once; the other request recorded it.
        known = AttendanceMark.objects.select_related("day").get(uuid=client_uuid)
        _require_same_mark(known, day=day, learner=learner)
        return known, False
    if applied:
        if current is None:
            try:
                with transaction.atomic():
                    Attendance.objects.create(
                        day=day,
                        learner=learner,
                        status=status,
                        marked_by=user,
                        marked_at=marked_at,
                        client_uuid=client_uuid,
                    )
            except IntegrityError:
                # A concurrent first mark for this learner and day: apply ours over it when
                # it is newer.
                Attendance.objects.filter(
                    day=day, learner=learner, marked_at__lte=marked_at
                ).update(
                    status=status, marked_by=user, marked_at=marked_at, client_uuid=client_uuid
                )
        else:
            current.status = status
            current.marked_by = user
            current.marked_at = marked_at
            current.client_uuid = client_uuid
            current.save(update_fields=["status", "marked_by", "marked_at", "client_uuid"])
    return mark, True


@transaction.atomic
def attendance_marks_record(
    *,
    user,
    session: TrainingSession,
    marks,
    source: str = AttendanceMark.Source.TRAINER,
) -> list[MarkResult]:
    """Record attendance marks of one class, each idempotently; one `MarkResult` per mark.

    The client makes a UUID per mark: the same UUID sent again (a retry after a dropped
    connection) changes nothing; the same UUID for another class, day or learner is refused
    (`uuid_conflict`). Marks for the same (day, learner) are ordered by the time they were
    made, so a mark made earlier but delivered later does not undo a newer one. The user must
    run the class (checked once); a refused mark is reported and the others go on (each in its
    own savepoint, never half-applied); completion is checked once, for the learners newly
    marked present.
    """
    _require_runner(user, session)
    results, present = [], set()
    for request in marks:
        if request.day.session_id != session.pk:
            error = ValidationError(_("This day is not one of this class's."), code="bad_day")
            results.append(MarkResult(request, error=error))
            continue
        request.day.session = session
        try:
            with transaction.atomic():
                mark, created = _mark_record(user=user, request=request, source=source)
        except ValidationError as error:
            results.append(MarkResult(request, error=error))
            continue
        results.append(MarkResult(request, mark=mark, created=created))
        if created and mark.applied and mark.status == AttendanceStatus.PRESENT:
            present.add(request.learner)
    if present:
        class_completion_check(session=session, learners=list(present))
    return results


def attendance_mark(
    *,
    user,
    day: SessionDay,
    learner,
    status: str,
    client_uuid: uuid.UUID,
    marked_at: datetime.datetime | None = None,
    source: str = AttendanceMark.Source.TRAINER,
) -> tuple[AttendanceMark, bool]:
    """Record one attendance mark by a trainer of the class (see `attendance_marks_record`).
    Returns (mark, created); raises ValidationError when it is refused."""
    request = MarkRequest(day, learner, status, client_uuid, marked_at)
    (result,) = attendance_marks_record(
        user=user, session=day.session, marks=[request], source=source
    )
    if result.error is not None:
        raise result.error
    return result.mark, result.created


@transaction.atomic
def attendance_mark_self(*, learner, day: SessionDay) -> AttendanceMark:
    """A learner marks themselves present (self check-in, once the code is verified: see
    `courses.classes.checkin`); completion is checked at once."""
    request = MarkRequest(day, learner, AttendanceStatus.PRESENT, uuid.uuid4())
    mark, created = _mark_record(
        user=learner, request=request, source=AttendanceMark.Source.CHECKIN
    )
    if created and mark.applied:
        class_completion_check(session=day.session, learners=[learner])
    return mark


@transaction.atomic
def paper_score_set(*, user, member: ClassMember, score: int | None) -> ClassMember:
    """Enter the score of the final test taken on paper (0-100), then check completion."""
    _require_runner(user, member.session)
    if score is not None and not 0 <= score <= 100:
        raise ValidationError(_("A score is between 0 and 100."), code="bad_score")
    member.paper_score = score
    member.save(update_fields=["paper_score"])
    class_completion_check(session=member.session, learners=[member.user])
    return member


@transaction.atomic
def sheet_photo_attach(*, user, day: SessionDay, photo) -> SessionDay:
    """Attach the photo of the signed paper attendance sheet (evidence for audits)."""
    _require_runner(user, day.session)
    if photo.size > PHOTO_MAX_BYTES:
        raise ValidationError(_("The photo is larger than 10 MB."), code="too_large")
    day.sheet_photo = photo
    day.sheet_uploaded_by = user
    day.save(update_fields=["sheet_photo", "sheet_uploaded_by"])
    return day


def member_attendance(session: TrainingSession, learners=None) -> dict[int, int]:
    """Days present per learner id, counted in SQL (one query)."""
    qs = Attendance.objects.filter(day__session=session, status=AttendanceStatus.PRESENT)
    if learners is not None:
        qs = qs.filter(learner__in=learners)
    return dict(qs.values("learner").annotate(n=Count("pk")).values_list("learner", "n"))


def meets_rule(*, course: CoursePage, days: int, present: int, paper_score, online_score) -> bool:
    """The course's class rule, for one learner."""
    if days == 0 or Decimal(present) < course.class_min_attendance * days:
        return False
    if course.class_requires_final_quiz:
        scores = [s for s in (paper_score, online_score) if s is not None]
        return any(score >= course.pass_mark for score in scores)
    return True


@transaction.atomic
def class_completion_check(*, session: TrainingSession, learners=None) -> list[Enrolment]:
    """Complete the enrolments of roster learners who meet the course's class rule.

    Counts are in SQL (a fixed number of queries plus one write per completion). The
    enrolment is made with source "class" if it is missing; an active enrolment completed by
    a class takes source "class" (a learner who started online and finished in class counts
    for the class). Completion is sticky, as online.
    """
    course = session.course
    days = session.days.count()
    if days == 0:
        return []
    members = ClassMember.objects.filter(session=session).select_related("user")
    if learners is not None:
        members = members.filter(user__in=learners)
    members = list(members)
    present = member_attendance(session, [m.user_id for m in members])
    enrolments = {
        e.user_id: e
        for e in Enrolment.objects.filter(course=course, user_id__in=[m.user_id for m in members])
    }
    completed = []
    for member in members:
        enrolment = enrolments.get(member.user_id)
        if not meets_rule(
            course=course,
            days=days,
            present=present.get(member.user_id, 0),
            paper_score=member.paper_score,
            online_score=enrolment.final_score if enrolment else None,
        ):
            continue
        # The hours that apply to a class completion: the class days attended.
        hours = session.hours_per_day * present.get(member.user_id, 0)
        if enrolment is None:
            enrolment, _created = enrolment_create(
                user=member.user, course=course, source=Enrolment.Source.CLASS
            )
        if enrolment.status == Enrolment.Status.COMPLETED and not enrolment.evidence:
            # Completed online on browser-reported results only: the class supplies the
            # evidence (and the certificate) now.
            completed.append(
                enrolment_evidence_add(
                    enrolment=enrolment, evidence=Enrolment.Evidence.ATTENDANCE, hours=hours
                )
            )
            continue
        if enrolment.status != Enrolment.Status.ACTIVE:
            continue
        if enrolment.source != Enrolment.Source.CLASS:
            enrolment.source = Enrolment.Source.CLASS
            enrolment.save(update_fields=["source", "updated_at"])
        completed.append(
            enrolment_complete(
                enrolment=enrolment, evidence=Enrolment.Evidence.ATTENDANCE, hours=hours
            )
        )
    return completed
