"""Receivers that keep the targets room's derived data honest.

- Cached target pages: a completion or a population change bumps the data version (after
  commit), so the next view counts again.
- `CompletionFact`: rewritten in the same transaction when a completion gains its rows (a
  completion with evidence, or evidence added later: both send `course_completed`), when a
  learner's unit, ethnic group, gender or target groups change, and when a unit is merged
  (`replaced_by` set or changed). Changes made without signals (`QuerySet.update`, raw SQL) need
  `manage.py completion_facts_rebuild`.
- The dashboard filters' reference lists (target groups, ethnic groups, courses): saving or
  deleting one bumps their version (after commit).
- `TargetAchiever`: refreshed with the facts (`targets.services.facts`), and here when a
  target's settings, courses or groups change, a course's topic changes, or an enrolment or a
  course is deleted (their facts go by cascade).
"""

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.dispatch import Signal, receiver

from courses.models import CoursePage, Enrolment
from courses.signals import course_completed
from people.models import EthnicGroup, OrgUnit, Profile, TargetGroup

from .models import Population, TrainingTarget
from .selectors.cache import data_version_bump

# A hook point other rooms listen to (webhooks): sent inside the transaction that changes an
# annual report's state (`targets.services.submissions`), with `submission`, `event` (the
# ReportEvent just written) and `version` (the ReportVersion it concerns).
report_state_changed = Signal()

PROFILE_FIELDS = {"org_unit", "org_unit_id", "ethnic_group", "ethnic_group_id", "gender"}


@receiver(course_completed, dispatch_uid="targets-completion")
def completion_bumps_version(sender, enrolment, **kwargs):
    from .services.facts import completion_facts_for_enrolment

    if enrolment.evidence:
        completion_facts_for_enrolment(enrolment_id=enrolment.pk)
    data_version_bump()


@receiver([post_save, post_delete], sender=TargetGroup, dispatch_uid="targets-ref-tg")
@receiver([post_save, post_delete], sender=EthnicGroup, dispatch_uid="targets-ref-eg")
@receiver([post_save, post_delete], sender=CoursePage, dispatch_uid="targets-ref-course")
def reference_lists_bump(sender, **kwargs):
    from .forms import reference_bump

    reference_bump()


@receiver([post_save, post_delete], sender=Population)
def population_bumps_version(sender, **kwargs):
    from .services.rollup import achievement_rollup_discard

    data_version_bump()
    achievement_rollup_discard()


@receiver(post_save, sender=Profile, dispatch_uid="targets-profile-facts")
def profile_change_moves_facts(sender, instance, created, raw=False, update_fields=None, **kw):
    """A learner moved, or their ethnic group or gender changed: their rows follow."""
    if created or raw:
        return  # a new profile has no completion yet
    if update_fields is not None and not PROFILE_FIELDS & set(update_fields):
        return
    from .services.facts import completion_facts_for_users

    completion_facts_for_users(user_ids=[instance.user_id])


@receiver(post_delete, sender=Profile, dispatch_uid="targets-profile-deleted")
def profile_delete_drops_facts(sender, instance, **kwargs):
    """Without a profile a learner is in no target group: their rows go."""
    from .models import CompletionFact
    from .services.achievers import achievers_for_users

    CompletionFact.objects.filter(user_id=instance.user_id).delete()
    achievers_for_users(user_ids=[instance.user_id])


