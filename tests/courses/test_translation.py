"""Course content in the learner's language with Vietnamese as the fallback (issue 17).

Hand-made page trees: a course with three lessons, the first translated into Jrai and English.
A learner reading Jrai sees the Jrai lesson and Vietnamese for the others, the interface in
Vietnamese where no Jrai catalogue exists; progress, completion and the quiz stay the source
lesson's, whichever page the learner acted through; nobody gets in through a translation.
"""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from courses.models import CoursePage, Enrolment, LessonPage, LessonProgress, QuizAttempt
from courses.services import enrolment_create
from courses.translation import content_locales_ensure, shown_page, source_of
from tests.factories import (
    make_course,
    make_learner,
    make_translation,
    make_unit,
    pass_quiz,
    quiz_answers,
)

pytestmark = pytest.mark.django_db

JRAI_TITLE = "Pơhiăp kơkuh laih anŭn iâu anăn"
JRAI_TEXT = "Ơ ama! Ơ amĭ! Anăn kâo lĕ H’Nương."
ENGLISH_TITLE = "Greetings and forms of address"


@pytest.fixture
def course(home):
    """Three reading lessons and a final quiz; lesson 1 translated into Jrai and English, the
    course title into Jrai."""
    course = make_course("Tiếng Jrai cho cán bộ", lessons=3)
    first = lessons_of(course)[0]
    make_translation(first, "jra", title=JRAI_TITLE, text=JRAI_TEXT)
    make_translation(first, "en", title=ENGLISH_TITLE, text="Hello! My name is H’Nương.")
    make_translation(course, "jra", title="Boh hiăp Jrai kơ khua", text="Hrăm boh hiăp Jrai.")
    return course


def lessons_of(course) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def translation_of(page, language: str):
    return type(page).objects.get(
        translation_key=page.translation_key, locale__language_code=language
    )


def reader(client, language: str):
    """A learner enrolled in the course who reads `language` (the header's switch)."""
    learner = make_learner(unit=make_unit("Xã Ia Grai"))
    client.force_login(learner)
    client.post(reverse("people:language_set"), {"language": language})
    return learner


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def lesson_shown(client, lesson) -> tuple[str, str, bool]:
    """(heading, the content's lang, whether the page says it fell back to Vietnamese)."""
    page = soup(client.get(lesson.url))
    article = page.select_one("article.lesson")
    assert article.h1["lang"] == article.select_one("#lesson-text")["lang"]
    return (
        article.h1.get_text(strip=True),
        article.h1["lang"],
        article.select_one(".untranslated") is not None,
    )


def test_locales_exist_for_every_content_language():
    codes = set(Locale.objects.values_list("language_code", flat=True))
    assert {"vi", "en", "jra", "rad", "bdq", "hnj", "km", "tyz"} <= codes
    assert content_locales_ensure() == 0  # idempotent


@pytest.mark.parametrize(
    ("language", "first_title", "first_lang", "course_title"),
    [
        ("jra", JRAI_TITLE, "jra", "Boh hiăp Jrai kơ khua"),
        ("en", ENGLISH_TITLE, "en", "Tiếng Jrai cho cán bộ"),
        ("vi", "Bài 1", "vi", "Tiếng Jrai cho cán bộ"),
        ("rad", "Bài 1", "vi", "Tiếng Jrai cho cán bộ"),  # nothing in Êđê: all Vietnamese
    ],
    ids=["jra", "en", "vi", "rad"],
)
def test_each_lesson_in_the_learners_language_else_vietnamese(
    client, course, language, first_title, first_lang, course_title
):
    learner = reader(client, language)
    enrolment_create(user=learner, course=course)
    first, second, *_rest = lessons_of(course)

    assert lesson_shown(client, first) == (first_title, first_lang, language == "rad")
    page = soup(client.get(first.url))
    if language == "jra":
        assert JRAI_TEXT in page.select_one("article.lesson").get_text()
    # The untranslated lesson falls back to Vietnamese, and says so to a non-Vietnamese reader.
    assert lesson_shown(client, second) == ("Bài 2", "vi", language != "vi")
    # The course page: its title, and each lesson's title in the syllabus, the same way.
    course_page = soup(client.get(course.url))
    assert course_page.h1.get_text(strip=True) == course_title
    syllabus = [a.get_text(strip=True) for a in course_page.select(".syllabus li a")]
    assert syllabus == [first_title, "Bài 2", "Bài 3", "Bài kiểm tra cuối khoá"]
    # Each title says its own language; the interface around them says the interface's.
    langs = [a["lang"] for a in course_page.select(".syllabus li a")]
    assert langs == [first_lang, "vi", "vi", "vi"]
    assert course_page.h1["lang"] == ("jra" if language == "jra" else "vi")
    assert course_page.html["lang"] == ("en" if language == "en" else "vi")


