"""The whole learner journey through the test client, and the ways it can go wrong."""

import re

import pytest
from django.urls import reverse

from courses.models import Enrolment, LessonPage, LessonProgress, QuizAttempt
from courses.signals import course_completed
from people.models import Profile
from tests.factories import (
    make_course,
    make_learner,
    make_unit,
    pass_quiz,
    quiz_answers,
    quiz_start,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune(db):
    province = make_unit("Gia Lai")
    return make_unit("Xã Ia Grai", parent=province)


@pytest.fixture
def completions():
    seen = []

    def receiver(sender, enrolment, **kwargs):
        seen.append(enrolment.pk)

    course_completed.connect(receiver)
    yield seen
    course_completed.disconnect(receiver)


def lessons_of(course):
    return list(LessonPage.objects.live().child_of(course).order_by("path"))


def test_sign_up_profile_enrol_learn_and_complete(client, course, commune, completions):
    # Sign up with a username only (no email).
    response = client.post(
        reverse("account_signup"),
        {"username": "hnuong", "password1": "Rừng-xanh-2026", "password2": "Rừng-xanh-2026"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:profile_edit"))
    profile = Profile.objects.get(user__username="hnuong")
    assert not profile.is_complete

    # Enrolling before the profile is complete sends the learner to the profile form.
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302 and reverse("people:profile_edit") in response["Location"]
    assert not Enrolment.objects.exists()

    # The profile: the commune is chosen by id (as the search widget sends it).
    response = client.post(
        reverse("people:profile_edit"),
        {
            "full_name": "  Siu   H\u0027Nu\u031bo\u031bng ",  # decomposed diacritics, extra spaces
            "org_unit": str(commune.pk),
            "gender": "female",
            "birth_year": "2001",
            "preferred_language": "vi",
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.full_name == "Siu H'Nương"  # NFC, single spaces
    assert profile.org_unit == commune

    # Enrol (a POST), then open the first lesson.
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user__username="hnuong", course=course)
    assert enrolment.source == "self" and enrolment.progress == 0

    first, second, final = lessons_of(course)
    assert client.get(first.url).status_code == 200

    # Mark both reading lessons done: progress moves, the course is not complete yet.
    client.post(reverse("courses:lesson_done", args=[first.pk]))
    client.post(reverse("courses:lesson_done", args=[second.pk]))
    enrolment.refresh_from_db()
    assert enrolment.progress == pytest.approx(2 / 3)
    assert enrolment.status == "active" and completions == []

    # Pass the final quiz: the enrolment completes with progress 1.0 and the hook fires once.
    response = pass_quiz(client, final, enrolment.user)
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    assert enrolment.progress == 1.0
    assert enrolment.completed_at is not None
    assert enrolment.final_score == 100
    assert completions == [enrolment.pk]

    # A passed quiz opens no new attempt (the review shows the answers now), and nothing
    # fires again.
    response = client.post(reverse("courses:quiz_start", args=[final.pk]), follow=True)
    assert "Bạn đã đạt bài kiểm tra này rồi." in response.content.decode()
    assert QuizAttempt.objects.filter(enrolment=enrolment).count() == 1
    assert completions == [enrolment.pk]
    page = client.get(reverse("courses:my_learning"))
    assert course.title in page.content.decode()


def test_failing_the_quiz_leaves_the_course_incomplete(client, course, commune, completions):
    learner = make_learner(unit=commune)
    client.force_login(learner)
    client.post(reverse("courses:enrol", args=[course.pk]))
    first, second, final = lessons_of(course)
    for lesson in (first, second):
        client.post(reverse("courses:lesson_done", args=[lesson.pk]))
    response = pass_quiz(client, final, learner, correct=False)
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.status == "active" and enrolment.completed_at is None
    assert enrolment.progress == pytest.approx(2 / 3)
    attempt = QuizAttempt.objects.get(enrolment=enrolment)
    assert attempt.score == 0 and not attempt.passed
    progress = LessonProgress.objects.get(enrolment=enrolment, lesson=final)
    assert progress.completed_at is None and progress.attempts == 1
    assert completions == []
    # The learner sees the score, but neither the explanations nor which answers were right
    # until passing.
    page = client.get(final.url).content.decode()
    assert "0% (đúng 0/2 câu)" in page
    assert "Giải thích." not in page and "your answer" not in page


class TestBadInput:
    """Each bad request gets a clear message and changes nothing."""

    @pytest.fixture
    def enrolled(self, client, course, commune):
        learner = make_learner(unit=commune)
        client.force_login(learner)
        client.post(reverse("courses:enrol", args=[course.pk]))
        return learner, lessons_of(course)

    def _state(self):
        return (
            list(QuizAttempt.objects.values_list("pk", "state", "score")),
            LessonProgress.objects.filter(completed_at__isnull=False).count(),
            list(Enrolment.objects.values_list("progress", "status")),
        )

    def test_unknown_choice(self, client, enrolled):
        learner, (_a, _b, final) = enrolled
        data = quiz_answers(final, attempt=quiz_start(client, final, learner))
        first_question = next(k for k in data if k.startswith("q-"))
        data[first_question] = ["not-a-choice"]
        before = self._state()
        response = client.post(reverse("courses:quiz_submit", args=[final.pk]), data)
        assert response.status_code == 400
        assert "Đáp án này không có trong các lựa chọn" in response.content.decode()
        assert self._state() == before

    def test_missing_answer(self, client, enrolled):
        learner, (_a, _b, final) = enrolled
        data = quiz_answers(final, attempt=quiz_start(client, final, learner))
        del data[next(k for k in data if k.startswith("q-"))]
        before = self._state()
        response = client.post(reverse("courses:quiz_submit", args=[final.pk]), data)
        assert response.status_code == 400
        assert "Hãy chọn một đáp án." in response.content.decode()
        assert self._state() == before

    def test_two_answers_to_a_one_answer_question(self, client, enrolled):
        learner, (_a, _b, final) = enrolled
        question = final.quiz_block.value["questions"].bound_blocks[0]
        data = quiz_answers(final, attempt=quiz_start(client, final, learner))
        data[f"q-{question.id}"] = [c.id for c in question.value["choices"].bound_blocks[:2]]
        before = self._state()
        response = client.post(reverse("courses:quiz_submit", args=[final.pk]), data)
        assert response.status_code == 400
        assert self._state() == before

    def test_quiz_of_another_lesson(self, client, enrolled):
        learner, (first, _b, final) = enrolled
        data = quiz_answers(final, attempt=quiz_start(client, final, learner))
        before = self._state()
        response = client.post(reverse("courses:quiz_submit", args=[first.pk]), data)
        assert response.status_code == 400
        assert "Lượt làm bài này không phải của bạn ở bài kiểm tra này." in (
            response.content.decode()
        )
        assert self._state() == before

    def test_lesson_of_another_course(self, client, enrolled):
        other = make_course("An toàn thông tin")
        other_final = lessons_of(other)[-1]
        other_first = lessons_of(other)[0]
        before = self._state()
        response = client.post(
            reverse("courses:quiz_submit", args=[other_final.pk]),
            quiz_answers(other_final),
            follow=True,
        )
        assert "Bạn chưa đăng ký khoá học có bài học này." in response.content.decode()
        response = client.post(reverse("courses:lesson_done", args=[other_first.pk]), follow=True)
        assert "Bạn chưa đăng ký khoá học có bài học này." in response.content.decode()
        assert self._state() == before
        assert not Enrolment.objects.filter(course=other).exists()

    def test_second_enrolment(self, client, enrolled, course):
        response = client.post(reverse("courses:enrol", args=[course.pk]), follow=True)
        assert "Bạn đã đăng ký khoá học này rồi." in response.content.decode()
        assert Enrolment.objects.filter(course=course).count() == 1

    def test_mark_done_on_a_quiz_lesson(self, client, enrolled):
        _learner, (_a, _b, final) = enrolled
        before = self._state()
        response = client.post(reverse("courses:lesson_done", args=[final.pk]), follow=True)
        assert "Bài học này hoàn thành khi bạn đạt bài kiểm tra." in response.content.decode()
        assert self._state() == before

    def test_enrol_is_post_only(self, client, enrolled, course):
        assert client.get(reverse("courses:enrol", args=[course.pk])).status_code == 405


def test_lesson_needs_enrolment(client, course, commune):
    first = lessons_of(course)[0]
    response = client.get(first.url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    client.force_login(make_learner(unit=commune))
    response = client.get(first.url)
    assert response.status_code == 302 and response["Location"] == course.url


def without_csrf_tokens(html: str) -> str:
    """Django masks the CSRF token afresh on every response; everything else must match."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)


def test_correct_answers_never_reach_the_browser(client, course, commune, monkeypatch):
    """Two quizzes that differ only in which answer is correct render identical HTML (the
    same draw and option order, from the same seed)."""
    import random

    from courses.quiz import services as quiz_services

    learner = make_learner(unit=commune)
    client.force_login(learner)
    client.post(reverse("courses:enrol", args=[course.pk]), follow=True)  # shows "enrolled"
    final = lessons_of(course)[-1]

    def render():
        monkeypatch.setattr(quiz_services, "_random", random.Random(14))
        attempt = quiz_start(client, final, learner)
        html = without_csrf_tokens(client.get(final.url).content.decode())
        QuizAttempt.objects.filter(pk=attempt.pk).delete()
        return html.replace(f'value="{attempt.pk}"', "").replace(f'data-attempt="{attempt.pk}"', "")

    before = render()
    assert "q-" in before  # the questions are on the page
    body = final.body.raw_data
    for block in body:
        if block["type"] == "quiz":
            for question in block["value"]["questions"]:
                for choice in question["value"]["choices"]:
                    choice["value"]["correct"] = not choice["value"]["correct"]
    final.body = body
    final.save_revision().publish()
    final = lessons_of(course)[-1]
    after = render()
    assert before == after
    assert "correct" not in after.lower().replace('class="quiz', "")
