"""The people behind a number, and one learner's full record for an audit.

A completion's certificate serial is that of its issued `certificates.Certificate` (a revoked
or pending one is not evidence). The serial is a correlated subquery, so neither list costs a
query per row.
"""

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import StartsWith
from django.shortcuts import get_object_or_404

from certificates.models import Certificate
from courses.models import Enrolment, LessonProgress, QuizAttempt
from people.models import OrgUnit, Profile, Scope
from people.selectors import user_is_unrestricted

from .achievement import MAX_REPLACEMENT_STEPS, Criteria, counted_facts


def _issued_certificates():
    return Certificate.objects.filter(
        enrolment=OuterRef("pk"), status=Certificate.Status.ISSUED
    ).order_by("-issued_at")


def with_certificates(qs: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotate `certificate_serial` and `certificate_issued_at` (None when there is none)."""
    certificates = _issued_certificates()
    return qs.annotate(
        certificate_serial=Subquery(certificates.values("serial")[:1]),
        certificate_issued_at=Subquery(certificates.values("issued_at")[:1]),
    )


def people_behind(criteria: Criteria, *, unit: OrgUnit, direct: bool = False) -> QuerySet:
    """The qualifying completions behind a figure: one row per completion, newest first.

    The same `CompletionFact` rows as the figure (an IN subquery), so the list and the number
    cannot disagree. With `direct`, only people registered at `unit` itself (the "directly at"
    row).
    """
    facts = counted_facts(criteria, unit_path=unit.path)
    if direct:
        facts = facts.filter(unit_path=unit.path)
    qs = Enrolment.objects.filter(pk__in=facts.values("enrolment_id"))
    return with_certificates(
        qs.select_related("user__profile__org_unit", "course").order_by("-completed_at", "pk")
    )


def audit_profiles_visible_to(user) -> QuerySet[Profile]:
    """Profiles a manager may audit: those counted for their units, so following the 2025
    reform's `replaced_by` to the unit achievement counts them at."""
    if user_is_unrestricted(user):
        return Profile.objects.all()
    if not user.is_authenticated:
        return Profile.objects.none()
    steps = [
        "org_unit" + "__replaced_by" * step + "__path"
        for step in range(MAX_REPLACEMENT_STEPS, 0, -1)
    ]
    scopes = Scope.objects.filter(user=user, role=Scope.Role.MANAGER).filter(
        StartsWith(OuterRef("effective_path"), F("org_unit__path"))
    )
    return Profile.objects.annotate(effective_path=Coalesce(*steps, F("org_unit__path"))).filter(
        Exists(scopes)
    )


def learner_audit(user, learner_id: int) -> tuple[Profile, list[Enrolment]]:
    """A learner in `user`'s manager scope with every enrolment, lesson and quiz attempt.

    Five queries whatever the learner did: the profile, their target groups, enrolments
    (with certificates), lesson progress and quiz attempts. Out of scope: 404.
    """
    profile = get_object_or_404(
        audit_profiles_visible_to(user)
        .select_related("user", "org_unit", "ethnic_group")
        .prefetch_related("target_groups"),
        user_id=learner_id,
    )
    enrolments = list(
        with_certificates(Enrolment.objects.filter(user_id=learner_id))
        .select_related("course")
        .prefetch_related(
            Prefetch(
                "lessons",
                queryset=LessonProgress.objects.select_related("lesson").order_by("lesson__path"),
            ),
            Prefetch(
                "attempts",
                queryset=QuizAttempt.objects.select_related("lesson").order_by("-submitted_at"),
            ),
        )
        .order_by("-enrolled_at", "pk")
    )
    return profile, enrolments