def test_interface_strings_fall_back_to_vietnamese_not_english(client, course):
    learner = reader(client, "jra")
    enrolment_create(user=learner, course=course)
    page = soup(client.get(lessons_of(course)[1].url))
    # No Jrai catalogue: the interface speaks Vietnamese (the default), never English.
    button = page.select_one("form[action$='/done/'] button").get_text(strip=True)
    assert button.endswith("Đánh dấu đã hoàn thành"), button  # after simple mode's icon
    # <html lang> names the language the interface is really shown in: Vietnamese.
    assert page.html["lang"] == "vi"
    assert page.select_one("article.lesson").get("lang") is None  # the interface's
    assert page.select_one(".untranslated")["lang"] == "vi"
    first = soup(client.get(lessons_of(course)[0].url))
    assert first.html["lang"] == "vi"
    assert first.h1["lang"] == "jra" and first.select_one("#lesson-text")["lang"] == "jra"
    assert first.select_one("nav.breadcrumb a")["lang"] == "jra"  # the course's Jrai title
    # Its "mark as done" button (interface) is outside the Jrai content.
    assert first.select_one("form[action$='/done/']").find_parent(attrs={"lang": "jra"}) is None
    with translation.override("jra"):
        assert translation.gettext("Mark as done") == "Đánh dấu đã hoàn thành"
        assert translation.get_language_info("jra")["name_local"] == "Jrai"
    with translation.override("en"):
        assert translation.gettext("Mark as done") == "Mark as done"
    assert "jra" in dict(settings.LANGUAGES)


def test_a_draft_translation_is_not_shown(client, home):
    course = make_course("Khoá nháp", lessons=1, quiz=[])
    lesson = lessons_of(course)[0]
    make_translation(lesson, "jra", title="Bản nháp Jrai", publish=False)
    with translation.override("jra"):
        assert shown_page(lesson) == lesson


def test_the_catalogue_lists_languages_with_content_and_counts(client, home, course):
    make_course("Tin học cơ bản", lessons=1, quiz=[])
    make_course("Khoá dạy bằng tiếng Jrai", lessons=1, quiz=[], language="jra")
    unpublished = make_course("Chỉ có bản nháp Êđê", lessons=1, quiz=[])
    make_translation(lessons_of(unpublished)[0], "rad", title="Bản nháp", publish=False)

    page = soup(client.get("/courses/"))
    options = {
        option["value"]: option.get_text(strip=True)
        for option in page.select("form.filters select[name=language] option")
        if option["value"]
    }
    # Vietnamese: the three courses written in it (the translated one included); Jrai: the one
    # taught in Jrai and the one with a Jrai lesson; English: the one with an English lesson.
    # Êđê has only a draft, Khmer nothing: not offered.
    assert options == {
        "vi": "Tiếng Việt (3 khoá học)",
        "en": "Tiếng Anh (1 khoá học)",
        "jra": "Tiếng Jrai (2 khoá học)",
    }
    jrai = soup(client.get("/courses/?language=jra"))
    titles = [a.get_text(strip=True) for a in jrai.select(".course-card h3 a")]
    assert titles == ["Tiếng Jrai cho cán bộ", "Khoá dạy bằng tiếng Jrai"]
    assert soup(client.get("/courses/?language=rad")).select(".course-card") == []
    # Translations are not courses of their own anywhere a course is listed.
    featured = [a.get_text(strip=True) for a in soup(client.get("/")).select(".course-card h3 a")]
    assert (
        featured
        == [
            c.title for c in CoursePage.objects.filter(locale__language_code="vi").order_by("path")
        ][:4]
    )
    assert "Boh hiăp Jrai kơ khua" not in featured


