"""Receivers that keep cached target pages honest: a completion or a population change bumps
the data version (after commit), so the next view counts again."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from courses.signals import course_completed

from .models import Population
from .selectors.cache import data_version_bump


@receiver(course_completed)
def completion_bumps_version(sender, **kwargs):
    data_version_bump()


@receiver([post_save, post_delete], sender=Population)
def population_bumps_version(sender, **kwargs):
    from .services.rollup import achievement_rollup_discard

    data_version_bump()
    achievement_rollup_discard()
