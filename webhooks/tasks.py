"""Celery tasks of the webhooks room: thin, by primary key (see services)."""

from celery import shared_task
from django.utils import timezone


@shared_task(
    bind=True,
    name="webhooks.tasks.delivery_send",
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
)
def delivery_send(self, delivery_id: int) -> str:
    """Attempt one delivery; while it stays pending, try again after its backoff delay."""
    from .models import Delivery
    from .services import delivery_attempt

    while True:
        delivery = delivery_attempt(delivery_id=delivery_id)
        if delivery is None:
            return "gone"
        if delivery.status != Delivery.Status.PENDING or delivery.next_attempt_at is None:
            return delivery.status
        if self.request.is_eager:
            # No broker (development, tests): the next attempt at once, as Celery's own eager
            # retry would, until delivered or out of attempts.
            continue
        countdown = max(0, (delivery.next_attempt_at - timezone.now()).total_seconds())
        raise self.retry(countdown=countdown, max_retries=None)


@shared_task(name="webhooks.tasks.deliveries_sweep", soft_time_limit=60, time_limit=90)
def deliveries_sweep() -> int:
    from .services import deliveries_sweep as sweep

    return sweep()
