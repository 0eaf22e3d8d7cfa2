"""Assessments that measure: banks drawn on the server, the attempt policy, grants, and a
result page that teaches without giving the answers away. Written as an attacker would try."""

import datetime
import random

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrolment, LessonPage, LessonProgress, QuizAttempt, QuizAttemptGrant
from courses.quiz import services as quiz_services
from courses.quiz.policy import policy_state
from courses.quiz.services import quiz_attempt_grant, quiz_attempt_start, quiz_attempt_submit
from courses.services import enrolment_create
from tests.factories import (
    make_admin,
    make_course,
    make_learner,
    make_manager,
    make_trainer,
    make_unit,
    quiz_answers,
    quiz_start,
)

pytestmark = pytest.mark.django_db

TOPICS = ["Mật khẩu", "Lừa đảo", "Dữ liệu cá nhân"]
# A bank of 15 one-answer questions with three options each; topics cycle over three.
BANK = [
    {
        "text": f"Câu hỏi số {n}",
        "topic": TOPICS[n % 3],
        "explanation": f"Giải thích câu {n}.",
        "choices": [(f"Đúng {n}", True), (f"Sai {n}a", False), (f"Sai {n}b", False)],
    }
    for n in range(15)
]


@pytest.fixture
def province(db):
    return make_unit("Gia Lai")


@pytest.fixture
def commune(province):
    return make_unit("Xã Ia Grai", parent=province)


@pytest.fixture
def course(home):
    """A course whose final quiz draws 5 of its 15 questions, under the default policy."""
    return make_course("An toàn thông tin", lessons=0, quiz=BANK, quiz_draw=5)


@pytest.fixture
def final(course):
    return LessonPage.objects.child_of(course).live().get()


@pytest.fixture
def learner(commune, course):
    user = make_learner(unit=commune)
    enrolment_create(user=user, course=course)
    return user


def answers_of(attempt, *, correct=True):
    return {
        q["id"]: [c["id"] for c in q["choices"] if c["correct"] == correct][:1]
        for q in attempt.questions
    }


def start_and_submit(user, lesson, *, correct=True):
    attempt = quiz_attempt_start(user=user, lesson=lesson)
    return quiz_attempt_submit(
        user=user,
        lesson=lesson,
        attempt_id=attempt.pk,
        answers=answers_of(attempt, correct=correct),
    )[0]


def snapshot():
    """Everything a submission could change."""
    return (
        list(QuizAttempt.objects.order_by("pk").values_list("pk", "state", "score", "answers")),
        list(LessonProgress.objects.values_list("attempts", "score", "completed_at")),
        list(Enrolment.objects.values_list("status", "progress", "final_score")),
    )


def expect_refusal(code, **kwargs):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        quiz_attempt_submit(**kwargs)
    if code == "invalid_answers":  # a message per question, keyed by question id
        assert caught.value.error_dict, caught.value
    else:
        assert caught.value.code == code, caught.value
    assert snapshot() == before


# --- the draw -----------------------------------------------------------------------------


def test_the_draw_is_n_of_m_and_differs_across_attempts(course, final, learner):
    # The default policy allows 3 attempts in a row; give this course room for 6.
    type(course).objects.filter(pk=course.pk).update(quiz_attempts=10)
    bank_ids = {child.id for child in final.quiz_block.value["questions"].bound_blocks}
    bank_choices = {
        child.id: {c.id for c in child.value["choices"].bound_blocks}
        for child in final.quiz_block.value["questions"].bound_blocks
    }
    draws, orders = [], {}
    for _ in range(6):
        attempt = quiz_attempt_start(user=learner, lesson=final)
        ids = [q["id"] for q in attempt.questions]
        assert len(ids) == 5 == len(set(ids)) and set(ids) <= bank_ids
        for question in attempt.questions:
            shown = [c["id"] for c in question["choices"]]
            assert set(shown) == bank_choices[question["id"]]  # every option, shuffled
            orders.setdefault(question["id"], set()).add(tuple(shown))
        draws.append(frozenset(ids))
        quiz_attempt_submit(
            user=learner,
            lesson=final,
            attempt_id=attempt.pk,
            answers=answers_of(attempt, correct=False),
        )
    # Six draws of 5 out of 15 (3,003 possible) are all the same with odds of 1 in 3,003^5.
    assert len(set(draws)) > 1
    # Some question came up twice in a different option order (30 questions drawn, 6 orders).
    assert any(len(seen) > 1 for seen in orders.values())


