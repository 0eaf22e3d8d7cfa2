"""A learner's own in-person classes on "My learning": dates, place and attendance so far."""

import pytest
from django.urls import reverse

from tests.classes.conftest import add_learners, make_class
from tests.classes.test_attendance import mark
from tests.factories import make_learner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_my_learning_lists_my_classes_with_my_attendance(client, world):
    session = make_class(world, days=3, title="Lớp Kỹ năng số thôn Plei Ơi")
    learner, classmate = add_learners(world, session, 2)
    other = make_class(world, days=2, title="Lớp của xã khác", venue=world["ia_le"],
                       trainer=world["trainer_le"])  # fmt: skip
    add_learners(world, other, 1, trainer=world["trainer_le"])
    first, second, third = session.days.order_by("date")
    mark(world, first, learner, "present")
    mark(world, second, learner, "present")
    mark(world, third, learner, "absent")
    for day in (first, second, third):
        mark(world, day, classmate, "present")  # must not count for `learner`

    client.force_login(learner)
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert "Lớp Kỹ năng số thôn Plei Ơi" in page
    assert "Lớp của xã khác" not in page
    assert "02/11/2026 – 04/11/2026" in page and "Xã Ia Grai, Hội trường UBND xã" in page
    # The course's rule asks for 80% of 3 days: 3 days present. Vietnamese first.
    assert "Lớp tập huấn trực tiếp" in page and "Có mặt 2/3 ngày (cần 3 ngày)" in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert "In-person classes" in page and "Present 2 of 3 days (3 needed)" in page

    client.force_login(classmate)
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert "Present 3 of 3 days (3 needed)" in page
    # No self check-in in this class: no link to type a code.
    assert reverse("classes:checkin_enter") not in page


def test_a_class_with_rotating_self_checkin_links_to_typing_the_code(client, world):
    session = make_class(world, days=2, self_checkin=True)
    [learner] = add_learners(world, session, 1)
    client.force_login(learner)
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert f'href="{reverse("classes:checkin_enter")}"' in page


def test_no_class_no_section(client, world):
    client.force_login(make_learner(unit=world["ia_grai"]))
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert "Lớp tập huấn trực tiếp" not in page


def test_my_classes_cost_one_query_whatever_their_number(client, world, django_assert_num_queries):
    from courses.classes.selectors import learner_classes
    from courses.classes.services import roster_add

    learner = make_learner(unit=world["ia_grai"])
    for n in range(3):
        session = make_class(world, days=2 + n, title=f"Lớp {n}")
        roster_add(user=world["trainer"], session=session, learner=learner)
        mark(world, session.days.first(), learner, "present")
    with django_assert_num_queries(1):
        classes = learner_classes(learner)
    newest_first = [(4, 1, 4), (3, 1, 3), (2, 1, 2)]
    assert [(c.days, c.present, c.needed) for c in classes] == newest_first
