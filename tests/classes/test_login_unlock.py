"""The class roster shows who is locked out of signing in, with an Unlock button (a POST)
for the trainer who runs the class; the unlock is audited and the learner signs in again."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from people.models import LoginUnlock
from tests.classes.conftest import add_learners, make_class
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(username, password) -> tuple[int, bool]:
    client = Client(REMOTE_ADDR="203.0.113.9")
    response = client.post(reverse("account_login"), {"login": username, "password": password})
    return response.status_code, SESSION_KEY in client.session


def test_roster_unlock(client, world):
    session = make_class(world)
    locked, other = add_learners(world, session, 2)
    for n in range(5):
        sign_in(locked.username, f"00000{n}")
    assert sign_in(locked.username, PASSWORD) == (429, False)

    client.force_login(world["trainer"])
    page = client.get(reverse("classes:detail", args=[session.pk]))
    soup = BeautifulSoup(page.content, "html.parser")
    row = soup.select_one(f'tr.member[data-username="{locked.username}"]')
    assert row.select_one(".login-locked") is not None
    [form] = [
        f for f in row.select("form") if f["action"].endswith(f"/accounts/{locked.pk}/unlock/")
    ]
    assert form["method"] == "post" and form.select_one("input[name=csrfmiddlewaretoken]")
    other_row = soup.select_one(f'tr.member[data-username="{other.username}"]')
    assert other_row.select_one(".login-locked") is None
    assert not [f for f in other_row.select("form") if "unlock" in f["action"]]

    response = client.post(form["action"], {"next": form.select_one("input[name=next]")["value"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("classes:detail", args=[session.pk])
    assert LoginUnlock.objects.get(user=locked).unlocked_by == world["trainer"]
    assert sign_in(locked.username, PASSWORD) == (302, True)


def test_manager_sees_no_unlock_button(client, world):
    session = make_class(world)
    [locked] = add_learners(world, session, 1)
    for n in range(5):
        sign_in(locked.username, f"00000{n}")
    client.force_login(world["manager"])
    soup = BeautifulSoup(
        client.get(reverse("classes:detail", args=[session.pk])).content, "html.parser"
    )
    assert not [f for f in soup.select("form") if "unlock" in f.get("action", "")]
