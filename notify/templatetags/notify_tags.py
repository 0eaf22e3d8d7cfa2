from django import template

from ..selectors import unread_count_cached

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context):
    """The signed-in person's unread count from the cache (None: unknown, show no number)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return unread_count_cached(user) if user is not None else None
