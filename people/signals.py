"""Login applies the learner's preferred language (the middleware writes the cookie) and their
simple mode (kept in the session, so pages read it without a query); scope
changes, wherever they come from, update the user's admin groups."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Profile, Scope

SIMPLE_MODE_SESSION_KEY = "hocso_simple"


@receiver(post_save, sender=Scope)
@receiver(post_delete, sender=Scope)
def sync_roles(sender, instance, **kwargs):
    from .services import user_roles_sync

    user = get_user_model().objects.filter(pk=instance.user_id).first()
    if user is not None:  # gone when the user itself is being deleted
        user_roles_sync(user=user)


@receiver(user_logged_in)
def apply_preferred_language(sender, request, user, **kwargs):
    if request is None:
        return
    row = Profile.objects.filter(user=user).values("preferred_language", "simple_mode").first()
    if row and row["preferred_language"]:
        request.lms_set_language = row["preferred_language"]
    if row and row["simple_mode"] is not None and hasattr(request, "session"):
        request.session[SIMPLE_MODE_SESSION_KEY] = row["simple_mode"]
