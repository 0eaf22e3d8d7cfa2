"""Celery tasks of the targets room: thin, idempotent (a refresh overwrites the last one)."""

from celery import shared_task


@shared_task(
    name="targets.tasks.achievement_rollup_refresh",
    acks_late=True,
    soft_time_limit=600,
    time_limit=660,
)
def achievement_rollup_refresh() -> int:
    from .services.rollup import achievement_rollup_refresh as refresh

    return refresh()


@shared_task(
    name="targets.tasks.report_reminders_send",
    acks_late=True,
    soft_time_limit=300,
    time_limit=330,
)
def report_reminders_send() -> int:
    from .services.reminders import report_reminders_send as send

    return send()
