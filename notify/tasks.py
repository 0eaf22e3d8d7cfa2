"""Celery tasks of the notify room: thin wrappers around the services."""

from celery import shared_task

from . import services


def backoff(attempts: int) -> int:
    """Seconds before the next try: 30 s, 2 min, 8 min, 32 min (capped at an hour)."""
    return min(30 * 4 ** max(attempts - 1, 0), 3600)


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=30, time_limit=60)
def delivery_send_task(delivery_id: int) -> str:
    """Send one delivery; a failed attempt queues the next one with a growing delay until
    the delivery's attempts run out (then it stays "failed", with its last error).

    The next attempt is a new message rather than `self.retry()`: the row counts the
    attempts (so a redelivered message never adds one), and Celery's eager mode (tests,
    `make run` without a broker) runs it the same way.
    """
    status = services.delivery_send(delivery_id=delivery_id)
    if status == "pending":
        from .models import Delivery

        attempts = Delivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True)
        delivery_send_task.apply_async(args=[delivery_id], countdown=backoff(attempts.first() or 1))
    return status


@shared_task(ignore_result=True)
def deliveries_sweep() -> int:
    """Every few minutes (Celery beat): deliveries nobody sent."""
    return services.deliveries_sweep()
