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


@shared_task(name="courses.tasks.xapi_forward", soft_time_limit=300, time_limit=360)
def xapi_forward() -> int:
    """Send the statements waiting for the external LRS (beat, every minute). Idempotent:
    a batch is locked while it is sent and marked sent in the same transaction."""
    from .xapi.forwarding import xapi_forward_run

    run = xapi_forward_run()
    if run.sent or run.error:
        logger.info(
            "xAPI forwarded %s statements%s", run.sent, f" ({run.error})" if run.error else ""
        )
    return run.sent


@shared_task(
    name="courses.tasks.reminders_send",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=600,
    time_limit=660,
)
def reminders_send() -> dict:
    """Every hour (beat): class days tomorrow and course deadlines (courses.reminders).
    Idempotent: each reminder has a key that notify stores once per person, so a repeated or
    redelivered run tells nobody twice."""
    from .reminders import reminders_send as send

    return send()
