"""An H5P activity in a real browser: the learner answers a multiple-choice question, the
score reaches LessonProgress through the sandboxed frame's postMessage and our endpoint,
reloading restores the answer, and the frame cannot read the site's cookies."""

import pytest

from courses.models import Enrolment, H5PActivityProgress, LessonProgress, XAPIStatement
from courses.services import enrolment_create
from tests.browser.conftest import SCREENSHOTS
from tests.courses.h5p_support import H5P_VALID, import_file, make_h5p_lesson
from tests.factories import PASSWORD, make_course, make_learner, make_unit, site_home

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def wagtail_tree():
    """An earlier transactional test flushes the database, and with it the rows Wagtail's
    migrations create (the root page, the default locale): put them back when missing."""
    from django.conf import settings
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()


def test_multichoice_scores_and_resumes(live_server, phone, media, wagtail_tree):
    site_home()
    learner = make_learner(unit=make_unit("Gia Lai"), username="hnuong")
    course = make_course("Tin học cơ bản", lessons=0, quiz=[])
    package = import_file(H5P_VALID / "H5P.MultiChoice.h5p")
    lesson, block_id = make_h5p_lesson(course, package, pass_mark=100)
    enrolment_create(user=learner, course=course)
    page = phone
    base = live_server.url
    log_in(page, base, "hnuong")

    page.goto(base + lesson.url)
    page.click("section.h5p-activity button[data-h5p-open]")  # loads when opened
    frame_element = page.wait_for_selector("section.h5p-activity iframe")
    assert frame_element.get_attribute("sandbox") == "allow-scripts"
    frame = frame_element.content_frame()
    frame.wait_for_selector(".h5p-answer", timeout=30000)
    page.wait_for_selector("section.h5p-activity[data-ready='1']", timeout=30000)

    # The frame runs in an opaque origin: the site's cookies are out of its reach.
    origin = frame.evaluate("() => self.origin")
    assert origin == "null"
    cookie = frame.evaluate(
        "() => { try { return 'read:' + document.cookie; }"
        " catch (e) { return 'blocked:' + e.name; } }"
    )
    assert cookie == "blocked:SecurityError"
    # ...while the lesson page itself is signed in (the session cookie exists).
    assert any(c["name"] == "sessionid" for c in page.context.cookies())
    # Nor can it call our endpoints with the learner's session.
    status = frame.evaluate(
        """async (url) => {
            try {
              const r = await fetch(url, {method: 'POST', credentials: 'include',
                body: JSON.stringify({lesson: 1, block: 'x', statement: {}})});
              return r.status;
            } catch (e) { return 'blocked'; }
        }""",
        f"{base}/learn/h5p/xapi/",
    )
    assert status in ("blocked", 302, 403)

    # Pick the right answer (the package shuffles answers: find it by its text) and check.
    correct = package_correct_answers(package)
    assert correct == ["Very dark purple"]
    frame.locator(".h5p-answer", has_text="Very dark purple").click()
    page.screenshot(path=str(SCREENSHOTS / "h5p-01-answered.png"), full_page=True)
    frame.locator(".h5p-question-check-answer").click()
    page.wait_for_selector("section.h5p-activity[data-score]", timeout=30000)
    page.screenshot(path=str(SCREENSHOTS / "h5p-02-checked.png"), full_page=True)

    enrolment = Enrolment.objects.get(user=learner, course=course)
    progress = LessonProgress.objects.get(enrolment=enrolment, lesson=lesson)
    assert progress.score == 100
    assert progress.completed_at is not None
    activity = H5PActivityProgress.objects.get(enrolment=enrolment, block_id=block_id)
    assert activity.best_score == 100 and activity.attempts == 1
    assert XAPIStatement.objects.filter(user=learner, verb__endswith="/answered").count() == 1
    assert page.locator("section.h5p-activity .h5p-status").inner_text().strip() != ""

    # The state is saved (after the answer) and restored on reload.
    for _ in range(50):
        activity.refresh_from_db()
        if activity.resume_state:
            break
        page.wait_for_timeout(200)
    assert activity.resume_state
    page.reload()
    page.click("section.h5p-activity button[data-h5p-open]")
    frame = page.wait_for_selector("section.h5p-activity iframe").content_frame()
    frame.wait_for_selector(".h5p-answer", timeout=30000)
    checked = frame.locator(".h5p-answer[aria-checked='true']")
    assert checked.count() == len(correct)
    page.screenshot(path=str(SCREENSHOTS / "h5p-03-restored.png"), full_page=True)


def package_correct_answers(package) -> list[str]:
    import json
    import re

    from courses.h5p import storage

    content = json.loads(
        (storage.content_dir(package.uuid) / "content" / "content.json").read_text()
    )
    return [
        re.sub(r"<[^>]+>", "", answer["text"]).strip()
        for answer in content["answers"]
        if answer.get("correct")
    ]


def test_a_saved_h5p_lesson_offline_says_it_needs_a_connection(
    live_server, phone, media, wagtail_tree
):
    """A course saved for offline keeps its H5P lesson's page, not the activity's player
    (courses.offline.manifest skips embedded players): offline, the lesson says plainly that
    the activity needs a connection, instead of an "open" button that cannot work."""
    site_home()
    learner = make_learner(unit=make_unit("Gia Lai"), username="hnuong")
    course = make_course("Tin học cơ bản", lessons=0, quiz=[])
    package = import_file(H5P_VALID / "H5P.MultiChoice.h5p")
    lesson, _block_id = make_h5p_lesson(course, package, pass_mark=100)
    enrolment_create(user=learner, course=course)
    page = phone
    base = live_server.url
    log_in(page, base, "hnuong")
    page.goto(base + course.url)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.click("#offline-save [data-action=check]")
    page.wait_for_selector("#offline-save[data-state=sized]")
    page.click("#offline-save [data-action=download]")
    page.wait_for_selector("#offline-save[data-state=saved]")

    page.context.set_offline(True)
    page.goto(base + lesson.url)
    assert page.inner_text("h1") == lesson.title  # the saved lesson page
    note = page.wait_for_selector("section.h5p-activity .needs-network", state="visible")
    assert note.inner_text() == "Hoạt động này cần có mạng."
    assert not page.locator("section.h5p-activity [data-h5p-open]").is_visible()
    assert not page.locator("section.h5p-activity iframe").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "offline-h5p-needs-network.png"), full_page=True)
    # Back online, the activity can be opened again.
    page.context.set_offline(False)
    page.wait_for_selector("section.h5p-activity [data-h5p-open]", state="visible")
    assert not note.is_visible()
