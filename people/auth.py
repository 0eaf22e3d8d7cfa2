"""Authentication backends that read the signed-in user from the cache.

Django loads the user row on every request of a signed-in person; on the busiest endpoints
(the xAPI statements an H5P activity sends on every click, lesson pages) that query is a
large share of the work. These backends keep the user in the shared cache (Redis in
production) for USER_CACHE_SECONDS and drop it whenever the row or its groups and
permissions change, so a password change (which Django's session check relies on), a
deactivation or a new role apply on the next request, as before. Writes that bypass
`save()` (`QuerySet.update`) are seen within USER_CACHE_SECONDS.
"""

import logging

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

logger = logging.getLogger(__name__)

USER_CACHE_SECONDS = 300


def user_cache_key(user_id) -> str:
    return f"auth:user:{user_id}"


def user_cache_forget(user_id) -> None:
    try:
        cache.delete(user_cache_key(user_id))
    except Exception:  # the cache is down: entries expire on their own
        logger.warning("could not drop cached user %s", user_id, exc_info=True)


class CachedUserMixin:
    def get_user(self, user_id):
        key = user_cache_key(user_id)
        try:
            user = cache.get(key)
        except Exception:  # unreachable cache, or a pickle from an older model: read the row
            user = None
        if user is not None:
            return user if self.user_can_authenticate(user) else None
        user = super().get_user(user_id)
        if user is not None:
            try:
                cache.set(key, user, USER_CACHE_SECONDS)
            except Exception:
                logger.warning("could not cache user %s", user_id, exc_info=True)
        return user


class ModelBackend(CachedUserMixin, DjangoModelBackend):
    """Django's username and password backend, with the cached user."""


class AuthenticationBackend(CachedUserMixin, AllauthBackend):
    """django-allauth's backend (username, email or phone), with the cached user."""


User = get_user_model()


@receiver(post_save, sender=User, dispatch_uid="people-user-cache-save")
@receiver(post_delete, sender=User, dispatch_uid="people-user-cache-delete")
def _user_changed(sender, instance, **kwargs):
    user_cache_forget(instance.pk)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="people-user-cache-groups")
@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="people-user-cache-perms")
def _user_access_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:  # seen from the user
        if action.startswith("post_"):
            user_cache_forget(instance.pk)
        return
    # Seen from the group or permission: the users named, or all its users before a clear.
    if action in ("post_add", "post_remove"):
        user_ids = pk_set
    elif action == "pre_clear":
        lookup = "groups" if sender is User.groups.through else "user_permissions"
        user_ids = User.objects.filter(**{lookup: instance}).values_list("pk", flat=True)
    else:
        return
    for user_id in user_ids:
        user_cache_forget(user_id)
