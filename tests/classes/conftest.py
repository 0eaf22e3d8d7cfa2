"""A small world for the class tests: Gia Lai with two communes, Đắk Lắk with one."""

import datetime

import pytest

from courses.classes.services import roster_add, session_create
from tests.factories import make_course, make_learner, make_manager, make_trainer, make_unit


@pytest.fixture
def world(home):
    gia_lai, dak_lak = make_unit("Gia Lai"), make_unit("Đắk Lắk")
    ia_grai = make_unit("Xã Ia Grai", parent=gia_lai)
    ia_le = make_unit("Xã Ia Le", parent=gia_lai)
    ea_kao = make_unit("Xã Ea Kao", parent=dak_lak)
    course = make_course("Kỹ năng số cho trưởng thôn", lessons=1)
    return {
        "gia_lai": gia_lai,
        "dak_lak": dak_lak,
        "ia_grai": ia_grai,
        "ia_le": ia_le,
        "ea_kao": ea_kao,
        "course": course,
        "trainer": make_trainer(scope=ia_grai, username="trainer_ia_grai"),
        "trainer_le": make_trainer(scope=ia_le, username="trainer_ia_le"),
        "trainer_out": make_trainer(scope=dak_lak, username="trainer_dak_lak"),
        "manager": make_manager(scope=gia_lai, username="manager_gia_lai"),
        "manager_out": make_manager(scope=dak_lak, username="manager_dak_lak"),
    }


def make_class(world, *, days: int = 4, trainer=None, venue=None, **extra):
    start = datetime.date(2026, 11, 2)
    return session_create(
        user=trainer or world["trainer"],
        course=world["course"],
        title=extra.pop("title", "Lớp tập huấn Ia Grai"),
        venue=venue or world["ia_grai"],
        address="Hội trường UBND xã",
        start_date=start,
        end_date=start + datetime.timedelta(days=days - 1),
        **extra,
    )


def add_learners(world, session, count: int, *, unit=None, trainer=None):
    learners = []
    for n in range(count):
        learner = make_learner(unit=unit or session.venue, full_name=f"Rơ Mah Học {n}")
        roster_add(user=trainer or world["trainer"], session=session, learner=learner)
        learners.append(learner)
    return learners


@pytest.fixture
def english():
    """Service messages in English, for assertions that read them (pages stay Vietnamese)."""
    from django.utils import translation

    with translation.override("en"):
        yield