def test_the_draw_is_stored_and_resumed_not_redrawn(course, final, learner):
    first = quiz_attempt_start(user=learner, lesson=final)
    again = quiz_attempt_start(user=learner, lesson=final)  # a reload, a double tap
    assert again.pk == first.pk and again.questions == first.questions
    assert QuizAttempt.objects.count() == 1
    # At most one open attempt per learner and quiz, also in the database.
    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttempt.objects.create(
            enrolment=first.enrolment, lesson=final, block_id="x", state="started"
        )


def test_the_quiz_page_shows_only_the_draw_without_answers(client, course, final, learner):
    client.force_login(learner)
    page = BeautifulSoup(client.get(final.url).content, "html.parser")
    assert page.select_one("form.quiz-start") and not page.select("fieldset.question")
    attempt = quiz_start(client, final, learner)
    page = BeautifulSoup(client.get(final.url).content, "html.parser")
    form = page.select_one("form.quiz-attempt")
    assert form.select_one("input[name=attempt]")["value"] == str(attempt.pk)
    shown = [
        (fs.select_one("input")["name"][2:], [i["value"] for i in fs.select("input")])
        for fs in form.select("fieldset.question")
    ]
    assert shown == [(q["id"], [c["id"] for c in q["choices"]]) for q in attempt.questions]
    html = str(form)
    for question in attempt.questions:
        assert question["explanation"] not in html and question["topic"] not in html


def test_the_bank_cannot_draw_more_than_it_holds():
    from courses.blocks import QuizBlock

    block = QuizBlock()
    value = block.to_python(
        {
            "title": "T",
            "intro": "",
            "draw": 3,
            "questions": [
                {
                    "type": "item",
                    "value": {
                        "text": "Q",
                        "kind": "single",
                        "topic": "",
                        "explanation": "",
                        "choices": [
                            {"type": "item", "value": {"text": "A", "correct": True}},
                            {"type": "item", "value": {"text": "B", "correct": False}},
                        ],
                    },
                }
            ],
        }
    )
    with pytest.raises(ValidationError):
        block.clean(value)


# --- the guessing script ------------------------------------------------------------------


def test_a_guessing_script_is_locked_out_and_learns_no_answer(
    client, course, final, learner, monkeypatch
):
    """A bot that starts, guesses and submits as fast as it can, reading only what the pages
    show. Under the default policy it gets 3 graded attempts, then every start is refused
    until 24 hours later; no page it sees tells it which answer was right, so each attempt is
    a fresh guess (here 3 options a question, 4 of 5 right needed: 11/243, about 4.5%).
    The server's draw and the bot's guesses are seeded so the run is the same every time."""
    monkeypatch.setattr(quiz_services, "_random", random.Random(14))
    client.force_login(learner)
    rng = random.Random(2026)
    seen_pages = []
    graded = 0
    for _ in range(20):
        client.post(reverse("courses:quiz_start", args=[final.pk]))
        page = BeautifulSoup(client.get(final.url).content, "html.parser")
        form = page.select_one("form.quiz-attempt")
        if form is None:
            break
        data = {"attempt": form.select_one("input[name=attempt]")["value"]}
        for fieldset in form.select("fieldset.question"):
            options = fieldset.select("input")
            data[options[0]["name"]] = [rng.choice(options)["value"]]
        response = client.post(reverse("courses:quiz_submit", args=[final.pk]), data)
        assert response.status_code == 302
        # A double tap of the same submission is answered, not counted.
        client.post(reverse("courses:quiz_submit", args=[final.pk]), data)
        graded += 1
        seen_pages.append(client.get(final.url).content.decode())

    assert graded == 3
    attempts = QuizAttempt.objects.filter(enrolment__user=learner)
    assert attempts.filter(state="submitted").count() == 3 and not attempts.filter(state="started")
    assert LessonProgress.objects.get(lesson=final).attempts == 3
    # With this seed the guesses score below the pass mark, so the quiz stays locked.
    assert not attempts.filter(passed=True).exists()
    # The pages showed scores and topics, never the answer key or the explanations.
    answer_texts = {c["text"] for a in attempts for q in a.questions for c in q["choices"]}
    explanations = {q["explanation"] for a in attempts for q in a.questions}
    for html in seen_pages:
        page = BeautifulSoup(html, "html.parser")
        assert page.select_one("#quiz-result.failed")
        assert not page.select(".answer-key, .quiz-review, .explanation, .verdict")
        assert not any(text in html for text in answer_texts | explanations)
    locked = BeautifulSoup(seen_pages[-1], "html.parser")
    assert locked.select_one(".quiz-locked") and not locked.select_one("form.quiz-start")
    # Starting is refused on the server too, with the time it opens again.
    with pytest.raises(ValidationError) as caught:
        quiz_attempt_start(user=learner, lesson=final)
    assert caught.value.code == "locked"
    # 24 hours after the third attempt, three new ones.
    QuizAttempt.objects.update(
        submitted_at=timezone.now() - datetime.timedelta(hours=24, minutes=1)
    )
    assert quiz_attempt_start(user=learner, lesson=final).state == "started"


