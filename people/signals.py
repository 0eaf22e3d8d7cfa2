"""Login applies the learner's preferred language (the middleware writes the cookie)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import Profile


@receiver(user_logged_in)
def apply_preferred_language(sender, request, user, **kwargs):
    if request is None:
        return
    language = Profile.objects.filter(user=user).values_list("preferred_language", flat=True)
    language = language.first()
    if language:
        request.lms_set_language = language
