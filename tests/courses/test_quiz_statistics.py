"""Question statistics for trainers: attempts, % right (facility), discrimination, options
chosen and flags per question, over the attempts of learners in the viewer's scope only."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import Enrolment, LessonPage, QuizAttempt
from courses.quiz.statistics import question_statistics
from courses.services import authoring_roles_setup, enrolment_create
from tests.factories import make_admin, make_course, make_learner, make_trainer, make_unit

pytestmark = pytest.mark.django_db


def draw_of(lesson):
    """The lesson's bank as an attempt stores its draw."""
    return [
        {
            "id": str(item.id),
            "text": str(item.value["text"]),
            "kind": item.value["kind"],
            "topic": "",
            "explanation": "",
            "choices": [
                {"id": str(c.id), "text": str(c.value["text"]), "correct": c.value["correct"]}
                for c in item.value["choices"].bound_blocks
            ],
        }
        for item in lesson.quiz_block.value["questions"].bound_blocks
    ]


def answer(question, *, right: bool) -> list[str]:
    correct = [c["id"] for c in question["choices"] if c["correct"]]
    wrong = [c["id"] for c in question["choices"] if not c["correct"]]
    return correct if right else wrong[:1]


def attempt(enrolment, lesson, rights: list[bool]):
    questions = draw_of(lesson)
    answers = {q["id"]: answer(q, right=r) for q, r in zip(questions, rights, strict=True)}
    score = round(100 * sum(rights) / len(rights))
    return QuizAttempt.objects.create(
        enrolment=enrolment, lesson=lesson, block_id=str(lesson.quiz_block.id),
        state=QuizAttempt.State.SUBMITTED, questions=questions, answers=answers,
        correct_count=sum(rights), question_count=len(rights), score=score,
        passed=score >= 70, started_at=timezone.now(), submitted_at=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def world(home):
    gia_lai, dak_lak = make_unit("Gia Lai"), make_unit("Đắk Lắk")
    course = make_course("An toàn thông tin", lessons=0)
    lesson = LessonPage.objects.child_of(course).get(has_quiz=True)
    for i in range(12):
        learner = make_learner(unit=gia_lai if i < 10 else dak_lak, username=f"hv{i:02}")
        enrolment, _ = enrolment_create(user=learner, course=course)
        # Question 1: everyone right. Question 2: right only in the stronger half.
        attempt(enrolment, lesson, [True, i >= 5])
    authoring_roles_setup()
    return {
        "course": course,
        "lesson": lesson,
        "trainer": make_trainer(scope=gia_lai, username="gv-gialai"),
        "other": make_trainer(scope=dak_lak, username="gv-daklak"),
    }


def test_statistics_per_question(world):
    questions, attempts = question_statistics(user=make_admin(), lesson=world["lesson"])
    assert attempts == 12
    easy, hard = questions
    assert (easy.attempts, easy.percent_right) == (12, 100)
    # Everyone right: too easy, and it cannot tell strong from weak learners either.
    with translation.override("en"):
        assert easy.flags == ["too easy", "does not separate strong from weak learners"]
    assert easy.discrimination == 0
    assert hard.attempts == 12 and hard.percent_right == 58  # 7 of 12
    assert hard.discrimination == 1.0  # the best 27% all right, the weakest 27% all wrong
    assert hard.flags == []
    with translation.override("vi"):
        assert easy.flags[0] == "quá dễ"
    chosen = {o.text: o.chosen for o in easy.options.values()}
    assert chosen["Ia-Grai#2026!rain"] == 12 and chosen["123456"] == 0


def test_statistics_are_scoped_to_the_viewers_units(world):
    _questions, attempts = question_statistics(user=world["trainer"], lesson=world["lesson"])
    assert attempts == 10
    questions, attempts = question_statistics(user=world["other"], lesson=world["lesson"])
    assert attempts == 2
    assert questions[0].flags == []  # too few answers to judge
    assert Enrolment.objects.count() == 12


def test_the_admin_page_and_its_link_from_the_outline(client, world):
    client.force_login(world["trainer"])
    outline = client.get(reverse("courses_outline", args=[world["course"].pk]))
    link = BeautifulSoup(outline.content, "html.parser").select_one("a[data-quiz-statistics]")
    url = reverse("courses_quiz_statistics", args=[world["lesson"].pk])
    assert link is not None and link["href"] == url
    page = BeautifulSoup(client.get(url).content, "html.parser")
    assert page.select_one("[data-attempts]")["data-attempts"] == "10"
    rows = page.select("tr[data-question]")
    assert len(rows) == 2
    assert rows[0].select_one("[data-right]")["data-right"] == "100"
    assert rows[0]["data-flags"] != ""
    assert rows[1].select_one("[data-answers]")["data-answers"] == "10"


def test_learners_may_not_open_the_statistics(client, world):
    client.force_login(make_learner(unit=make_unit("Gia Lai"), username="learner-x"))
    url = reverse("courses_quiz_statistics", args=[world["lesson"].pk])
    assert client.get(url).status_code in (302, 403)


def test_the_page_costs_the_same_queries_for_more_attempts(client, world):
    """The statistics page's query count does not grow with attempts or learners: attempts
    are read in one query and aggregated in Python over that one list (courses.quiz.statistics);
    the rest is the admin's frame (session, user, permissions, menu) and the lesson."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["trainer"])
    url = reverse("courses_quiz_statistics", args=[world["lesson"].pk])
    client.get(url)  # warm caches (content version, Wagtail's per-process look-ups)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    gia_lai = world["trainer"].scopes.get().org_unit
    for i in range(12, 40):
        learner = make_learner(unit=gia_lai, username=f"hv{i:02}")
        enrolment, _ = enrolment_create(user=learner, course=world["course"])
        attempt(enrolment, world["lesson"], [i % 2 == 0, i % 3 == 0])
        attempt(enrolment, world["lesson"], [True, True])  # a second try counts too
    page = BeautifulSoup(client.get(url).content, "html.parser")
    assert int(page.select_one("[data-attempts]")["data-attempts"]) > 10
    assert count() == before
    assert before <= 30, before
