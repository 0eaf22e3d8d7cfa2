"""Keeping `CompletionFact` in step with completions, profiles and the unit tree.

Every write here derives rows from the source tables with one INSERT ... SELECT built from the
same expressions the live count uses (`achievement.effective_unit_path`), for a set of
enrolments or users; refreshing is delete-then-insert, so running it twice changes nothing.
The receivers in `targets.signals` call these inside the transaction that changed the source,
so a reader never sees a completion without its rows (or a moved learner at both units). Each
write then refreshes the `TargetAchiever` rows of the people it touched
(`targets.services.achievers`), which are derived from these.
"""

from django.db import transaction
from django.db.models import BooleanField, Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from core.db import insert_from_select
from courses.models import Enrolment
from people.models import OrgUnit, Profile

from ..models import CompletionFact
from ..selectors.achievement import effective_unit_path
from ..selectors.population import KINH
from .achievers import achievers_for_users, achievers_rebuild

COLUMNS = (
    "enrolment_id",
    "user_id",
    "course_id",
    "target_group_id",
    "ethnic_group_id",
    "minority",
    "gender",
    "unit_path",
    "completed_at",
)


def _source(enrolments: QuerySet[Enrolment]):
    """One row per (completion with evidence, target group of its learner), as COLUMNS."""
    return (
        enrolments.with_evidence()
        .filter(user__profile__target_groups__isnull=False)
        .annotate(
            f_enrolment=F("pk"),
            f_user=F("user_id"),
            f_course=F("course_id"),
            f_group=F("user__profile__target_groups"),
            f_ethnic=F("user__profile__ethnic_group_id"),
            f_minority=Case(
                When(
                    Q(user__profile__ethnic_group__isnull=False)
                    & ~Q(user__profile__ethnic_group__code=KINH),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
            # A learner without a unit: unit_path NULL from the join becomes "" (counted
            # nowhere); no gender: "".
            f_gender=Coalesce(F("user__profile__gender"), Value(""), output_field=CharField()),
            f_unit=Coalesce(effective_unit_path(), Value(""), output_field=CharField()),
            f_completed=F("completed_at"),
        )
        .values(
            "f_enrolment",
            "f_user",
            "f_course",
            "f_group",
            "f_ethnic",
            "f_minority",
            "f_gender",
            "f_unit",
            "f_completed",
        )
        .order_by()
    )


def _insert(enrolments: QuerySet[Enrolment]) -> int:
    """INSERT ... SELECT the rows of `enrolments`."""
    return insert_from_select(CompletionFact, COLUMNS, _source(enrolments))


@transaction.atomic
def completion_facts_for_enrolment(*, enrolment_id: int) -> int:
    """(Re)write the rows of one enrolment: called when it completes or gains evidence."""
    CompletionFact.objects.filter(enrolment_id=enrolment_id).delete()
    written = _insert(Enrolment.objects.filter(pk=enrolment_id))
    achievers_for_users(
        user_ids=Enrolment.objects.filter(pk=enrolment_id).values_list("user_id", flat=True)
    )
    return written


@transaction.atomic
def completion_facts_for_users(*, user_ids) -> int:
    """(Re)write every row of these learners: after a change of unit, ethnic group, gender or
    target groups."""
    user_ids = list(user_ids)
    if not user_ids:
        return 0
    CompletionFact.objects.filter(user_id__in=user_ids).delete()
    written = _insert(Enrolment.objects.filter(user_id__in=user_ids))
    achievers_for_users(user_ids=user_ids)
    return written


def users_counted_through(unit: OrgUnit) -> QuerySet:
    """Learners whose effective unit goes through `unit`: registered there, or at a unit it
    replaced (up to the steps the count follows)."""
    from people.selectors import MAX_REPLACEMENT_STEPS

    condition = Q(org_unit=unit)
    for step in range(1, MAX_REPLACEMENT_STEPS + 1):
        condition |= Q(**{"org_unit" + "__replaced_by" * step: unit})
    return Profile.objects.filter(condition).values("user_id")


@transaction.atomic
def completion_facts_for_unit(*, unit: OrgUnit) -> int:
    """(Re)write the rows of learners counted through `unit` (its `replaced_by` changed)."""
    users = users_counted_through(unit)
    CompletionFact.objects.filter(user_id__in=users).delete()
    written = _insert(Enrolment.objects.filter(user_id__in=users))
    achievers_for_users(user_ids=users)
    return written


@transaction.atomic
def completion_facts_rebuild(*, achievers: bool = True) -> int:
    """Delete every row and derive them again from scratch, then the achievers from them
    (`achievers=False`: the facts alone, for the migration that created them); returns how
    many facts."""
    CompletionFact.objects.all().delete()
    written = _insert(Enrolment.objects.all())
    if achievers:
        achievers_rebuild()
    return written