def test_a_translation_is_the_same_lesson_for_progress_and_completion(client, course):
    learner = reader(client, "jra")
    enrolment_create(user=learner, course=course)
    first, second, third, final = lessons_of(course)
    jrai_first = translation_of(first, "jra")

    # The Jrai page's form posts the source lesson's id.
    page = soup(client.get(first.url))
    assert page.select_one("form[action$='/done/']")["action"] == reverse(
        "courses:lesson_done", args=[first.pk]
    )
    # An action sent with the translation's id counts for the source lesson, once.
    client.post(reverse("courses:lesson_done", args=[jrai_first.pk]))
    client.post(reverse("courses:lesson_done", args=[first.pk]))
    progress = LessonProgress.objects.filter(enrolment__user=learner)
    assert list(progress.values_list("lesson_id", flat=True)) == [first.pk]
    for lesson in (second, third):
        client.post(reverse("courses:lesson_done", args=[lesson.pk]))
    pass_quiz(client, final, learner)
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.course_id == course.pk
    assert not LessonProgress.objects.filter(lesson_id=jrai_first.pk).exists()
    # The course page in Jrai shows the same progress.
    assert "completed" in soup(client.get(course.url)).select_one(".syllabus li")["class"]


def test_a_quiz_through_a_translations_id_is_graded_on_the_source(client, course):
    learner = reader(client, "en")
    enrolment_create(user=learner, course=course)
    final = lessons_of(course)[-1]
    english_final = make_translation(final, "en", title="Final test")
    response = client.post(reverse("courses:quiz_start", args=[english_final.pk]))
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(enrolment__user=learner)
    assert attempt.lesson_id == final.pk  # the source's quiz, graded on the server
    client.post(
        reverse("courses:quiz_submit", args=[english_final.pk]),
        quiz_answers(final, attempt=attempt),
    )
    assert QuizAttempt.objects.get(pk=attempt.pk).passed


def test_no_way_in_through_a_translation(client, course, home):
    """A learner not enrolled in a course marks nothing done, answers no quiz and is not
    enrolled in a translation, whatever id they send."""
    other = make_course("Khoá khác", lessons=1)
    attacker = reader(client, "jra")
    enrolment_create(user=attacker, course=other)
    jrai_first = translation_of(lessons_of(course)[0], "jra")

    response = client.post(reverse("courses:lesson_done", args=[jrai_first.pk]))
    assert response.status_code == 302
    assert not LessonProgress.objects.filter(enrolment__user=attacker).exists()
    client.post(
        reverse("courses:quiz_start", args=[translation_of(lessons_of(course)[0], "jra").pk])
    )
    assert not QuizAttempt.objects.filter(enrolment__user=attacker).exists()
    # Reading the translation's own address is not possible either (it has none that routes).
    assert jrai_first.url is None or client.get(jrai_first.url).status_code in (302, 404)
    # Enrolling through the Jrai course's id enrols in the source course, never the copy.
    jrai_course = translation_of(course, "jra")
    client.post(reverse("courses:enrol", args=[jrai_course.pk]))
    assert set(Enrolment.objects.filter(user=attacker).values_list("course_id", flat=True)) == {
        other.pk,
        course.pk,
    }
    with pytest.raises(ValidationError):
        enrolment_create(user=make_learner(unit=make_unit("Xã Ia Le")), course=jrai_course)
    # Malformed and unknown ids: 404, nothing written.
    assert client.post("/learn/lessons/999999999/done/").status_code == 404
    assert source_of(LessonPage.objects.live(), 999999999) is None


def test_a_private_source_keeps_its_translation_private(client, course):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="bí-mật"
    )
    learner = reader(client, "jra")
    jrai_first = translation_of(lessons_of(course)[0], "jra")
    assert client.post(reverse("courses:lesson_done", args=[jrai_first.pk])).status_code == 404
    assert not Enrolment.objects.filter(user=learner).exists()


JRAI_QUIZ = "Jrai: "


def translate_quiz(final):
    """A Jrai translation of the final quiz lesson: every quiz text translated (marked), the
    block ids kept, as wagtail-localize keeps them."""

    def marked(node):
        if isinstance(node, dict):
            return {
                key: JRAI_QUIZ + value
                if key in {"text", "title", "intro", "explanation"} and isinstance(value, str)
                and value
                else marked(value)
                for key, value in node.items()
            }  # fmt: skip
        if isinstance(node, list):
            return [marked(item) for item in node]
        return node

    translated = make_translation(final, "jra", title="Tơlơi lông hrŏm")
    translated.body = [
        {**block, "value": marked(block["value"])} if block["type"] == "quiz" else block
        for block in translated.body.raw_data
    ]
    translated.save_revision().publish()
    return translated


