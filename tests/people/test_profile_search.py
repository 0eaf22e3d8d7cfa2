"""Finding a person by name without Vietnamese input: the admin's profile list and a
trainer's learner search read `Profile.search_name`, kept by every save."""

import pytest
from django.urls import reverse

from people.models import Profile
from people.selectors import profile_search_condition
from tests.factories import make_admin, make_learner, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    unit = make_unit("Xã Ia Grai", parent=make_unit("Gia Lai"))
    return {
        "huong": make_learner(unit=unit, username="huong84", full_name="Nguyễn Thị Hương"),
        "dinh": make_learner(unit=unit, username="rmdinh", full_name="Rơ Mah Đinh"),
        "hblin": make_learner(unit=unit, username="hblin", full_name="Ksor H'Blin"),
    }


def found(query: str) -> set[str]:
    return set(
        Profile.objects.filter(profile_search_condition(query)).values_list(
            "user__username", flat=True
        )
    )


def test_every_save_keeps_the_search_name(people):
    profile = people["dinh"].profile
    assert profile.search_name == "ro mah dinh"
    profile.full_name = "Rơ Mah Điếu"
    profile.save(update_fields=["full_name"])  # a partial save still follows the name
    profile.refresh_from_db()
    assert profile.search_name == "ro mah dieu"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("huong", {"huong84"}),
        ("Hương", {"huong84"}),
        ("huong nguyen", {"huong84"}),  # any order
        ("NGUYEN THI", {"huong84"}),
        ("dinh", {"rmdinh"}),
        ("Đinh", {"rmdinh"}),
        ("h'blin", {"hblin"}),
        ("hblin", {"hblin"}),  # the username
        ("huong xyz", set()),  # every word must match
        ("   ", set()),
    ],
)
def test_names_are_found_with_or_without_accents(people, query, expected):
    assert found(query) == expected


def test_phone_numbers_are_found_by_their_last_digits(people):
    Profile.objects.filter(user=people["hblin"]).update(phone="0912345678")
    assert found("912 345 678") == {"hblin"}


def test_admin_profile_list_searches_without_accents(client, people):
    client.force_login(make_admin())
    page = client.get(reverse("profile:index"), {"q": "huong"}).content.decode()
    assert "Nguyễn Thị Hương" in page and "Rơ Mah Đinh" not in page


def test_raw_sql_rows_without_search_name_are_found_by_full_name(people):
    Profile.objects.filter(user=people["huong"]).update(search_name="")
    assert found("Hương") == {"huong84"}


def test_the_migration_fills_existing_rows(people, monkeypatch):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("people.migrations.0004_profile_search_name")
    monkeypatch.setattr(migration, "CHUNK", 2)  # more than one chunk
    Profile.objects.update(search_name="")
    migration.fill(apps, None)
    assert dict(Profile.objects.values_list("user__username", "search_name")) == {
        "huong84": "nguyen thi huong",
        "rmdinh": "ro mah dinh",
        "hblin": "ksor h'blin",
    }
