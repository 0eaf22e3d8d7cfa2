"""Wiring only: settings, URLs, the Celery app, WSGI/ASGI, and the operator's endpoints
(`/health/`, `/metrics/`). No models live here; it may import any room, no room imports it."""

from .celery import app as celery_app

__all__ = ["celery_app"]
