"""Celery tasks of the courses room: housekeeping (see `CELERY_BEAT_SCHEDULE`)."""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(name="courses.tasks.xapi_statements_prune")
def xapi_statements_prune() -> int:
    """Delete raw xAPI statements older than `LMS_XAPI_RETENTION_DAYS` (0 keeps them all).
    Idempotent: a second run finds nothing left to delete."""
    from .h5p.services import xapi_statements_prune as prune

    days = settings.LMS_XAPI_RETENTION_DAYS
    if days <= 0:
        return 0
    deleted = prune(before=timezone.now() - datetime.timedelta(days=days))
    logger.info("xAPI statements older than %s days deleted: %s", days, deleted)
    return deleted
