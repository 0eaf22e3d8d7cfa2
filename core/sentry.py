"""Optional error reporting to Sentry (or a compatible server), configured from settings."""


def sentry_init(dsn: str, *, environment: str = "production", traces: float = 0.0) -> bool:
    """Errors (and, when `traces` > 0, a sample of request timings) to a Sentry server or a
    compatible one (GlitchTip, self-hosted Sentry) when a DSN is configured (SENTRY_DSN).
    Nothing personal is sent: no cookies, no user, no client address (`send_default_pii`
    off), and each event carries the request id that the logs carry. Returns whether it is on.
    """
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    from core.observability import request_id

    def with_request_id(event, _hint):
        event.setdefault("tags", {})["request_id"] = request_id()
        return event

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=traces,
        before_send=with_request_id,
    )
    return True
