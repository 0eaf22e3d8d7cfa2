"""Signing in refreshes the cached unread count the header shows."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="notify-unread-on-login")
def unread_on_login(sender, request, user, **kwargs):
    from .services import unread_count_refresh

    unread_count_refresh(user_id=user.pk)
