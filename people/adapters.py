"""django-allauth wiring: every new account gets a profile and goes to the profile form; a
sign-in lands where the person's work is (see `people.views.landing_url`)."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.validators import ASCIIUsernameValidator
from django.urls import reverse

from .services import profile_get_or_create

# ACCOUNT_USERNAME_VALIDATORS: no diacritics in usernames (the sign-up form says so), so a
# learner can type theirs on any keyboard and "trần" and "tran" are not two people.
USERNAME_VALIDATORS = [ASCIIUsernameValidator()]


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            profile_get_or_create(user=user)
        return user

    def get_login_redirect_url(self, request):
        from .views import landing_url

        return landing_url(request)

    def get_signup_redirect_url(self, request):
        return reverse("people:profile_edit") + "?welcome=1"