def test_result_page_shows_topics_until_passed_then_the_answers(client, course, final, learner):
    client.force_login(learner)
    attempt = quiz_attempt_start(user=learner, lesson=final)
    answers = answers_of(attempt, correct=True)
    wrong = attempt.questions[:2]  # answer the first two wrong: 3 of 5 = 60%, below 70
    for question in wrong:
        answers[question["id"]] = [c["id"] for c in question["choices"] if not c["correct"]][:1]
    quiz_attempt_submit(user=learner, lesson=final, attempt_id=attempt.pk, answers=answers)
    page = BeautifulSoup(client.get(final.url).content, "html.parser")
    result = page.select_one("#quiz-result.failed")
    assert "60%" in result.text
    topics = [li.text for li in result.select(".review-topics li")]
    assert topics == sorted({q["topic"] for q in wrong})
    assert not page.select(".quiz-review, .explanation")

    passed = start_and_submit(learner, final)
    assert passed.passed
    page = BeautifulSoup(client.get(final.url).content, "html.parser")
    assert page.select_one("#quiz-result.passed")
    review = page.select(".quiz-review fieldset.question")
    assert len(review) == 5
    keys = [li.text.strip() for li in page.select(".quiz-review li.answer-key")]
    expected = ["✓ " + c["text"] for q in passed.questions for c in q["choices"] if c["correct"]]
    assert len(keys) == len(expected) == 5
    assert all(key.startswith(text) for key, text in zip(keys, expected, strict=True))
    assert [p.text for p in page.select(".quiz-review .explanation")] == [
        q["explanation"] for q in passed.questions
    ]


# --- forged submissions -------------------------------------------------------------------


