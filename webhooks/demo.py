"""Demo data of the webhooks room for `seed_demo`: a subscription to every event, pointing
nowhere and switched off, to show in the admin how one is set up."""

from .models import Event, Subscription

DEMO_SUBSCRIPTION = "Hệ thống nhân sự tỉnh Gia Lai (demo, tắt)"


def demo_webhooks_seed() -> str:
    _subscription, created = Subscription.objects.get_or_create(
        name=DEMO_SUBSCRIPTION,
        defaults={
            "url": "http://127.0.0.1:9/hocso-webhooks",  # the discard port: nothing listens
            "events": list(Event.values),
            "is_active": False,
        },
    )
    return f"Webhook subscription '{DEMO_SUBSCRIPTION}' {'created' if created else 'kept'} (off)."