def answer_by_meaning(client, final, right_texts: set[str]) -> QuizAttempt:
    """Start the quiz and answer as a reader of the page would: the first question right, the
    others wrong, choosing options by the text shown (never by id)."""
    client.post(reverse("courses:quiz_start", args=[final.pk]))
    form = soup(client.get(final.url)).select_one("form.quiz-attempt")
    data = {"attempt": form.select_one("input[name=attempt]")["value"]}
    for number, fieldset in enumerate(form.select("fieldset.question")):
        options = [
            (i["name"], i["value"], fieldset.select_one(f"label[for=c-{i['value']}]"))
            for i in fieldset.select("input[name^=q-]")
        ]
        right = [(n, v) for n, v, label in options if label.get_text(strip=True) in right_texts]
        wrong = [(n, v) for n, v, label in options if label.get_text(strip=True) not in right_texts]
        for name, value in right if number == 0 else wrong[:1]:
            data.setdefault(name, []).append(value)
    client.post(reverse("courses:quiz_submit", args=[final.pk]), data)
    return QuizAttempt.objects.get(enrolment__user=client.learner)


def test_a_jrai_learner_sees_the_jrai_quiz_and_is_graded_like_a_vietnamese_one(home):
    from django.test import Client

    course = make_course("Tiếng Jrai cho cán bộ", lessons=1)
    final = lessons_of(course)[-1]
    translate_quiz(final)
    right = {
        choice.value["text"]
        for question in final.quiz_block.value["questions"]
        for choice in question["choices"].bound_blocks
        if choice.value["correct"]
    }
    attempts = {}
    for language in ("vi", "jra"):
        client = Client()
        client.learner = reader(client, language)
        enrolment_create(user=client.learner, course=course)
        shown = right if language == "vi" else {JRAI_QUIZ + text for text in right}
        attempts[language] = answer_by_meaning(client, final, shown)
    vi, jra = attempts["vi"], attempts["jra"]
    assert vi.state == jra.state == QuizAttempt.State.SUBMITTED
    assert vi.lesson_id == jra.lesson_id == final.pk  # the source's quiz, the same bank
    assert len(vi.questions) > 1
    assert vi.score == jra.score and 0 < jra.score < 100  # one right, the others wrong
    assert not jra.passed
    # Both drew from the same options (ids), whatever the text shown.
    assert {c["id"] for q in vi.questions for c in q["choices"]} == {
        c["id"] for q in jra.questions for c in q["choices"]
    }


def test_the_jrai_quiz_form_shows_jrai_texts_marked_as_jrai(client, home):
    course = make_course("Tiếng Jrai cho cán bộ", lessons=1)
    final = lessons_of(course)[-1]
    translate_quiz(final)
    learner = reader(client, "jra")
    enrolment_create(user=learner, course=course)
    client.post(reverse("courses:quiz_start", args=[final.pk]))
    page = soup(client.get(final.url))
    form = page.select_one("form.quiz-attempt")
    texts = form.select("legend span[lang], label span[lang]")
    assert texts and all(span["lang"] == "jra" for span in texts)
    assert all(span.get_text(strip=True).startswith(JRAI_QUIZ) for span in texts)
    assert page.select_one("#quiz h2 span")["lang"] == "jra"
    # The form's interface (buttons, notes) is in the interface's language, Vietnamese.
    assert page.select_one("section#quiz")["lang"] == "vi"
    assert form.select_one("button[type=submit]").get_text(strip=True).endswith("Nộp bài")
    # A Vietnamese reader of the same quiz sees the bank's texts, marked Vietnamese.
    other = reader(client, "vi")
    enrolment_create(user=other, course=course)
    client.post(reverse("courses:quiz_start", args=[final.pk]))
    form = soup(client.get(final.url)).select_one("form.quiz-attempt")
    texts = form.select("legend span[lang], label span[lang]")
    assert texts and all(span["lang"] == "vi" for span in texts)
    assert not any(JRAI_QUIZ in span.get_text() for span in texts)
