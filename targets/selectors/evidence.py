"""The people behind a number, and one learner's full record for an audit.

Certificates come from the certificates room when it is installed (the contract: a
`Certificate` per enrolment with `serial`, `status`, `issued_at`); until then the columns stay
empty. The serial is a correlated subquery, so neither list costs a query per row.
"""

from django.apps import apps
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.fields import CharField, DateTimeField
from django.shortcuts import get_object_or_404

from courses.models import Enrolment, LessonProgress, QuizAttempt
from people.models import OrgUnit, Profile, Scope
from people.selectors import profiles_visible_to

from .achievement import Criteria, qualifying_enrolments


def _issued_certificates():
    if not apps.is_installed("certificates"):  # removed at merge with the certificates room
        return None
    certificate = apps.get_model("certificates", "Certificate")
    return certificate.objects.filter(enrolment=OuterRef("pk"), status="issued").order_by(
        "-issued_at"
    )


def with_certificates(qs: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotate `certificate_serial` and `certificate_issued_at` (None when there is none)."""
    certificates = _issued_certificates()
    if certificates is None:
        return qs.annotate(
            certificate_serial=Value(None, output_field=CharField()),
            certificate_issued_at=Value(None, output_field=DateTimeField()),
        )
    return qs.annotate(
        certificate_serial=Subquery(certificates.values("serial")[:1]),
        certificate_issued_at=Subquery(certificates.values("issued_at")[:1]),
    )


def people_behind(criteria: Criteria, *, unit: OrgUnit, direct: bool = False) -> QuerySet:
    """The qualifying completions behind a figure: one row per completion, newest first.

    With `direct`, only people registered at `unit` itself (the "directly at" row).
    """
    qs = qualifying_enrolments(criteria, unit_path=unit.path)
    if direct:
        qs = qs.filter(unit_path=unit.path)
    return with_certificates(
        qs.select_related("user__profile__org_unit", "course").order_by("-completed_at", "pk")
    )


def learner_audit(user, learner_id: int) -> tuple[Profile, list[Enrolment]]:
    """A learner in `user`'s manager scope with every enrolment, lesson and quiz attempt.

    Five queries whatever the learner did: the profile, their target groups, enrolments
    (with certificates), lesson progress and quiz attempts. Out of scope: 404.
    """
    profile = get_object_or_404(
        profiles_visible_to(user, role=Scope.Role.MANAGER)
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
