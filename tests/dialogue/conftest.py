"""A small world for the dialogue tests: Gia Lai with two communes, Đắk Lắk with one, a
course whose trainer is its page owner, and accounts old enough to post without moderation
(except where a test makes a new one)."""

import datetime

import pytest
from django.test import TestCase
from django.utils import timezone

from courses.services import enrolment_create
from tests.factories import make_course, make_learner, make_manager, make_trainer, make_unit


def aged(user, days: int = 30):
    user.date_joined = timezone.now() - datetime.timedelta(days=days)
    user.save(update_fields=["date_joined"])
    return user


@pytest.fixture
def world(home):
    gia_lai, dak_lak = make_unit("Gia Lai"), make_unit("Đắk Lắk")
    ia_grai = make_unit("Xã Ia Grai", parent=gia_lai)
    ia_le = make_unit("Xã Ia Le", parent=gia_lai)
    ea_kao = make_unit("Xã Ea Kao", parent=dak_lak)
    course = make_course("Kỹ năng số cho trưởng thôn", lessons=1, quiz=[])
    trainer = aged(make_trainer(scope=ia_grai, username="trainer_ia_grai"))
    course.owner = trainer
    course.save(update_fields=["owner"])
    learner = aged(make_learner(unit=ia_grai, username="hhen", full_name="Rơ Châm H'Hen"))
    enrolment_create(user=learner, course=course)
    return {
        "gia_lai": gia_lai,
        "ia_grai": ia_grai,
        "ia_le": ia_le,
        "ea_kao": ea_kao,
        "course": course,
        "trainer": trainer,
        "trainer_out": aged(make_trainer(scope=dak_lak, username="trainer_dak_lak")),
        "manager": aged(make_manager(scope=gia_lai, username="manager_gia_lai")),
        "manager_out": aged(make_manager(scope=dak_lak, username="manager_dak_lak")),
        "learner": learner,
        "outsider": aged(make_learner(unit=ea_kao, username="outsider")),
    }


@pytest.fixture
def commit():
    """Run a service with its on-commit work (notifications) executed as a commit would."""

    def run(fn, *args, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture(autouse=True)
def sms_file(settings, tmp_path):
    settings.LMS_SMS_BACKEND = "notify.sms.FileBackend"
    settings.LMS_SMS_FILE = tmp_path / "sms.log"
    return settings.LMS_SMS_FILE
