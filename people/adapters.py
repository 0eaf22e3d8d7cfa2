"""django-allauth wiring: every new account gets a profile and goes to the profile form."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from .services import profile_get_or_create


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            profile_get_or_create(user=user)
        return user

    def get_signup_redirect_url(self, request):
        return reverse("people:profile_edit") + "?welcome=1"
