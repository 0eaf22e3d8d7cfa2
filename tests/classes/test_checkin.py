"""Self check-in with a frozen clock: the rotating code of the trainer's screen works for the
current and the previous minute only; stale codes, other classes' codes, other days' codes
and learners off the roster are refused with a reason, and nothing is recorded for them. The
daily QR code stays available per class."""

import datetime
import zoneinfo
from contextlib import contextmanager
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse

from courses.classes import checkin
from courses.classes.services import roster_add
from courses.models.classes import Attendance, AttendanceMark, TrainingSession
from tests.classes.conftest import make_class
from tests.factories import make_learner

pytestmark = pytest.mark.django_db

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# 09:00:30 on the second day of the class (2-5 November 2026): 30 seconds into a window.
NINE = datetime.datetime(2026, 11, 3, 9, 0, 30, tzinfo=HCM)


@contextmanager
def clock(at: datetime.datetime):
    with mock.patch("django.utils.timezone.now", return_value=at.astimezone(datetime.UTC)):
        yield


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def room(world):
    session = make_class(world, days=4, self_checkin=True)
    learner = make_learner(unit=world["ia_grai"], username="hnuong")
    roster_add(user=world["trainer"], session=session, learner=learner)
    return {"session": session, "learner": learner}


def code_at(session, at) -> str:
    return checkin.checkin_code(session, checkin.checkin_window(at.astimezone(datetime.UTC)))


def check_in(client, session, code):
    return client.post(reverse("classes:checkin", args=[session.pk, code]))


def test_new_classes_use_the_rotating_code(room):
    assert room["session"].checkin_mode == TrainingSession.CheckinMode.ROTATING
    code = code_at(room["session"], NINE)
    assert len(code) == 6 and code.isdigit()
    # It changes with the minute and with the class.
    later = code_at(room["session"], NINE + datetime.timedelta(minutes=1))
    assert later != code


def test_the_screen_shows_the_current_code_and_refreshes_itself(en, world, room):
    session = room["session"]
    en.force_login(world["trainer"])
    url = reverse("classes:checkin_screen", args=[session.pk])
    with clock(NINE):
        code = code_at(session, NINE)
        page = soup(en.get(url))
        data = en.get(url + "?format=json").json()
    screen = page.select_one("#checkin-screen")
    assert screen.select_one(".checkin-code").text.replace(" ", "") == code
    assert screen.select_one(".qr svg") is not None
    assert screen["data-seconds"] == "30"  # until the minute ends
    assert screen["data-json-url"].endswith("?format=json")
    # Without JavaScript: a meta refresh when the code changes, and a refresh link.
    noscript = page.select_one("head noscript")
    assert noscript is not None and 'content="30"' in str(noscript)
    assert screen.select_one("a.checkin-refresh")["href"] == url
    assert page.select_one("script[src$='js/checkin-screen.js']") is not None
    assert data["code"] == code and data["seconds"] == 30
    assert data["url"].endswith(reverse("classes:checkin", args=[session.pk, code]))
    assert data["qr"].startswith("<svg") or "<svg" in data["qr"]
    # The class page links to the screen and shows no daily QR code.
    with clock(NINE):
        detail = soup(en.get(reverse("classes:detail", args=[session.pk])))
    assert detail.select_one(".checkin-qr") is None
    assert detail.select_one(f".checkin-rotating a[href='{url}']") is not None


def test_a_code_works_this_minute_and_the_next_then_expires(en, room):
    session, learner = room["session"], room["learner"]
    code = code_at(session, NINE)
    en.force_login(learner)
    with clock(NINE + datetime.timedelta(seconds=25)):  # the same window
        page = en.get(reverse("classes:checkin", args=[session.pk, code]))
        assert page.status_code == 200 and soup(page).select_one("form button")
    with clock(NINE + datetime.timedelta(seconds=89)):  # 09:01:59, the next window
        assert check_in(en, session, code).status_code == 200
    mark = AttendanceMark.objects.get()
    assert (mark.learner, mark.source, mark.day.date) == (learner, "checkin", NINE.date())
    # 09:02:00: the code is two windows old.
    for late in (datetime.timedelta(seconds=90), datetime.timedelta(minutes=5)):
        with clock(NINE + late):
            response = check_in(en, session, code)
        assert response.status_code == 400
        assert "expired" in soup(response).select_one(".checkin-refusal").text
        assert session.title not in response.content.decode()  # nothing about the class
    assert AttendanceMark.objects.count() == 1


def test_a_photo_sent_home_is_useless_a_minute_later(en, room):
    """The friend at home receives the photo two minutes after it was taken: refused."""
    session, learner = room["session"], room["learner"]
    photo = code_at(session, NINE)
    en.force_login(learner)
    with clock(NINE + datetime.timedelta(minutes=2)):
        response = check_in(en, session, photo)
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_another_class_code_is_refused(en, world, room):
    session, learner = room["session"], room["learner"]
    other = make_class(world, days=4, self_checkin=True, title="Lớp khác")
    en.force_login(learner)
    with clock(NINE):
        foreign = code_at(other, NINE)
        assert foreign != code_at(session, NINE)
        response = check_in(en, session, foreign)
    assert response.status_code == 400
    assert "not the check-in code of this class" in response.content.decode()
    assert not AttendanceMark.objects.exists()


def test_another_day_code_is_refused(en, room):
    session, learner = room["session"], room["learner"]
    yesterday = code_at(session, NINE - datetime.timedelta(days=1))
    en.force_login(learner)
    with clock(NINE):
        response = check_in(en, session, yesterday)
    assert response.status_code == 400 and "expired" in response.content.decode()
    # A valid code on a day the class does not meet (the day after it ended).
    after = NINE + datetime.timedelta(days=3)
    with clock(after):
        response = check_in(en, session, code_at(session, after))
    assert response.status_code == 400
    assert "does not meet today" in response.content.decode()
    assert not AttendanceMark.objects.exists()


