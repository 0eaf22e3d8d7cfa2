"""A trainer opens the preview of a draft lesson in the admin: the side panel (desktop and phone
sizes) and the draft view render the lesson, its quiz as a read-only answer key."""

import pytest

from courses.services import authoring_roles_setup
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_class_attendance import login_cookie
from tests.factories import DEFAULT_QUIZ, make_course, make_lesson, make_trainer, make_unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def test_trainer_previews_a_draft_lesson(live_server, desktop):
    course = make_course("Tin học cơ bản", lessons=1)
    authoring_roles_setup()
    trainer = make_trainer(scope=make_unit("Gia Lai"), username="giangvien")
    lesson = make_lesson(course, "Bài nháp về mật khẩu", quiz=DEFAULT_QUIZ, publish=False)
    page = desktop
    page.context.add_cookies([login_cookie(trainer, live_server.url)])

    page.goto(f"{live_server.url}/admin/pages/{lesson.pk}/edit/")
    page.click('[data-side-panel-toggle="preview"]')
    frame = page.frame_locator("#w-preview-iframe")
    frame.locator(".quiz-preview").wait_for()
    assert frame.locator("h1").inner_text() == "Bài nháp về mật khẩu"
    assert frame.locator(".breadcrumb a").inner_text() == "Tin học cơ bản"
    assert frame.locator(".quiz-preview .answer-key").count() == 3
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "trainer-preview-desktop.png")

    # The phone size of the same panel renders the same document in a narrower frame.
    page.locator('input[name="preview-size"][value="mobile"]').check(force=True)
    frame.locator(".quiz-preview").wait_for()
    page.screenshot(path=SCREENSHOTS / "trainer-preview-phone.png")

    # The draft view (the "Preview" in the page's menus) answers as well.
    response = page.goto(f"{live_server.url}/admin/pages/{lesson.pk}/view_draft/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Bài nháp về mật khẩu"
    assert page.locator(".quiz-preview fieldset").count() == len(DEFAULT_QUIZ)
