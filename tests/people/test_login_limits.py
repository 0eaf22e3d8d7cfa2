"""Sign-in limits, as an attacker (people.lockout on django-axes).

A learner whose account a trainer created has a 6-digit PIN. A guesser is stopped after
LMS_LOGIN_FAILURES_PER_ACCOUNT (5) wrong PINs for that account, from one address or from many,
and X-Forwarded-For does not make new addresses when no proxy is trusted. A commune hall (one
address) where 30 learners each mistype once is not locked. Locks end by themselves after
LMS_LOGIN_LOCKOUT_MINUTES; a trainer in scope or an administrator lifts one early (audited),
a trainer of another province cannot. The Django admin and the Wagtail admin logins are
limited too.
"""

import datetime

import pytest
from axes.models import AccessAttempt
from bs4 import BeautifulSoup
from django.contrib.auth import SESSION_KEY
from django.db.models import F
from django.test import Client
from django.urls import reverse

from people.models import LoginUnlock
from tests.factories import (
    PASSWORD,
    make_admin,
    make_learner,
    make_manager,
    make_trainer,
    make_unit,
)

pytestmark = pytest.mark.django_db

PIN = "482913"
LOGIN = reverse("account_login")


@pytest.fixture
def world(home):
    gia_lai, dak_lak = make_unit("Gia Lai"), make_unit("Đắk Lắk")
    commune = make_unit("Xã Ia Grai", parent=gia_lai)
    learner = make_learner(unit=commune, username="siu.hnuong", full_name="Siu H'Nương")
    learner.set_password(PIN)
    learner.save()
    return {
        "gia_lai": gia_lai,
        "commune": commune,
        "learner": learner,
        "trainer_in": make_trainer(scope=gia_lai),
        "trainer_out": make_trainer(scope=dak_lak),
        "manager_in": make_manager(scope=gia_lai),
    }


def sign_in(username, password, *, address="203.0.113.7", url=LOGIN, **headers):
    """One sign-in from a fresh browser at `address`; the response and whether it worked."""
    client = Client(REMOTE_ADDR=address)
    fields = {"login": username, "password": password}
    if url != LOGIN:
        fields = {"username": username, "password": password}
    response = client.post(url, fields, **headers)
    return response, SESSION_KEY in client.session


def is_locked_page(response) -> bool:
    soup = BeautifulSoup(response.content, "html.parser")
    return response.status_code == 429 and soup.select_one("#login-locked") is not None


def test_pin_guessing_from_one_address_stops_after_five(world):
    for guess in ("000000", "111111", "222222", "333333"):
        response, signed_in = sign_in("siu.hnuong", guess)
        assert response.status_code == 200 and not signed_in  # the form, with its error
    response, signed_in = sign_in("siu.hnuong", "444444")
    assert is_locked_page(response) and not signed_in  # the fifth failure locks
    # the right PIN is refused too while locked: guessing is over, not just slowed
    response, signed_in = sign_in("siu.hnuong", PIN)
    assert is_locked_page(response) and not signed_in


def test_the_lock_page_explains_in_vietnamese(world):
    for n in range(5):
        sign_in("siu.hnuong", f"00000{n}")
    response, _ = sign_in("siu.hnuong", PIN)
    assert response.status_code == 429
    text = BeautifulSoup(response.content, "html.parser").select_one("#login-locked").get_text()
    assert "15 phút" in text and "giảng viên" in text


def test_pin_guessing_from_rotating_addresses_stops_after_five(world):
    for n in range(5):
        sign_in("siu.hnuong", f"99999{n}", address=f"198.51.100.{n + 1}")
    response, signed_in = sign_in("siu.hnuong", PIN, address="198.51.100.200")
    assert is_locked_page(response) and not signed_in


def test_case_and_spaces_do_not_make_new_accounts(world):
    for name in ("SIU.HNUONG", "Siu.Hnuong", " siu.hnuong", "siu.hnuonG", "siu.HNUONG"):
        sign_in(name, "000000")
    response, signed_in = sign_in("siu.hnuong", PIN)
    assert is_locked_page(response) and not signed_in


def test_forwarded_for_spoofing_does_not_help_without_a_trusted_proxy(world, settings):
    settings.LMS_LOGIN_FAILURES_PER_ADDRESS = 20
    # a script sprays one guess at each of 20 accounts, claiming a new address every time
    for n in range(20):
        response, _ = sign_in(f"learner{n}", "123456", HTTP_X_FORWARDED_FOR=f"10.9.{n}.1")
    assert is_locked_page(response)
    # the address is locked (REMOTE_ADDR: the header is not trusted), for every account
    response, signed_in = sign_in("siu.hnuong", PIN, HTTP_X_FORWARDED_FOR="10.77.0.1")
    assert is_locked_page(response) and not signed_in
    # another address is not
    _, signed_in = sign_in("siu.hnuong", PIN, address="198.51.100.9")
    assert signed_in


