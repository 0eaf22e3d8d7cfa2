"""SCORM lessons in a real browser, driven by real package content.

SCORM 1.2 (the scorm-debugger package): the SCO finds scorm-again's `API` in the player
frame, calls LMSInitialize, LMSSetValue and LMSCommit; the server has the CMI data, and
after a reload the SCO reads its location and suspend data back (entry "resume").
SCORM 2004 (Rustici's "Run-time Basic Calls" golf SCO): the learner pages forward and exits,
the SCO sets cmi.location and Terminates; reloading offers to resume at that page.
"""

import pytest

from courses.models import Enrolment, LessonProgress, ScormAttempt
from courses.services import enrolment_create
from tests.browser.conftest import SCREENSHOTS
from tests.courses.scorm_support import import_file, make_scorm_lesson
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


@pytest.fixture
def desktop(browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()


def wait_for(predicate, page, tries=100):
    """Poll `predicate` while the live server works. SQLite's shared in-memory database locks
    a table while the server's commit transaction writes it: such a read is tried again."""
    from django.db import OperationalError

    def attempt():
        try:
            return predicate()
        except OperationalError:
            return None

    for _ in range(tries):
        value = attempt()
        if value:
            return value
        page.wait_for_timeout(100)
    return attempt()


def sco_frame(page):
    """The SCO's frame: the child of the player frame embedded in the lesson."""
    player = page.wait_for_selector("section.scorm-activity iframe").content_frame()
    return player, player.wait_for_selector("iframe").content_frame()


def debugger_set(sco, element, value):
    sco.fill("#element", element)
    sco.click("#set-value")
    sco.fill("#element-value", value)
    sco.press("#element-value", "Enter")


def debugger_get(sco, element):
    sco.fill("#element", element)
    sco.click("#get-value")
    return sco.inner_text("#debugger-element-value").replace("Value:", "").strip()


def test_scorm12_sco_commits_and_resumes(live_server, desktop, media, wagtail_tree):
    site_home()
    learner = make_learner(unit=make_unit("Gia Lai"), username="hnuong")
    course = make_course("Kỹ năng số", lessons=0, quiz=[], certifying=False)
    package = import_file("scorm-debugger_multisco_SCORM12.zip")
    lesson, block_id = make_scorm_lesson(course, package)
    enrolment_create(user=learner, course=course)
    page, base = desktop, live_server.url
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    log_in(page, base, "hnuong")

    page.goto(base + lesson.url)
    frame = page.wait_for_selector("section.scorm-activity iframe")
    assert (
        frame.get_attribute("sandbox") == "allow-scripts allow-same-origin allow-forms allow-modals"
    )
    player, sco = sco_frame(page)
    sco.wait_for_selector("#options-tabs")
    assert player.evaluate("() => typeof window.API.LMSInitialize") == "function"
    assert player.evaluate("() => window.API.isInitialized()")  # the SCO called LMSInitialize
    assert "No API adapter found" not in dialogs
    sco.click("a[href='#debugger']")
    assert debugger_get(sco, "cmi.core.student_id") == str(learner.pk)
    debugger_set(sco, "cmi.core.lesson_location", "trang-2")
    debugger_set(sco, "cmi.suspend_data", "Q1=a;Q2=b")
    debugger_set(sco, "cmi.core.score.raw", "80")
    debugger_set(sco, "cmi.core.lesson_status", "completed")
    sco.click("#commit-value")  # LMSCommit: a synchronous POST to our endpoint
    page.wait_for_selector("section.scorm-activity[data-saved]")
    page.screenshot(path=str(SCREENSHOTS / "scorm-01-committed.png"), full_page=True)

    attempt = wait_for(lambda: ScormAttempt.objects.filter(lesson=lesson).first(), page)
    assert attempt is not None
    assert attempt.version == "1.2" and attempt.block_id == block_id
    assert attempt.lesson_status == "completed"
    assert attempt.location == "trang-2" and attempt.suspend_data == "Q1=a;Q2=b"
    assert attempt.score_raw == 80 and attempt.completed_at is not None
    enrolment = Enrolment.objects.get(user=learner, course=course)
    progress = LessonProgress.objects.get(enrolment=enrolment, lesson=lesson)
    assert progress.completed_at is not None and progress.score == 80
    assert "80%" in page.inner_text("section.scorm-activity .scorm-status")

    # Reload: the SCO starts from the saved data.
    page.reload()
    player, sco = sco_frame(page)
    sco.wait_for_selector("#options-tabs")
    sco.click("a[href='#debugger']")
    assert debugger_get(sco, "cmi.core.entry") == "resume"
    assert debugger_get(sco, "cmi.core.lesson_location") == "trang-2"
    assert debugger_get(sco, "cmi.suspend_data") == "Q1=a;Q2=b"
    page.screenshot(path=str(SCREENSHOTS / "scorm-02-resumed.png"), full_page=True)
    # The enrolment completed from browser-reported data only: no evidence.
    enrolment.refresh_from_db()
    assert enrolment.evidence == ""


def test_scorm2004_golf_bookmark_and_resume(live_server, desktop, media, wagtail_tree):
    site_home()
    learner = make_learner(unit=make_unit("Gia Lai"), username="hnuong")
    course = make_course("Kỹ năng số", lessons=0, quiz=[], certifying=False)
    package = import_file("golf_RuntimeBasicCalls_SCORM20043rdEdition.zip")
    lesson, _block = make_scorm_lesson(course, package)
    enrolment_create(user=learner, course=course)
    page, base = desktop, live_server.url
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    log_in(page, base, "hnuong")

    page.goto(base + lesson.url)
    player, sco = sco_frame(page)
    sco.wait_for_selector("#butNext")
    assert player.evaluate("() => window.API_1484_11.isInitialized()")
    sco.click("#butNext")
    sco.click("#butNext")
    page.screenshot(path=str(SCREENSHOTS / "scorm-03-golf-page3.png"), full_page=True)
    sco.click("#butExit")  # "save your progress?" accepted: suspend, then Terminate
    attempt = wait_for(
        lambda: ScormAttempt.objects.filter(lesson=lesson, location="2").first(), page
    )
    assert attempt is not None, list(ScormAttempt.objects.values())
    assert attempt.version == "2004"
    assert attempt.completion_status == "incomplete"
    assert attempt.completed_at is None

    dialogs.clear()
    page.reload()
    player, sco = sco_frame(page)
    sco.wait_for_selector("#butNext")
    state = player.evaluate(
        "() => [window.API_1484_11.GetValue('cmi.location'),"
        " window.API_1484_11.GetValue('cmi.entry'), JSON.stringify(JSON.parse("
        "document.getElementById('scorm-config').textContent).cmi)]"
    )
    assert state[:2] == ["2", "resume"], state
    assert any("resume" in message for message in dialogs), dialogs
    content = wait_for(
        lambda: sco.evaluate("() => document.getElementById('contentFrame').src"), page
    )
    assert content.endswith("/Playing/Scoring.html")  # page 3, where the learner left
    assert player.evaluate("() => window.API_1484_11.GetValue('cmi.location')") == "2"
    assert player.evaluate("() => window.API_1484_11.GetValue('cmi.entry')") == "resume"

    # Leaving the page: the SCO Terminates and its last commit lands (before the test's
    # database is flushed).
    before = wait_for(
        lambda: ScormAttempt.objects.filter(lesson=lesson).values_list("commits", flat=True)[0],
        page,
    )
    page.goto("about:blank")
    assert wait_for(lambda: ScormAttempt.objects.get(lesson=lesson).commits > before, page)
