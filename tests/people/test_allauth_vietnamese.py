"""The sign-in, sign-up and password screens (django-allauth) speak Vietnamese: allauth ships
no Vietnamese catalogue, so every string of it a user sees is translated in our `locale/vi`
(kept by `cms/upstream_strings.py`). The test renders each screen, and its error states, in
Vietnamese and fails on any of allauth's English messages left in the visible text."""

import re
from pathlib import Path

import allauth
import polib
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model

from tests.factories import PASSWORD, make_learner, make_unit

pytestmark = pytest.mark.django_db

# Words Vietnamese screens use as they are.
ALLOWED = {"Email", "E-mail", "OK", "Google"}


def allauth_msgids() -> list[str]:
    """allauth's English texts (the msgids of one of its catalogues), placeholders cut out:
    whole phrases of at least two words, or one word of five letters or more."""
    catalogue = Path(allauth.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    phrases = set()
    for entry in polib.pofile(str(catalogue)):
        for text in (entry.msgid, entry.msgid_plural):
            for part in re.split(r"%\(\w+\)s|%s|\{[^}]*\}|<[^>]+>|\n", text or ""):
                part = part.strip(" .:,;!?\"'“”()")
                if part in ALLOWED or not re.search(r"[A-Za-z]", part):
                    continue
                if len(part.split()) >= 2 or len(part) >= 5:
                    phrases.add(part)
    return sorted(phrases, key=len, reverse=True)


def visible_text(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    for hidden in soup(["script", "style", "template", "noscript"]):
        hidden.decompose()
    parts = [soup.get_text(" ", strip=True)]
    for tag in soup.find_all(True):
        for attr in ("placeholder", "aria-label", "title", "value", "alt"):
            if tag.get(attr) and not (tag.name == "input" and tag.get("type") == "hidden"):
                parts.append(str(tag[attr]))
    return " | ".join(parts)


def english_left(response, phrases) -> list[str]:
    text = visible_text(response)
    return [p for p in phrases if re.search(rf"(?<![\w]){re.escape(p)}(?![\w])", text)]


@pytest.fixture
def vi(client):
    client.cookies["django_language"] = "vi"
    return client


def test_allauth_screens_have_no_untranslated_english(vi, home):
    phrases = allauth_msgids()
    assert len(phrases) > 100  # the catalogue was read
    learner = make_learner(unit=make_unit("Gia Lai"), username="hnuong")
    screens = {
        "sign in": vi.get("/accounts/login/"),
        "sign in, wrong password": vi.post(
            "/accounts/login/", {"login": "hnuong", "password": "sai-mat-khau"}
        ),
        "sign up": vi.get("/accounts/signup/"),
        "sign up, errors": vi.post(
            "/accounts/signup/",
            {"username": "hnuong", "password1": "123", "password2": "456", "email": "x"},
        ),
        "password reset": vi.get("/accounts/password/reset/"),
        "password reset, errors": vi.post("/accounts/password/reset/", {"email": "not-an-email"}),
        "password reset sent": vi.get("/accounts/password/reset/done/"),
        "password reset, bad link": vi.get("/accounts/password/reset/key/1-bad-key/"),
    }
    vi.force_login(learner)
    screens["password change"] = vi.get("/accounts/password/change/")
    screens["password change, errors"] = vi.post(
        "/accounts/password/change/",
        {"oldpassword": "sai", "password1": "1", "password2": "2"},
    )
    screens["sign out"] = vi.get("/accounts/logout/")
    no_password = get_user_model().objects.create_user(username="khong-mat-khau")
    no_password.set_unusable_password()
    no_password.save()
    vi.force_login(no_password)
    screens["password set"] = vi.get("/accounts/password/set/")
    found = {}
    for name, response in screens.items():
        assert response.status_code in (200, 400), (name, response.status_code)
        left = english_left(response, phrases)
        if left:
            found[name] = left
    assert found == {}


def test_the_check_finds_allauth_english(client, home):
    """The control: the same screens in English do show allauth's texts, so the test above
    can fail."""
    client.cookies["django_language"] = "en"
    make_learner(unit=make_unit("Gia Lai"), username="hnuong")
    phrases = allauth_msgids()
    wrong = client.post("/accounts/login/", {"login": "hnuong", "password": "sai-" + PASSWORD})
    assert english_left(wrong, phrases)
    signup = client.post(
        "/accounts/signup/", {"username": "hnuong", "password1": "1", "password2": "2"}
    )
    assert english_left(signup, phrases)
