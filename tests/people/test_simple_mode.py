"""Simple (low-literacy) mode follows a signed-in learner: kept on their profile, rendered by
the server on every page and on their next sign-in from any device; anonymous visitors keep the
device's own setting (static/js/voices.js, localStorage)."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import translation

from people.models import Profile
from tests.factories import make_learner

pytestmark = pytest.mark.django_db

URL = "/people/simple-mode/"


def html_of(client, path="/") -> dict:
    soup = BeautifulSoup(client.get(path).content, "html.parser")
    html = soup.find("html")
    return {"class": html.get("class") or [], "data-simple": html.get("data-simple")}


def test_the_url_is_the_named_route():
    assert reverse("people:simple_mode_set") == URL


def test_a_learner_who_never_chose_follows_the_device(client, home):
    learner = make_learner(username="chua-chon")
    assert Profile.objects.get(user=learner).simple_mode is None
    client.force_login(learner)
    # No data-simple: the inline script in base.html applies the device's setting.
    assert html_of(client) == {"class": [], "data-simple": None}
    toggle = BeautifulSoup(client.get("/").content, "html.parser").select_one(
        "[data-simple-toggle]"
    )
    assert toggle["data-simple-url"] == URL


def test_the_choice_is_kept_and_follows_the_learner_to_another_device(home):
    learner = make_learner(username="ksor-h")
    phone = Client(enforce_csrf_checks=True)
    phone.force_login(learner)
    phone.get("/")
    token = phone.cookies["csrftoken"].value
    response = phone.post(URL, {"on": "1"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json() == {"simple": True}
    assert Profile.objects.get(user=learner).simple_mode is True
    # This session's pages are rendered in simple mode at once.
    assert html_of(phone) == {"class": ["simple"], "data-simple": "1"}
    # Another phone: signing in brings the learner's choice.
    other = Client()
    other.force_login(learner)
    assert html_of(other) == {"class": ["simple"], "data-simple": "1"}
    # Switched off: kept as a choice too (the device's setting no longer applies).
    phone.post(URL, {"on": "0"}, HTTP_X_CSRFTOKEN=token)
    assert Profile.objects.get(user=learner).simple_mode is False
    assert html_of(phone) == {"class": [], "data-simple": "0"}
    third = Client()
    third.force_login(learner)
    assert html_of(third) == {"class": [], "data-simple": "0"}


def test_anonymous_visitors_keep_it_on_the_device_only(client, home):
    response = client.post(URL, {"on": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    page = client.get("/")
    assert html_of(client) == {"class": [], "data-simple": None}
    assert "data-simple-url" not in page.content.decode()


@pytest.mark.parametrize(
    "data", [{}, {"on": "yes"}, {"on": "2"}, {"on": ""}, {"on": "1<script>"}], ids=str
)
def test_odd_values_change_nothing(client, home, data):
    learner = make_learner(username="la-thu")
    client.force_login(learner)
    response = client.post(URL, data)
    assert response.status_code == 400
    # Vietnamese once the catalogue has it (locale/offline2-vi.json: "Hãy chọn bật hoặc tắt.").
    with translation.override("vi"):
        assert response.json()["error"] == translation.gettext("Choose on or off.")
    assert Profile.objects.get(user=learner).simple_mode is None


def test_a_forged_cross_site_post_changes_nothing(home):
    learner = make_learner(username="rmah")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    assert browser.post(URL, {"on": "1"}).status_code == 403
    assert Profile.objects.get(user=learner).simple_mode is None


def test_get_is_refused(client, home):
    client.force_login(make_learner(username="get-thu"))
    assert client.get(URL).status_code == 405
