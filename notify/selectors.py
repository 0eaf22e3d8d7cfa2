"""Reads of the notify room."""

from django.core.cache import cache

from .models import Notification
from .services import unread_cache_key


def notifications_of(user):
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count_cached(user) -> int | None:
    """The unread count from the cache only (no query on every page); None when unknown."""
    if not user.is_authenticated:
        return None
    return cache.get(unread_cache_key(user.pk))
