"""A Jrai learner and an English learner in a real browser (issue 17): each chooses a language
in the header, sees the lesson translated into it and Vietnamese for the untranslated one, and
marks both done; the progress is the source course's."""

import pytest

from courses.models import Enrolment, LessonPage, LessonProgress
from courses.services import enrolment_create
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_class_attendance import login_cookie
from tests.browser.test_manager_dashboard import axe_serious
from tests.factories import make_course, make_learner, make_translation, make_unit, site_home

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TRANSLATED = {
    "jra": ("Kơkuh laih anŭn iâu tơdruă", "Ơ ama! Anăn kâo lĕ H’Nương."),
    "en": ("Greetings and forms of address", "Hello! My name is H’Nương."),
}


@pytest.mark.parametrize("language", ["jra", "en"])
def test_a_learner_reads_lessons_in_their_language_with_vietnamese_fallback(
    live_server, phone, language
):
    site_home()
    course = make_course("Tiếng Jrai cho cán bộ", lessons=2, quiz=[])
    first, second = LessonPage.objects.child_of(course).live().order_by("path")
    title, text = TRANSLATED[language]
    make_translation(first, language, title=title, text=text)
    learner = make_learner(unit=make_unit("Xã Ia Grai"))
    enrolment_create(user=learner, course=course)
    page = phone
    base = live_server.url
    page.context.add_cookies([login_cookie(learner, base)])

    # The header's language switch: the learner picks their language by its own name.
    page.goto(f"{base}{course.url}")
    assert axe_serious(page) == [], "the language switch, in Vietnamese"
    page.select_option("header form.lang select[name=language]", language)
    with page.expect_navigation():
        page.click("header form.lang button[type=submit]")
    page.wait_for_function(
        f"document.querySelector('header form.lang select').value === '{language}'"
    )
    # <html lang> is the interface's language: Vietnamese for Jrai (no Jrai catalogue).
    interface = "en" if language == "en" else "vi"
    assert page.evaluate("document.documentElement.lang") == interface
    assert axe_serious(page) == [], f"the course page and its language switch in {language}"

    # The syllabus: the translated lesson under its translated title, the other in Vietnamese.
    items = page.locator(".syllabus li a").all_inner_texts()
    assert items == [title, "Bài 2"]
    page.click(".syllabus li:first-child a")
    page.wait_for_url(f"**{first.url}")  # the lesson's usual address
    article = page.locator("article.lesson")
    assert page.locator("article.lesson h1").get_attribute("lang") == language
    assert page.locator("#lesson-text").get_attribute("lang") == language
    assert page.evaluate("document.documentElement.lang") == interface
    assert page.locator("article.lesson h1").inner_text() == title
    assert text in article.inner_text()
    assert page.locator(".untranslated").count() == 0
    page.screenshot(path=str(SCREENSHOTS / f"language-{language}-1.png"), full_page=True)
    assert axe_serious(page) == [], f"the translated lesson in {language}"

    # Mark as done: on to the next lesson, which has no translation and says so.
    page.click("form[action$='/done/'] button")
    page.wait_for_url(f"**{second.url}")
    assert page.locator("article.lesson h1").get_attribute("lang") == "vi"
    assert page.locator("article.lesson h1").inner_text() == "Bài 2"
    assert page.locator(".untranslated").count() == 1
    assert "Nội dung Bài 2." in page.locator("article.lesson").inner_text()
    page.screenshot(path=str(SCREENSHOTS / f"language-{language}-2.png"), full_page=True)
    page.click("form[action$='/done/'] button")
    page.wait_for_url(f"**{course.url}")

    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.course_id == course.pk and enrolment.status == Enrolment.Status.COMPLETED
    done = set(
        LessonProgress.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True)
    )
    assert done == {first.pk, second.pk}
    learner.profile.refresh_from_db()
    assert learner.profile.preferred_language == language  # follows them to the next device
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