@receiver(m2m_changed, sender=Profile.target_groups.through, dispatch_uid="targets-groups-facts")
def profile_groups_change_facts(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from .services.facts import completion_facts_for_users

    if reverse:  # a target group's members changed (instance is the TargetGroup)
        if action == "post_clear":
            from .services.facts import completion_facts_rebuild

            completion_facts_rebuild()
            return
        users = Profile.objects.filter(pk__in=pk_set or ()).values_list("user_id", flat=True)
        completion_facts_for_users(user_ids=users)
    else:
        completion_facts_for_users(user_ids=[instance.user_id])


@receiver(post_init, sender=OrgUnit, dispatch_uid="targets-unit-loaded")
def unit_remember_replacement(sender, instance, **kwargs):
    instance._targets_replaced_by_id = instance.__dict__.get("replaced_by_id")


@receiver(post_save, sender=OrgUnit, dispatch_uid="targets-unit-facts")
def unit_merge_moves_facts(sender, instance, created, raw=False, **kwargs):
    """A unit merged into another (or its successor changed): learners counted through it move."""
    if created or raw or instance.replaced_by_id == instance._targets_replaced_by_id:
        return
    from .services.facts import completion_facts_for_unit

    completion_facts_for_unit(unit=instance)
    instance._targets_replaced_by_id = instance.replaced_by_id


# --- the achievers of a target ----------------------------------------------------------------
TARGET_FIELDS = (
    "scope_unit_id",
    "ethnic_group_id",
    "any_minority",
    "gender",
    "topic",
    "reporting_year",
)


def _target_settings(instance) -> tuple:
    return tuple(instance.__dict__.get(name) for name in TARGET_FIELDS)


@receiver(post_init, sender=TrainingTarget, dispatch_uid="targets-target-loaded")
def target_remember_settings(sender, instance, **kwargs):
    instance._targets_settings = _target_settings(instance)


@receiver(post_save, sender=TrainingTarget, dispatch_uid="targets-target-achievers")
def target_change_recounts(sender, instance, created, raw=False, **kwargs):
    """A target counts other people when what it counts changes (a new one has no groups
    or courses yet: they come by `m2m_changed`)."""
    if raw or (not created and _target_settings(instance) == instance._targets_settings):
        return
    from .services.achievers import achievers_for_targets

    achievers_for_targets(target_ids=[instance.pk])
    instance._targets_settings = _target_settings(instance)


@receiver(m2m_changed, sender=TrainingTarget.courses.through, dispatch_uid="targets-courses")
@receiver(m2m_changed, sender=TrainingTarget.target_groups.through, dispatch_uid="targets-groups")
def target_lists_change_recounts(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from .services.achievers import achievers_for_targets, achievers_rebuild

    if not reverse:
        achievers_for_targets(target_ids=[instance.pk])
    elif action == "post_clear":  # a course or group cleared from every target
        achievers_rebuild()
    else:  # a course or group added to (or removed from) these targets
        achievers_for_targets(target_ids=pk_set or ())


@receiver(post_init, sender=CoursePage, dispatch_uid="targets-course-loaded")
def course_remember_topic(sender, instance, **kwargs):
    instance._targets_topic = instance.__dict__.get("topic")


@receiver(post_save, sender=CoursePage, dispatch_uid="targets-course-topic")
def course_topic_change_recounts(sender, instance, created, raw=False, **kwargs):
    """Targets on a topic count the course's completions under its new topic."""
    if created or raw or instance.topic == instance._targets_topic:
        return
    from .services.achievers import achievers_for_targets

    topics = {instance.topic, instance._targets_topic} - {"", None}
    achievers_for_targets(
        target_ids=TrainingTarget.objects.filter(topic__in=topics).values_list("pk", flat=True)
    )
    instance._targets_topic = instance.topic


@receiver(post_delete, sender=CoursePage, dispatch_uid="targets-course-deleted")
def course_delete_recounts(sender, instance, **kwargs):
    """Its completions' facts went by cascade: every target counts again (a rare event)."""
    from .services.achievers import achievers_rebuild

    achievers_rebuild()


@receiver(post_delete, sender=Enrolment, dispatch_uid="targets-enrolment-deleted")
def enrolment_delete_recounts(sender, instance, **kwargs):
    """Its facts went by cascade: the learner's first qualifying completion may change."""
    from .services.achievers import achievers_for_users

    achievers_for_users(user_ids=[instance.user_id])
