"""Authentication backends whose signed-in user is one prepared SELECT.

Django's backends load the signed-in person on every request with
`User.objects.get(pk=...)`: the ORM builds, compiles and binds that query anew each time,
which costs more than the round trip on the busiest endpoints (an H5P activity posts an
xAPI statement on every click). Here it is `core.db.prepared_get`: the SELECT's SQL is built
once per process and database from the model's fields and bound on the server (PostgreSQL
prepares it); the row becomes a user through `Model.from_db` and the database's converters,
as the ORM's would.

It is still one query per request reading the row as it stands, so a password change (which
Django's session check relies on), a deactivation or a new role apply on the next request.
Authentication itself (username or e-mail and password) is Django's and allauth's, unchanged.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from core.db import prepared_get


def signed_in_user_get(user_id):
    """The user whose primary key is `user_id` (as the session holds it), or None."""
    return prepared_get(get_user_model(), user_id)


class PreparedUserMixin:
    def get_user(self, user_id):
        user = signed_in_user_get(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(PreparedUserMixin, DjangoModelBackend):
    """Django's username and password backend, with the prepared user lookup."""


class AuthenticationBackend(PreparedUserMixin, AllauthBackend):
    """django-allauth's backend (username or e-mail), with the prepared user lookup."""


# Backends that signed sessions in before these: a session naming one is moved to its
# successor the first time its user is read (people.middleware.AuthenticationMiddleware),
# instead of being signed out. Can go once every such session has expired
# (SESSION_COOKIE_AGE after the upgrade).
BACKEND_SUCCESSORS = {
    "django.contrib.auth.backends.ModelBackend": "people.auth.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "people.auth.AuthenticationBackend",
}