def test_forged_submissions_are_refused_and_change_nothing(course, final, learner, commune):
    attempt = quiz_attempt_start(user=learner, lesson=final)
    good = answers_of(attempt)
    drawn = {q["id"] for q in attempt.questions}
    undrawn = next(
        child for child in final.quiz_block.value["questions"].bound_blocks if child.id not in drawn
    )
    call = {"user": learner, "lesson": final, "attempt_id": attempt.pk}

    # A question that was not drawn (the bot "knows" the answer to it).
    expect_refusal(
        "unknown_question",
        **call,
        answers={**good, undrawn.id: [undrawn.value["choices"].bound_blocks[0].id]},
    )
    # A choice of another question.
    first, second = attempt.questions[:2]
    forged = {**good, first["id"]: [second["choices"][0]["id"]]}
    expect_refusal("invalid_answers", **call, answers=forged)
    # Two answers to a one-answer question, every option at once.
    forged = {**good, first["id"]: [c["id"] for c in first["choices"]]}
    expect_refusal("invalid_answers", **call, answers=forged)
    # A missing answer.
    expect_refusal(
        "invalid_answers", **call, answers={k: v for k, v in good.items() if k != first["id"]}
    )
    # Huge payloads: thousands of questions, thousands of choices, a very long id.
    expect_refusal("too_large", **call, answers={f"q{n}": ["x"] for n in range(5000)})
    expect_refusal("too_large", **call, answers={first["id"]: [f"c{n}" for n in range(5000)]})
    expect_refusal("too_large", **call, answers={"x" * 100_000: ["y"]})
    # An attempt id that is not a number, not an attempt, or someone else's.
    for forged_id in ["", "1 OR 1=1", "9" * 40, str(attempt.pk + 1000), None]:
        expect_refusal(
            "unknown_attempt", user=learner, lesson=final, attempt_id=forged_id, answers=good
        )
    other = make_learner(unit=commune)
    enrolment_create(user=other, course=course)
    expect_refusal("unknown_attempt", user=other, lesson=final, attempt_id=attempt.pk, answers=good)
    # The learner's own attempt sent to another lesson (of another course they are in).
    elsewhere = make_course("Khác", lessons=0, quiz=BANK)
    enrolment_create(user=learner, course=elsewhere)
    other_final = LessonPage.objects.child_of(elsewhere).get()
    expect_refusal(
        "unknown_attempt", user=learner, lesson=other_final, attempt_id=attempt.pk, answers=good
    )

    # Still open and ungraded after all that; it grades normally.
    graded, graded_now = quiz_attempt_submit(**call, answers=good)
    assert graded_now and graded.score == 100
    # Finished: other answers are refused; the same answers return the same result.
    expect_refusal("finished", **call, answers=answers_of(attempt, correct=False))
    again, graded_now = quiz_attempt_submit(**call, answers=good)
    assert not graded_now and again.pk == graded.pk and again.score == 100
    assert LessonProgress.objects.get(lesson=final).attempts == 1


def test_forged_posts_over_http(client, course, final, learner, commune):
    client.force_login(learner)
    attempt = quiz_start(client, final, learner)
    other = make_learner(unit=commune)
    enrolment_create(user=other, course=course)
    other_attempt = quiz_attempt_start(user=other, lesson=final)
    url = reverse("courses:quiz_submit", args=[final.pk])
    before = snapshot()
    # No attempt id at all (the old form): refused.
    data = quiz_answers(final, attempt=attempt)
    del data["attempt"]
    assert client.post(url, data).status_code == 400
    # Another learner's attempt id.
    response = client.post(url, quiz_answers(final, attempt=other_attempt))
    assert response.status_code == 400
    # Too many fields for Django's request limit: 400 before any service runs.
    huge = {"attempt": str(attempt.pk), **{f"q-{n}": "x" for n in range(5000)}}
    assert client.post(url, huge).status_code == 400
    assert snapshot() == before


def test_an_expired_attempt_counts_and_is_refused(course, final, learner):
    attempt = quiz_attempt_start(user=learner, lesson=final)
    QuizAttempt.objects.filter(pk=attempt.pk).update(expires_at=timezone.now())
    expect_refusal(
        "expired", user=learner, lesson=final, attempt_id=attempt.pk, answers=answers_of(attempt)
    )
    # It counted as used: two attempts left, and a new start draws afresh.
    fresh = quiz_attempt_start(user=learner, lesson=final)
    assert fresh.pk != attempt.pk
    assert QuizAttempt.objects.get(pk=attempt.pk).state == "expired"
    state = quiz_services.quiz_policy_state(
        enrolment=fresh.enrolment, lesson=final, now=timezone.now()
    )
    assert (state.used, state.remaining) == (1, 2)


def test_an_abandoned_attempt_costs_nothing_until_it_expires(client, course, final, learner):
    client.force_login(learner)
    quiz_start(client, final, learner)
    client.logout()  # connection lost
    client.force_login(learner)
    page = BeautifulSoup(client.get(final.url).content, "html.parser")
    assert page.select_one("form.quiz-attempt")  # the same attempt, resumed
    state = quiz_services.quiz_policy_state(
        enrolment=Enrolment.objects.get(user=learner), lesson=final, now=timezone.now()
    )
    assert (state.used, state.remaining) == (0, 3)


