"""Django admin of the courses room (superusers only, see lms/urls.py)."""

from .xapi import admin  # noqa: F401  (LRS clients, xAPI forwarding)