def test_behind_a_trusted_proxy_the_forwarded_address_counts(world, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.LMS_LOGIN_FAILURES_PER_ADDRESS = 20
    for n in range(20):  # 20 real clients behind the proxy (one address each)
        sign_in(f"learner{n}", "123456", address="10.0.0.2", HTTP_X_FORWARDED_FOR=f"10.9.{n}.1")
    # each was counted at its own address, none at the proxy's: nobody is locked
    assert not AccessAttempt.objects.filter(ip_address="10.0.0.2").exists()
    assert AccessAttempt.objects.filter(ip_address="10.9.3.1").count() == 1
    _, signed_in = sign_in("siu.hnuong", PIN, address="10.0.0.2", HTTP_X_FORWARDED_FOR="10.9.0.1")
    assert signed_in


def test_a_commune_hall_does_not_lock_itself_out(world, settings):
    from lms.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS  # allauth's too, as in production
    hall = "203.0.113.50"
    learners = [make_learner(unit=world["commune"], username=f"hv{n:02d}") for n in range(30)]
    for learner in learners:  # each mistypes once, from the hall's one address
        response, signed_in = sign_in(learner.username, "000000", address=hall)
        assert response.status_code == 200 and not signed_in
    for learner in learners:  # then signs in
        _, signed_in = sign_in(learner.username, PASSWORD, address=hall)
        assert signed_in, learner.username


def test_the_lock_ends_by_itself(world):
    for n in range(5):
        sign_in("siu.hnuong", f"00000{n}")
    assert is_locked_page(sign_in("siu.hnuong", PIN)[0])
    # 16 minutes pass without another failure (the failures' time is what the window reads)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=16))
    _, signed_in = sign_in("siu.hnuong", PIN)
    assert signed_in


def test_knocking_while_locked_does_not_extend_the_lock(world):
    for n in range(5):
        sign_in("siu.hnuong", f"00000{n}")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=10))
    for _ in range(3):  # the guesser keeps trying while the account is locked
        assert is_locked_page(sign_in("siu.hnuong", "123123")[0])
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=6))
    assert sign_in("siu.hnuong", PIN)[1]


def test_a_successful_sign_in_clears_the_accounts_failures(world):
    for n in range(4):
        sign_in("siu.hnuong", f"00000{n}")
    assert sign_in("siu.hnuong", PIN)[1]
    for n in range(4):  # four more mistakes another day: not five in a row
        sign_in("siu.hnuong", f"11111{n}")
    assert sign_in("siu.hnuong", PIN)[1]


@pytest.mark.parametrize(
    "url_name, fields",
    [("admin:login", "username"), ("wagtailadmin_login", "username")],
)
def test_admin_logins_are_limited(world, url_name, fields):
    admin = make_admin()
    url = reverse(url_name)
    for n in range(4):
        response, signed_in = sign_in(admin.username, f"wrong-{n}", url=url)
        assert response.status_code == 200 and not signed_in
    response, signed_in = sign_in(admin.username, "wrong-5", url=url)
    assert is_locked_page(response) and not signed_in
    response, signed_in = sign_in(admin.username, PASSWORD, url=url)
    assert is_locked_page(response) and not signed_in
    # one count per account whichever page is used: the public form is locked too
    response, signed_in = sign_in(admin.username, PASSWORD)
    assert is_locked_page(response) and not signed_in


def lock(username="siu.hnuong"):
    for n in range(5):
        sign_in(username, f"00000{n}")
    assert is_locked_page(sign_in(username, PIN)[0])


UNLOCK = {  # role -> (status of the POST, unlocked)
    "anonymous": (302, False),  # to the login page
    "learner": (403, False),
    "trainer_in": (302, True),
    "trainer_out": (403, False),
    "manager_in": (403, False),  # trainers and administrators unlock, managers audit
    "admin": (302, True),
}


@pytest.mark.parametrize("role", UNLOCK)
def test_unlock_role_matrix(world, role):
    lock()
    actor = {"admin": make_admin(), "learner": make_learner(unit=world["commune"])}.get(role)
    actor = actor or world.get(role)
    client = Client()
    if actor is not None:
        client.force_login(actor)
    url = reverse("people:login_unlock", args=[world["learner"].pk])
    assert client.get(url).status_code in (302, 405)  # never a GET
    response = client.post(url, {"next": "/classes/"})
    status, unlocked = UNLOCK[role]
    assert response.status_code == status
    _, signed_in = sign_in("siu.hnuong", PIN)
    assert signed_in == unlocked
    trail = LoginUnlock.objects.filter(user=world["learner"])
    if unlocked:
        [entry] = trail
        assert entry.unlocked_by == actor and entry.failures == 5
        assert response["Location"] == "/classes/"
    else:
        assert not trail.exists()


def test_unlock_refuses_a_foreign_next(world):
    lock()
    client = Client()
    client.force_login(world["trainer_in"])
    url = reverse("people:login_unlock", args=[world["learner"].pk])
    response = client.post(url, {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