def test_a_resubmission_over_http_is_answered_once(client, course, final, learner):
    client.force_login(learner)
    attempt = quiz_start(client, final, learner)
    data = quiz_answers(final, attempt=attempt)
    url = reverse("courses:quiz_submit", args=[final.pk])
    first = client.post(url, data)
    second = client.post(url, data)  # the retry after a dropped connection
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    graded = QuizAttempt.objects.get(pk=attempt.pk)
    assert graded.state == "submitted" and graded.score == 100
    assert QuizAttempt.objects.count() == 1
    assert LessonProgress.objects.get(lesson=final).attempts == 1
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.status == "completed"


def test_a_passed_quiz_opens_no_new_attempt(course, final, learner):
    start_and_submit(learner, final)
    with pytest.raises(ValidationError) as caught:
        quiz_attempt_start(user=learner, lesson=final)
    assert caught.value.code == "passed"


# --- the policy ---------------------------------------------------------------------------


def test_policy_windows_and_grants_hand_computed():
    t0 = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC)
    hour = datetime.timedelta(hours=1)
    day = datetime.timedelta(hours=24)

    def state(used, granted, now):
        return policy_state(attempts=3, wait=day, used_at=used, granted_at=granted, now=now)

    # Nothing yet: 3 left.
    assert state([], [], t0).remaining == 3
    # Two used: 1 left. Three used: locked until 24 h after the third (t0 + 2h + 24h).
    assert state([t0, t0 + hour], [], t0 + 2 * hour).remaining == 1
    used = [t0, t0 + hour, t0 + 2 * hour]
    locked = state(used, [], t0 + 3 * hour)
    assert locked.remaining == 0 and locked.locked_until == t0 + 2 * hour + day
    # One minute before that still locked; at that moment three new ones.
    assert state(used, [], t0 + 2 * hour + day - datetime.timedelta(minutes=1)).remaining == 0
    assert state(used, [], t0 + 2 * hour + day).remaining == 3
    # A grant while locked: one attempt at once; using it locks for 24 h from then.
    granted = [t0 + 5 * hour]
    assert state(used, granted, t0 + 6 * hour).remaining == 1
    after = state([*used, t0 + 7 * hour], granted, t0 + 8 * hour)
    assert after.remaining == 0 and after.locked_until == t0 + 7 * hour + day
    # A grant before the attempts are used up adds to the window: 4 in all.
    assert state([t0], [t0 - hour], t0 + hour).remaining == 3
    # The next window after a lock: attempts at t0+30h, t0+31h leave 1.
    assert state([*used, t0 + 30 * hour, t0 + 31 * hour], [], t0 + 32 * hour).remaining == 1


def test_the_policy_is_per_course_and_in_the_admin_panel(admin_client, course, final, learner):
    type(course).objects.filter(pk=course.pk).update(quiz_attempts=1, quiz_wait_hours=2)
    start_and_submit(learner, final, correct=False)
    with pytest.raises(ValidationError) as caught:
        quiz_attempt_start(user=learner, lesson=final)
    assert caught.value.code == "locked"
    QuizAttempt.objects.update(submitted_at=timezone.now() - datetime.timedelta(hours=2))
    assert quiz_attempt_start(user=learner, lesson=final)
    page = BeautifulSoup(
        admin_client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content,
        "html.parser",
    )
    assert page.select_one("input[name=quiz_attempts]")["value"] == "1"
    assert page.select_one("input[name=quiz_wait_hours]")["value"] == "2"


# --- grants -------------------------------------------------------------------------------


def locked_out(learner, final):
    for _ in range(3):
        start_and_submit(learner, final, correct=False)
    with pytest.raises(ValidationError):
        quiz_attempt_start(user=learner, lesson=final)


