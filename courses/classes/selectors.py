"""Reads for in-person classes, scoped in SQL by the venue's org unit.

A trainer sees (and runs) the classes held in the units they train in; a manager sees the
classes in the units they manage; an administrator sees all. Lists annotate their counts in
the same query, so a page costs the same whatever the number of classes or learners.
"""

import math
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.text import nfc, search_key
from people.models import Profile, Scope
from people.selectors import filter_by_unit_scope, profile_search_condition, profiles_visible_to

from ..models import Enrolment
from ..models.classes import Attendance, AttendanceStatus, ClassMember, SessionDay, TrainingSession

SEARCH_LIMIT = 20


def sessions_visible_to(user, *, role: str | None = None) -> QuerySet[TrainingSession]:
    """Classes whose venue lies in `user`'s scopes (with `role`, scopes of that role only)."""
    return filter_by_unit_scope(
        TrainingSession.objects.all(), user, unit_path="venue__path", role=role
    )


def sessions_runnable_by(user) -> QuerySet[TrainingSession]:
    return sessions_visible_to(user, role=Scope.Role.TRAINER)


def session_list(user, *, status: str = "") -> QuerySet[TrainingSession]:
    """The class list: course title, venue name and roster size in one query."""
    # The roster size is a correlated subquery, counted only for the page's rows (a join and
    # GROUP BY would count every class's roster first); the course title is read as a value,
    # without building the Wagtail page object behind it.
    members = (
        ClassMember.objects.filter(session=OuterRef("pk"))
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        sessions_visible_to(user)
        .select_related("venue")
        .annotate(
            member_count=Coalesce(Subquery(members), 0),
            course_title=F("course__title"),
        )
        .order_by("-start_date", "-pk")
    )
    if status in TrainingSession.Status.values:
        qs = qs.filter(status=status)
    return qs


@dataclass
class RosterRow:
    member: ClassMember
    profile: Profile | None
    present: int
    enrolment_status: str | None
    share: int


def session_roster(session: TrainingSession) -> list[RosterRow]:
    """Roster with each learner's profile, days present and enrolment status (two queries)."""
    days = session.days.count()
    members = (
        ClassMember.objects.filter(session=session)
        .select_related("user__profile__org_unit")
        .annotate(
            present=Count(
                "user__attendance",
                filter=Q(
                    user__attendance__day__session=session,
                    user__attendance__status=AttendanceStatus.PRESENT,
                ),
            ),
            enrolment_status=Subquery(
                Enrolment.objects.filter(user=OuterRef("user"), course=session.course_id).values(
                    "status"
                )[:1]
            ),
        )
        .order_by("user__profile__full_name", "user__username")
    )
    rows = []
    for member in members:
        profile = getattr(member.user, "profile", None)
        rows.append(
            RosterRow(
                member=member,
                profile=profile,
                present=member.present,
                enrolment_status=member.enrolment_status,
                share=round(100 * member.present / days) if days else 0,
            )
        )
    return rows


def _display_name(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.display_name if profile is not None else user.get_username()


def day_sheet(day: SessionDay) -> list[dict]:
    """Every roster learner with their current status for `day` (one query)."""
    status = Attendance.objects.filter(day=day, learner=OuterRef("user")).values("status")[:1]
    members = (
        ClassMember.objects.filter(session_id=day.session_id)
        .select_related("user__profile")
        .annotate(status=Subquery(status))
        .order_by("user__profile__full_name", "user__username")
    )
    return [
        {
            "user_id": m.user_id,
            "name": _display_name(m.user),
            "username": m.user.get_username(),
            "status": m.status or "",
        }
        for m in members
    ]


def learner_search(user, query: str, *, session: TrainingSession) -> list[Profile]:
    """People a trainer may add to a class: in their scope, by name, username, phone or unit."""
    query = nfc(query)[:100]
    if len(query) < 2:
        return []
    condition = profile_search_condition(query) | Q(
        org_unit__search_name__contains=search_key(query)
    )
    return list(
        profiles_visible_to(user, role=Scope.Role.TRAINER)
        .filter(condition)
        .exclude(user__class_memberships__session=session)
        .select_related("user", "org_unit")
        .order_by("full_name", "pk")[:SEARCH_LIMIT]
    )


@dataclass
class LearnerClass:
    """One in-person class on a learner's roster, with their attendance so far."""

    session: TrainingSession
    days: int  # class days scheduled
    present: int  # days the learner was marked present
    needed: int  # days present the course's class rule asks for

    @property
    def enough(self) -> bool:
        return self.days > 0 and self.present >= self.needed


def learner_classes(user) -> list[LearnerClass]:
    """The classes `user` is on the roster of, newest first, with days and attendance: one
    query whatever the number of classes (both counts are filtered aggregates)."""
    if not user.is_authenticated:
        return []
    sessions = (
        TrainingSession.objects.filter(members__user=user)
        .select_related("course", "venue")
        .annotate(
            day_count=Count("days", distinct=True),
            present_count=Count(
                "days__attendance",
                filter=Q(
                    days__attendance__learner=user,
                    days__attendance__status=AttendanceStatus.PRESENT,
                ),
                distinct=True,
            ),
        )
        .order_by("-start_date", "-pk")
    )
    return [
        LearnerClass(
            session=session,
            days=session.day_count,
            present=session.present_count,
            needed=math.ceil(session.course.class_min_attendance * session.day_count),
        )
        for session in sessions
    ]
