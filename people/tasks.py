"""Celery tasks of the people room: housekeeping (see `CELERY_BEAT_SCHEDULE`)."""

from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task(name="people.tasks.sessions_clear")
def sessions_clear() -> None:
    """Delete expired sessions (what `manage.py clearsessions` does), daily: without it the
    session table grows by every sign-in for ever."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