def test_a_trainer_in_scope_grants_an_extra_attempt(client, course, final, learner, province):
    locked_out(learner, final)
    trainer = make_trainer(scope=province)
    client.force_login(trainer)
    url = reverse("courses:quiz_attempts", args=[course.pk, learner.pk])
    page = BeautifulSoup(client.get(url).content, "html.parser")
    assert len(page.select(".learner-quiz .attempt-row")) == 3
    form = page.select_one("form.grant-form")
    assert form["action"] == reverse("courses:quiz_grant", args=[course.pk, learner.pk])
    # A reason is required.
    response = client.post(form["action"], {"lesson": final.pk, "reason": "   "})
    assert response.status_code == 302 and not QuizAttemptGrant.objects.exists()
    response = client.post(form["action"], {"lesson": final.pk, "reason": "Mất điện khi làm bài"})
    assert response.status_code == 302
    grant = QuizAttemptGrant.objects.get()
    assert (grant.granted_by, grant.reason, grant.lesson_id) == (
        trainer,
        "Mất điện khi làm bài",
        final.pk,
    )
    assert grant.enrolment.user == learner and grant.granted_at is not None
    # The learner may start one more attempt at once, and only one.
    start_and_submit(learner, final, correct=False)
    with pytest.raises(ValidationError):
        quiz_attempt_start(user=learner, lesson=final)
    page = BeautifulSoup(client.get(url).content, "html.parser")
    assert "Mất điện khi làm bài" in page.select_one(".grants").text


def test_an_administrator_grants_too(client, course, final, learner):
    locked_out(learner, final)
    admin = make_admin()
    client.force_login(admin)
    url = reverse("courses:quiz_grant", args=[course.pk, learner.pk])
    client.post(url, {"lesson": final.pk, "reason": "Thi lại theo đề nghị của xã"})
    assert QuizAttemptGrant.objects.get().granted_by == admin
    assert quiz_attempt_start(user=learner, lesson=final).state == "started"


def test_others_cannot_grant(client, course, final, learner, home):
    locked_out(learner, final)
    elsewhere = make_unit("Đắk Lắk")
    outsider = make_trainer(scope=elsewhere)
    classmate = make_learner(unit=learner.profile.org_unit)
    manager = make_manager(scope=learner.profile.org_unit)  # managers audit, trainers grant
    pages = [
        reverse("courses:quiz_attempts", args=[course.pk, learner.pk]),
        reverse("courses:quiz_grant", args=[course.pk, learner.pk]),
    ]
    for user in (outsider, classmate, learner, manager):
        client.force_login(user)
        assert client.get(pages[0]).status_code == 404
        assert client.post(pages[1], {"lesson": final.pk, "reason": "xin thêm"}).status_code == 404
    client.logout()
    assert client.post(pages[1], {"lesson": final.pk, "reason": "x"}).status_code == 302  # login
    # And the service itself refuses an out-of-scope trainer.
    with pytest.raises(PermissionDenied):
        quiz_attempt_grant(
            by=outsider,
            enrolment=Enrolment.objects.get(user=learner),
            lesson=final,
            reason="xin thêm",
        )
    assert not QuizAttemptGrant.objects.exists()
    with pytest.raises(ValidationError):
        quiz_attempt_start(user=learner, lesson=final)


def test_grant_for_a_lesson_outside_the_course_is_not_found(
    client, course, final, learner, province
):
    other = make_course("Khác", lessons=0, quiz=BANK)
    other_final = LessonPage.objects.child_of(other).get()
    client.force_login(make_trainer(scope=province))
    response = client.post(
        reverse("courses:quiz_grant", args=[course.pk, learner.pk]),
        {"lesson": other_final.pk, "reason": "x"},
    )
    assert response.status_code == 404 and not QuizAttemptGrant.objects.exists()


def test_the_class_roster_links_to_each_learners_attempts(client, home):
    """Trainers reach the grant form from where they already see their learners."""
    from tests.classes.conftest import add_learners, make_class

    province = make_unit("Gia Lai")
    commune = make_unit("Xã Ia Grai", parent=province)
    world = {"trainer": make_trainer(scope=commune), "course": make_course("Lớp", lessons=1)}
    session = make_class(world, venue=commune)
    (learner,) = add_learners(world, session, 1)
    client.force_login(world["trainer"])
    page = BeautifulSoup(
        client.get(reverse("classes:detail", args=[session.pk])).content, "html.parser"
    )
    url = reverse("courses:quiz_attempts", args=[world["course"].pk, learner.pk])
    assert page.select_one(f"tr.member a[href='{url}']")
    page = BeautifulSoup(client.get(url).content, "html.parser")
    assert page.select_one("form.grant-form input[name=reason]")
    assert page.select_one(".quiz-state").text.strip() == "Còn 3 lượt."
