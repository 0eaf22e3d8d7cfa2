"""Wiring only: settings, URLs, the Celery app, WSGI/ASGI. No models live here."""

from .celery import app as celery_app

__all__ = ["celery_app"]
