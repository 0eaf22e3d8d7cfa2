"""Profile form: commune search by name on a phone, NFC names, clear errors."""

import datetime

import pytest
from django.urls import reverse

from people.models import Profile, TargetGroup
from tests.factories import make_learner, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    gia_lai = make_unit("Gia Lai")
    dak_lak = make_unit("Đắk Lắk")
    return {
        "gia_lai": gia_lai,
        "ia_grai": make_unit("Xã Ia Grai", parent=gia_lai),
        "ia_le": make_unit("Xã Ia Le", parent=gia_lai),
        "dak_doa_1": make_unit("Xã Đắk Đoa", parent=gia_lai),
        "dak_doa_2": make_unit("Xã Đắk Đoa", parent=dak_lak),
    }


def test_commune_search_is_accent_insensitive_and_names_the_province(client, units):
    client.force_login(make_learner())
    data = client.get(reverse("people:org_unit_search"), {"q": "ia grai"}).json()
    assert [r["label"] for r in data["results"]] == ["Xã Ia Grai, Gia Lai"]
    data = client.get(reverse("people:org_unit_search"), {"q": "dak doa"}).json()
    assert sorted(r["label"] for r in data["results"]) == [
        "Xã Đắk Đoa, Gia Lai",
        "Xã Đắk Đoa, Đắk Lắk",
    ]
    assert client.get(reverse("people:org_unit_search"), {"q": "x"}).json() == {"results": []}


def test_commune_search_needs_login(client, units):
    response = client.get(reverse("people:org_unit_search"), {"q": "ia"})
    assert response.status_code == 302


def test_profile_saves_nfc_and_target_groups(client, units):
    user = make_learner(full_name="")
    client.force_login(user)
    groups = list(TargetGroup.objects.filter(code__in=["village-head", "prestigious-person"]))
    response = client.post(
        reverse("people:profile_edit"),
        {
            "full_name": "Rơ Ma\u0300 Hlin",  # "Rơ Mà Hlin" with a combining grave accent
            "org_unit_query": "Xã Ia Le",  # no JavaScript: the typed name is resolved
            "birth_year": "1975",
            "gender": "male",
            "target_groups": [g.pk for g in groups],
            "phone": "0912 345 678",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.full_name == "Rơ Mà Hlin"
    assert profile.org_unit == units["ia_le"]
    assert profile.phone == "0912345678"
    assert set(profile.target_groups.all()) == set(groups)
    # The preferred language becomes the interface language.
    assert response.cookies["django_language"].value == "en"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"org_unit_query": "Xã Đắk Đoa"}, "org_unit", "Có nhiều đơn vị tên"),
        ({"org_unit_query": "Xã Không Có"}, "org_unit", "Không có xã/phường nào tên"),
        ({"org_unit": "999999"}, "org_unit", "Đơn vị này không tồn tại"),
        ({"org_unit": "abc"}, "org_unit", "Đơn vị này không tồn tại"),
        ({"birth_year": "1850"}, "birth_year", "Nhập năm sinh"),
        ({"phone": "12345"}, "phone", "Nhập số điện thoại"),
        ({"full_name": " "}, "full_name", ""),
    ],
)
def test_profile_errors_are_clear_and_save_nothing(client, units, data, field, message):
    user = make_learner(full_name="Tên Cũ")
    client.force_login(user)
    post = {
        "full_name": "Tên Mới",
        "org_unit": str(units["ia_grai"].pk),
        "preferred_language": "vi",
        **data,
    }
    if "org_unit_query" in data:
        post.pop("org_unit")
    response = client.post(reverse("people:profile_edit"), post)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert Profile.objects.get(user=user).full_name == "Tên Cũ"


def test_birth_year_bounds_follow_the_calendar(client, units):
    client.force_login(make_learner())
    too_young = datetime.date.today().year - 5
    response = client.post(
        reverse("people:profile_edit"),
        {
            "full_name": "A B",
            "org_unit": units["ia_grai"].pk,
            "birth_year": too_young,
            "preferred_language": "vi",
        },
    )
    assert response.status_code == 400


def test_language_switch_sets_cookie_and_redirects_safely(client, db):
    response = client.post(reverse("people:language_set"), {"language": "en", "next": "/courses/"})
    assert response["Location"] == "/courses/"
    assert response.cookies["django_language"].value == "en"
    response = client.post(
        reverse("people:language_set"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    response = client.post(reverse("people:language_set"), {"language": "xx"})
    assert "django_language" not in response.cookies


def test_interface_is_vietnamese_by_default_even_for_english_browsers(client, home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()
    client.cookies["django_language"] = "en"
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert "Log in" in response.content.decode()
