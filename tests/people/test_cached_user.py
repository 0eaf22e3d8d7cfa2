"""The signed-in user comes from the cache, and every change to it still applies at once."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse

from people.auth import ModelBackend, user_cache_key
from tests.factories import make_learner

pytestmark = pytest.mark.django_db

PAGE = "courses:my_learning"  # any page that needs a signed-in user


def test_the_user_row_is_read_once(django_assert_num_queries):
    user = make_learner()
    backend = ModelBackend()
    with django_assert_num_queries(1):
        assert backend.get_user(user.pk) == user
    with django_assert_num_queries(0):
        assert backend.get_user(user.pk) == user


def test_a_password_change_signs_other_sessions_out(client):
    user = make_learner()
    client.force_login(user)
    assert client.get(reverse(PAGE)).status_code == 200  # cached now
    assert cache.get(user_cache_key(user.pk)) is not None
    user.set_password("một mật khẩu mới 2026")
    user.save()
    response = client.get(reverse(PAGE))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_deactivation_and_roles_apply_on_the_next_request(client):
    user = make_learner()
    client.force_login(user)
    client.get(reverse(PAGE))
    group = Group.objects.create(name="Người thử")
    group.user_set.add(user)  # seen from the group
    assert cache.get(user_cache_key(user.pk)) is None
    client.get(reverse(PAGE))
    user.groups.clear()  # seen from the user
    assert cache.get(user_cache_key(user.pk)) is None
    client.get(reverse(PAGE))
    get_user_model().objects.get(pk=user.pk).groups.add(group)
    assert cache.get(user_cache_key(user.pk)) is None
    client.get(reverse(PAGE))
    group.user_set.clear()
    assert cache.get(user_cache_key(user.pk)) is None
    client.get(reverse(PAGE))
    user.is_active = False
    user.save()
    response = client.get(reverse(PAGE))
    assert response.status_code == 302  # signed out


def test_a_stale_inactive_copy_is_refused():
    user = make_learner()
    user.is_active = False
    cache.set(user_cache_key(user.pk), user)  # e.g. written before a save that raced it
    assert ModelBackend().get_user(user.pk) is None


def test_sessions_from_before_the_upgrade_stay_signed_in(client):
    user = make_learner()
    client.force_login(user, backend="people.auth.ModelBackend")
    session = client.session
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    assert client.get(reverse(PAGE)).status_code == 200
    assert client.session[BACKEND_SESSION_KEY] == "people.auth.ModelBackend"
