"""`unread_count` in every template: the bell in the site header.

Lazy (nothing happens on a page that does not print it, nor for anonymous visitors) and cheap:
the count comes from the cache that `notify()`, marking read and signing in keep up to date;
on a cache miss (evicted, a new cache) one COUNT query fills it again.
"""

from functools import cache


def unread_count(request):
    user = getattr(request, "user", None)

    @cache
    def count():
        if user is None or not user.is_authenticated:
            return None
        from .selectors import unread_count_cached
        from .services import unread_count_refresh

        value = unread_count_cached(user)
        if value is None:
            value = unread_count_refresh(user_id=user.pk)
        return value

    return {"unread_count": count}