def test_the_daily_token_is_not_a_rotating_code_and_vice_versa(en, world, room):
    session, learner = room["session"], room["learner"]
    en.force_login(learner)
    with clock(NINE):
        daily = checkin.checkin_token(session, NINE.date())
        response = check_in(en, session, daily)
        assert response.status_code == 400 and "6 digits" in response.content.decode()
        daily_class = make_class(
            world, days=4, self_checkin=True, checkin_mode="daily", title="Lớp QR cả ngày"
        )
        roster_add(user=world["trainer"], session=daily_class, learner=learner)
        response = check_in(en, daily_class, code_at(daily_class, NINE))
        assert response.status_code == 400
        token = checkin.checkin_token(daily_class, NINE.date())
        assert check_in(en, daily_class, token).status_code == 200
    assert list(AttendanceMark.objects.values_list("day__session", flat=True)) == [daily_class.pk]


def test_a_valid_code_replayed_by_someone_off_the_roster_records_nothing(en, world, room):
    session = room["session"]
    outsider = make_learner(unit=world["ia_grai"])
    en.force_login(outsider)
    with clock(NINE):
        code = code_at(session, NINE)
        page = en.get(reverse("classes:checkin", args=[session.pk, code]))
        response = check_in(en, session, code)
    assert page.status_code == response.status_code == 403
    assert "not on this class's roster" in response.content.decode()
    assert not AttendanceMark.objects.exists() and not Attendance.objects.exists()


def test_closed_check_in_is_refused_with_a_reason(en, world, room):
    session, learner = room["session"], room["learner"]
    en.force_login(learner)
    for change in ({"self_checkin": False}, {"status": "finished"}, {"status": "cancelled"}):
        TrainingSession.objects.filter(pk=session.pk).update(
            **{"self_checkin": True, "status": "running", **change}
        )
        with clock(NINE):
            response = check_in(en, session, code_at(session, NINE))
        assert response.status_code == 400
        assert "not open" in response.content.decode()
    assert not AttendanceMark.objects.exists()


def test_wrong_codes_are_limited_per_learner(en, room):
    session, learner = room["session"], room["learner"]
    en.force_login(learner)
    with clock(NINE):
        right = code_at(session, NINE)
        wrong = str((int(right) + 1) % 10**6).zfill(6)
        for _ in range(checkin.MAX_WRONG_CODES):
            assert check_in(en, session, wrong).status_code == 400
        # Now even the right code waits: guessing 10^6 codes is out of reach.
        response = check_in(en, session, right)
    assert response.status_code == 429 and "Too many wrong codes" in response.content.decode()
    assert not AttendanceMark.objects.exists()


def test_typing_the_code(en, world, room):
    session, learner = room["session"], room["learner"]
    url = reverse("classes:checkin_enter")
    en.force_login(learner)
    with clock(NINE):
        page = soup(en.get(url))
        assert page.select_one("input[name=code][inputmode=numeric]") is not None
        assert session.title in page.text
        code = code_at(session, NINE)
        response = en.post(url, {"code": "000000" if code != "000000" else "111111"})
        assert response.status_code == 400
        assert "not the check-in code" in soup(response).select_one(".checkin-refusal").text
        response = en.post(url, {"code": f"{code[:3]} {code[3:]}"})  # as the screen shows it
    assert response.status_code == 200
    assert AttendanceMark.objects.get().learner == learner
    with clock(NINE + datetime.timedelta(minutes=3)):
        response = en.post(url, {"code": code})
    assert response.status_code == 400 and "expired" in response.content.decode()
    # Someone with no class today is told so.
    en.force_login(make_learner(unit=world["ia_grai"]))
    with clock(NINE):
        response = en.post(url, {"code": code})
    assert response.status_code == 400 and "no class with self check-in today" in (
        response.content.decode()
    )
    assert AttendanceMark.objects.count() == 1


def test_the_trainer_chooses_the_daily_qr_per_class(en, world):
    en.force_login(world["trainer"])
    response = en.post(
        reverse("classes:create"),
        {
            "course": world["course"].pk,
            "title": "Lớp in mã QR",
            "venue": world["ia_grai"].pk,
            "start_date": "2026-11-02",
            "end_date": "2026-11-05",
            "weekdays": list("0123456"),
            "self_checkin": "on",
            "checkin_mode": "daily",
        },
    )
    assert response.status_code == 302, response.content
    session = TrainingSession.objects.get(title="Lớp in mã QR")
    assert session.checkin_mode == "daily"
    with clock(NINE):
        detail = soup(en.get(reverse("classes:detail", args=[session.pk])))
        screen = soup(en.get(reverse("classes:checkin_screen", args=[session.pk])))
    token = checkin.checkin_token(session, NINE.date())
    assert token in detail.select_one(".checkin-qr a")["href"]
    assert screen.select_one(".checkin-code") is None  # no digits to read: a QR for the day
    assert token in screen.select_one("#checkin-screen a")["href"]
    # An unknown mode is refused with a reason.
    response = en.post(
        reverse("classes:edit", args=[session.pk]),
        {
            "course": world["course"].pk,
            "title": "Lớp in mã QR",
            "venue": world["ia_grai"].pk,
            "start_date": "2026-11-02",
            "end_date": "2026-11-05",
            "weekdays": list("0123456"),
            "checkin_mode": "forever",
        },
    )
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.checkin_mode == "daily"
