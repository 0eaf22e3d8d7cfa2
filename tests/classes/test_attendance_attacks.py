"""Queued attendance marks as an attacker (or a buggy phone) sends them: an id that already
names a mark of another class, day or learner; a learner not on the roster; a day not in
the class; a class outside the trainer's units. Each is refused with the reason the phone
shows, and nothing is recorded."""

import datetime
import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.classes.services import attendance_mark
from courses.models.classes import Attendance, AttendanceMark
from tests.classes.conftest import add_learners, make_class
from tests.factories import make_learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client, settings):
    from django.conf import settings as django_settings

    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def two_classes(world):
    first = make_class(world, days=2)
    second = make_class(world, days=2, title="Lớp tập huấn thứ hai")
    a, b = add_learners(world, first, 2)
    [c] = add_learners(world, second, 1)
    return {"first": first, "second": second, "a": a, "b": b, "c": c}


def sync(client, session, *marks):
    return client.post(
        reverse("classes:marks_sync", args=[session.pk]),
        json.dumps({"marks": list(marks)}),
        content_type="application/json",
    )


def item(key, day, learner, status="present"):
    return {
        "uuid": str(key),
        "day": day.pk,
        "learner": learner.pk,
        "status": status,
        "marked_at": datetime.datetime.now(datetime.UTC).isoformat(),
    }


def test_a_known_id_resent_for_the_same_mark_is_a_duplicate(en, world, two_classes):
    first, a = two_classes["first"], two_classes["a"]
    day = first.days.first()
    key = uuid.uuid4()
    en.force_login(world["trainer"])
    assert sync(en, first, item(key, day, a)).json()["results"][0]["ok"] is True
    again = sync(en, first, item(key, day, a)).json()["results"]
    assert again == [{"uuid": str(key), "ok": True, "duplicate": True}]
    assert AttendanceMark.objects.count() == 1


@pytest.mark.parametrize(
    "case,reason",
    [
        ("another class", "another class"),
        ("another day", "another day"),
        ("another learner", "another learner"),
    ],
)
def test_a_known_id_for_another_class_day_or_learner_is_refused(
    en, world, two_classes, case, reason
):
    first, second = two_classes["first"], two_classes["second"]
    a, b, c = two_classes["a"], two_classes["b"], two_classes["c"]
    key = uuid.uuid4()
    en.force_login(world["trainer"])
    # The id already names a mark of learner a on the first day of the first class.
    assert sync(en, first, item(key, first.days.first(), a)).json()["results"][0]["ok"]
    session, day, learner = {
        "another class": (second, second.days.first(), c),
        "another day": (first, first.days.last(), a),
        "another learner": (first, first.days.first(), b),
    }[case]
    [result] = sync(en, session, item(key, day, learner)).json()["results"]
    assert result["uuid"] == str(key)
    assert result["ok"] is False and result["retry"] is False
    assert reason in result["error"] and "not saved" in result["error"]
    assert "duplicate" not in result
    # Nothing recorded for the second mark: one mark, one attendance row, both the first's.
    assert AttendanceMark.objects.count() == 1
    assert list(Attendance.objects.values_list("day", "learner")) == [(first.days.first().pk, a.pk)]


def test_the_service_refuses_a_foreign_id_too(world, two_classes):
    """The rule is in the service, so the no-JavaScript form and imports follow it."""
    from django.utils import translation

    first, second = two_classes["first"], two_classes["second"]
    key = uuid.uuid4()
    attendance_mark(
        user=world["trainer"],
        day=first.days.first(),
        learner=two_classes["a"],
        status="present",
        client_uuid=key,
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        attendance_mark(
            user=world["trainer"],
            day=second.days.first(),
            learner=two_classes["c"],
            status="present",
            client_uuid=key,
        )
    assert error.value.code == "uuid_conflict"
    assert "another class" in error.value.messages[0]


def test_the_no_javascript_form_refuses_a_foreign_id(en, world, two_classes):
    first, second = two_classes["first"], two_classes["second"]
    key = uuid.uuid4()
    en.force_login(world["trainer"])
    sync(en, first, item(key, first.days.first(), two_classes["a"]))
    c = two_classes["c"]
    url = reverse("classes:day", args=[second.pk, second.days.first().pk])
    response = en.post(url, {f"s-{c.pk}": "present", f"u-{c.pk}": str(key)}, follow=True)
    assert "another class" in response.content.decode()
    assert not Attendance.objects.filter(learner=c).exists()


def test_learner_off_the_roster_and_day_of_another_class_are_refused_with_reasons(
    en, world, two_classes
):
    first, second = two_classes["first"], two_classes["second"]
    en.force_login(world["trainer"])
    stranger = make_learner(unit=world["ia_grai"])
    keys = [uuid.uuid4() for _ in range(5)]
    results = sync(
        en,
        first,
        item(keys[0], first.days.first(), stranger),  # in scope, not on this roster
        item(keys[1], first.days.first(), two_classes["c"]),  # on the other class's roster
        item(keys[2], second.days.first(), two_classes["a"]),  # the other class's day
        {**item(keys[3], first.days.first(), two_classes["a"]), "day": True},  # not an id
        {**item(keys[4], first.days.first(), two_classes["a"]), "learner": "1"},
    ).json()["results"]
    assert [r["uuid"] for r in results] == [str(k) for k in keys]
    assert all(r["ok"] is False and r["retry"] is False for r in results)
    assert ["roster" in r["error"] for r in results] == [True, True, False, False, True]
    assert ["day of this class" in r["error"] for r in results] == [
        False,
        False,
        True,
        True,
        False,
    ]
    assert not AttendanceMark.objects.exists() and not Attendance.objects.exists()


def test_marks_without_a_valid_id_or_status_are_refused_with_a_reason(en, world, two_classes):
    first, a = two_classes["first"], two_classes["a"]
    day = first.days.first()
    en.force_login(world["trainer"])
    results = sync(
        en,
        first,
        "present",
        {**item(uuid.uuid4(), day, a), "uuid": "x"},
        {**item(uuid.uuid4(), day, a), "status": ["present"]},
        {**item(uuid.uuid4(), day, a), "marked_at": "2026-13-45T10:00:00"},
    ).json()["results"]
    assert [r["ok"] for r in results] == [False, False, False, True]
    assert results[0]["uuid"] is None and results[0]["error"]
    assert results[1]["uuid"] is None and "id" in results[1]["error"]
    assert "status" in results[2]["error"]
    # A time that does not exist counts as the time it arrived.
    assert Attendance.objects.get().learner == a


@pytest.mark.parametrize("who", ["trainer_out", "trainer_le", "manager"])
def test_a_class_outside_the_trainers_units_is_refused_with_a_reason(en, world, two_classes, who):
    first, a = two_classes["first"], two_classes["a"]
    en.force_login(world[who])
    response = sync(en, first, item(uuid.uuid4(), first.days.first(), a))
    # A manager sees the class but does not run it (403); other trainers do not see it (404).
    assert response.status_code == (403 if who == "manager" else 404)
    assert response.json()["error"]
    assert not AttendanceMark.objects.exists()
