"""people.auth: the signed-in user is one prepared SELECT, equal to the ORM's row; sessions of
the backends it replaced stay signed in and are moved over."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from people.auth import AuthenticationBackend, ModelBackend, signed_in_user_get
from tests.factories import make_learner

pytestmark = pytest.mark.django_db

MY_LEARNING = reverse("courses:my_learning")


def _signed_in(client, user, backend: str) -> str:
    """A session signed in with `backend` (a dotted path), set as the client's cookie."""
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    return store.session_key


def _stored_backend(session_key: str) -> str | None:
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")(session_key)
    return store.get(BACKEND_SESSION_KEY)


def test_the_user_equals_the_orms_row_field_by_field():
    user = make_learner(username="nguyễn.hương")
    user.first_name, user.last_name = "Hương", "Nguyễn"
    user.last_login = timezone.now()
    user.is_staff = True
    user.save()
    expected = get_user_model().objects.get(pk=user.pk)
    got = signed_in_user_get(user.pk)
    assert type(got) is type(expected)
    for field in expected._meta.concrete_fields:
        assert getattr(got, field.attname) == getattr(expected, field.attname), field.name
        assert type(getattr(got, field.attname)) is type(getattr(expected, field.attname))
    assert got.last_login.tzinfo is not None  # aware, as the ORM gives it (SQLite converted)
    assert got._state.adding is False and got._state.db == "default"
    got.first_name = "Hà"
    got.save()  # a loaded row, saved as an UPDATE
    assert get_user_model().objects.get(pk=user.pk).first_name == "Hà"


def test_one_query_and_inactive_or_missing_users_are_none():
    user = make_learner()
    with CaptureQueriesContext(connection) as queries:
        assert ModelBackend().get_user(user.pk) == user
    assert len(queries) == 1 and "auth_user" in queries[0]["sql"]
    assert AuthenticationBackend().get_user(user.pk) == user
    assert ModelBackend().get_user(user.pk + 1000) is None
    user.is_active = False
    user.save()
    assert ModelBackend().get_user(user.pk) is None
    assert AuthenticationBackend().get_user(user.pk) is None


def test_signed_in_requests_use_it_and_a_new_password_still_signs_out(client):
    user = make_learner()
    client.force_login(user)
    assert client.session[BACKEND_SESSION_KEY] == "people.auth.ModelBackend"
    assert client.get(MY_LEARNING).status_code == 200
    user.set_password("một mật khẩu mới 2026")
    user.save()
    response = client.get(MY_LEARNING)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "old, new",
    [
        ("django.contrib.auth.backends.ModelBackend", "people.auth.ModelBackend"),
        (
            "allauth.account.auth_backends.AuthenticationBackend",
            "people.auth.AuthenticationBackend",
        ),
    ],
)
def test_sessions_of_replaced_backends_stay_signed_in_and_move_over(client, old, new):
    user = make_learner()
    session_key = _signed_in(client, user, old)
    response = client.get(MY_LEARNING)
    assert response.status_code == 200
    assert response.wsgi_request.user == user
    assert _stored_backend(session_key) == new
    assert client.get(MY_LEARNING).status_code == 200  # and stays signed in afterwards


def test_an_unknown_backend_is_still_signed_out(client):
    user = make_learner()
    _signed_in(client, user, "somewhere.else.Backend")
    assert client.get(MY_LEARNING).status_code == 302
