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
        ({"org_unit": "²"}, "org_unit", "Đơn vị này không tồn tại"),  # isdigit() but not int
        ({"org_unit": "9" * 30}, "org_unit", "Đơn vị này không tồn tại"),
        ({"org_unit_query": "Gia Lai"}, "org_unit", "Không có xã/phường nào tên"),  # a province
        ({"phone": "0٩١٢٣٤٥٦٧٨"}, "phone", "Nhập số điện thoại"),  # Arabic-Indic digits
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


def test_language_switch_is_saved_to_the_profile_with_a_csrf_token(db, units):
    from django.test import Client

    learner = make_learner(unit=units["ia_grai"], username="lenh")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    page = browser.get(reverse("people:profile_edit"))
    header = page.content.decode().split('class="lang"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in header  # the header's language form carries it
    # A forged cross-site POST (no token) switches this browser's cookie only.
    response = browser.post(reverse("people:language_set"), {"language": "en"})
    assert response.cookies["django_language"].value == "en"
    assert Profile.objects.get(user=learner).preferred_language == "vi"
    # The header form's POST (with the token) keeps the choice for the next login.
    token = browser.cookies["csrftoken"].value
    browser.post(reverse("people:language_set"), {"language": "en", "csrfmiddlewaretoken": token})
    assert Profile.objects.get(user=learner).preferred_language == "en"


def test_interface_is_vietnamese_by_default_even_for_english_browsers(client, home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()
    client.cookies["django_language"] = "en"
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert "Log in" in response.content.decode()


def test_a_province_is_not_a_commune(client, units):
    user = make_learner(full_name="Tên Cũ")
    client.force_login(user)
    response = client.post(
        reverse("people:profile_edit"),
        {"full_name": "Tên Mới", "org_unit": str(units["gia_lai"].pk), "preferred_language": "vi"},
    )
    assert response.status_code == 400
    assert "org_unit" in response.context["form"].errors


@pytest.mark.parametrize(
    "typed", ["Ia Grai", "xa ia grai", "Xã Ia Grai, Gia Lai", "Xã Ia Grai,  gia lai"]
)
def test_typed_commune_without_javascript(client, units, typed):
    """The name with or without "Xã", and the search list's own label, all resolve."""
    user = make_learner()
    client.force_login(user)
    response = client.post(
        reverse("people:profile_edit"),
        {"full_name": "Siu H'Nương", "org_unit_query": typed, "preferred_language": "vi"},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Profile.objects.get(user=user).org_unit == units["ia_grai"]


def test_the_province_after_a_comma_tells_namesakes_apart(client, units):
    user = make_learner()
    client.force_login(user)
    response = client.post(
        reverse("people:profile_edit"),
        {"full_name": "Y Niê", "org_unit_query": "Xã Đắk Đoa, Đắk Lắk", "preferred_language": "vi"},
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=user).org_unit == units["dak_doa_2"]


def test_phone_separators_are_dropped(client, units):
    user = make_learner()
    client.force_login(user)
    response = client.post(
        reverse("people:profile_edit"),
        {
            "full_name": "Y Niê",
            "org_unit": str(units["ia_grai"].pk),
            "phone": "(091) 234-5678",
            "preferred_language": "vi",
        },
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=user).phone == "0912345678"


def test_exact_names_rank_first_however_many_others_match(client, db):
    """Ranking happens before the cut: "Xã Thanh An" is first for "thanh an" even when 80
    wards whose names sort earlier also contain the words."""
    province = make_unit("Thành phố Hồ Chí Minh")
    for n in range(80):
        make_unit(f"Phường An Thanh {n:02d}", parent=province)
    wanted = make_unit("Xã Thanh An", parent=province)
    client.force_login(make_learner())
    results = client.get(reverse("people:org_unit_search"), {"q": "thanh an"}).json()["results"]
    assert results[0]["id"] == wanted.pk
    assert len(results) == 20


@pytest.mark.parametrize("query", ["x" * 100_000, " ".join(["ia"] * 1500), "Ia Gra\u0300i"])
def test_commune_search_survives_odd_queries(client, units, query):
    client.force_login(make_learner())
    response = client.get(reverse("people:org_unit_search"), {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_names_are_stored_nfc_whatever_the_path(db):
    profile = make_learner().profile
    profile.full_name = "Đă\u0323ng Thi\u0323 Hoa"  # decomposed, as some keyboards send it
    profile.save()
    profile.refresh_from_db()
    assert profile.full_name == "Đặng Thị Hoa"


class TestUsernames:
    def _signup(self, client, username):
        return client.post(
            reverse("account_signup"),
            {"username": username, "password1": "Rừng-xanh-2026", "password2": "Rừng-xanh-2026"},
        )

    def test_diacritics_are_refused(self, client, db):
        from django.contrib.auth import get_user_model

        response = self._signup(client, "trần")
        assert response.status_code == 200  # the form again, with its error
        assert "username" in response.context["form"].errors
        assert not get_user_model().objects.filter(username="trần").exists()

    def test_usernames_are_case_insensitive(self, client, db):
        from django.contrib.auth import get_user_model

        assert self._signup(client, "HoaDang").status_code == 302
        assert get_user_model().objects.filter(username="hoadang").exists()
        client.logout()
        response = self._signup(client, "hoadang")
        assert "username" in response.context["form"].errors
