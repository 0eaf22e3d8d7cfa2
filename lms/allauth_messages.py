"""Sign-in and sign-up texts from django-allauth (and a few from Django), kept for the catalogue.

django-allauth ships no Vietnamese catalogue, so its form labels, error messages and flash
messages would show in English in the Vietnamese interface. Listing their exact msgids here
makes `makemessages` copy them into the project catalogue (locale/), where they are
translated; LOCALE_PATHS is searched before every app's catalogue, so these translations win
at run time. `gettext_noop` marks a plain msgid; `pgettext_lazy` and `ngettext_lazy` mark one
with a context or a plural (Django has no `pgettext_noop` or `ngettext_noop`). None of them
translates anything at import time, and nothing imports `MESSAGES`: this module exists for
`makemessages` only.

Kept here: what the sign-in, sign-up, sign-out, password-change, password-set and
password-reset flows (ACCOUNT_LOGIN_METHODS = {"username"}, email optional, no email
verification) can show and no installed catalogue translates, including a few of Django's
own messages whose msgids changed in Django 5.x and are missing from its Vietnamese
catalogue, and two whose installed Vietnamese is wrong. Left out: texts that the project's
own templates (templates/account/) replace, and texts that Django's or Wagtail's Vietnamese
catalogues already translate well ("Username", "Password", "Password (again)", "Email
address", "This field is required.", the common/numeric/similar password messages).

When django-allauth or Django is upgraded, check that each msgid below still occurs in it
(allauth/account/forms.py, adapter.py, fields.py, templates/account/messages/*.txt) and add
new ones: tests/test_i18n_pages.py shows sign-in and sign-up errors in Vietnamese.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

MESSAGES = (
    # allauth/account/forms.py: field labels (password fields also use them as placeholders).
    gettext_noop("Remember Me"),
    gettext_noop("Email"),
    gettext_noop("Current Password"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    pgettext_lazy("field label", "Login"),
    # allauth/account/fields.py: the link under the password field (log in, change password).
    gettext_noop("Forgot your password?"),
    # allauth/account/forms.py: form errors.
    gettext_noop("You must type the same password each time."),
    # allauth/account/adapter.py: DefaultAccountAdapter.error_messages used by these flows.
    gettext_noop("The username and/or password you specified are not correct."),
    gettext_noop("This account is currently inactive."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("Username can not be used. Please use other username."),
    gettext_noop("Please type your current password."),
    gettext_noop("The password reset token was invalid."),
    gettext_noop("The email address is not assigned to any user account."),
    # allauth/templates/account/messages/*.txt: flash messages after each step.
    gettext_noop("Successfully signed in as %(name)s."),
    gettext_noop("You have signed out."),
    gettext_noop("Password successfully changed."),
    gettext_noop("Password successfully set."),
    # Django's own messages missing from its Vietnamese catalogue.
    # django/contrib/auth/password_validation.py: MinimumLengthValidator (Django 5.2 msgid).
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    # django/core/validators.py: ProhibitNullCharactersValidator (every form CharField).
    gettext_noop("Null characters are not allowed."),
    # django/contrib/auth/validators.py: ASCIIUsernameValidator (ACCOUNT_USERNAME_VALIDATORS).
    gettext_noop(
        "Enter a valid username. This value may contain only unaccented lowercase a-z "
        "and uppercase A-Z letters, numbers, and @/./+/-/_ characters."
    ),
    # Translated by an installed catalogue, but wrongly: Wagtail's (which wins over Django's)
    # says "Người dùng với username này đã tồn tại." for the username-taken error of sign-up,
    # and Django's says "Nhập địa chỉ email." ("enter an email address") for an invalid one.
    gettext_noop("A user with that username already exists."),
    gettext_noop("Enter a valid email address."),
)
