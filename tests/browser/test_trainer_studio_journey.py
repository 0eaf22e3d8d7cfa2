"""Issue #16's acceptance journey, in one browser session through the Wagtail admin.

The Gia Lai trainer signs in (the admin speaks Vietnamese), creates a course under the
catalogue, adds two lessons through the admin's forms (ASCII slugs from Vietnamese titles;
new lessons land before the course's final assessment), reorders them from the course's page
in the explorer (keyboard on the drag handle), previews the course and each lesson, and
publishes. Then they upload a document into their unit's collection: a Đắk Lắk trainer,
signed in in a second browser context, neither lists it nor fetches it.

Then the SCORM part: an administrator imported a package (as tests/browser/test_scorm_lesson.py
does), the trainer adds it to a new lesson through the admin's block and snippet choosers and
publishes; a learner plays it and resumes after a reload.
"""

import pytest
from playwright.sync_api import expect
from wagtail.documents import get_document_model

from courses.models import CoursePage, LessonPage, UnitCollection
from courses.selectors import course_outline
from courses.services import authoring_roles_setup
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_scorm_lesson import log_in, wagtail_tree, wait_for  # noqa: F401
from tests.factories import DEFAULT_QUIZ, course_index, make_lesson, make_trainer, make_unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
Document = get_document_model()
COURSE = "Kỹ năng số cho trưởng thôn"
FIRST = "Mật khẩu an toàn"
SECOND = "Đường đi ở Đắk Lắk"
FINAL = "Bài kiểm tra cuối khoá"
ROSTER = "Họ tên,Số điện thoại\nSiu H'Nương,0912345678\n".encode()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def new_context(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(20000)
    return context, page


@pytest.fixture
def people(wagtail_tree):  # noqa: F811
    course_index()
    gia_lai = make_unit("Gia Lai")
    dak_lak = make_unit("Đắk Lắk")
    authoring_roles_setup()
    return {
        "gia_lai": gia_lai,
        "gl_trainer": make_trainer(
            scope=make_unit("Xã Ia Grai", parent=gia_lai), username="giangvien"
        ),
        "dl_trainer": make_trainer(
            scope=make_unit("Xã Ea Kao", parent=dak_lak), username="giangviendaklak"
        ),
    }


def lesson_titles(course):
    return list(
        LessonPage.objects.child_of(course).order_by("path").values_list("title", flat=True)
    )


def add_lesson(page, base, course, title, text):
    """The admin's "add a lesson" form: title, the explicit "required" choice, a text block."""
    page.goto(f"{base}/admin/pages/add/courses/lessonpage/{course.pk}/")
    page.fill("#id_title", title)
    page.check("input[name=required][value=True]")
    page.locator("button.c-sf-add-button").first.click()  # "Chèn một khối"
    page.get_by_role("option", name="Văn bản").click()
    editor = page.locator(".DraftEditor-root [contenteditable=true]").first
    editor.click()
    page.keyboard.type(text)
    # Draftail writes the block's hidden input a moment after the last keystroke.
    page.wait_for_function(
        "text => document.querySelector('input[name=\"body-0-value\"]').value.includes(text)",
        arg=text,
    )
    page.click("button.action-save")  # "Lưu bản nháp"
    page.wait_for_url(f"{base}/admin/pages/*/edit/")
    lesson = LessonPage.objects.get(title=title)
    assert text in str(lesson.get_latest_revision_as_object().body), lesson.latest_revision.content
    return lesson


def publish(page, base, pk):
    page.goto(f"{base}/admin/pages/{pk}/edit/")
    page.click("footer .dropdown-toggle, footer [data-w-dropdown-target=toggle]")
    page.click("button[name=action-publish]")
    page.wait_for_load_state()
    assert "error" not in (page.locator(".messages").inner_text() or "").lower()


def test_trainer_builds_previews_publishes_and_keeps_documents_to_the_unit(
    live_server, browser, people, media
):
    base = live_server.url
    context, page = new_context(browser)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    log_in(page, base, "giangvien")

    # The catalogue in the explorer, in Vietnamese.
    index = course_index()
    page.goto(f"{base}/admin/pages/{index.pk}/")
    assert page.locator("html").get_attribute("lang").startswith("vi")

    # 1. A new course under the catalogue, saved as a draft.
    page.goto(f"{base}/admin/pages/add/courses/coursepage/{index.pk}/")
    page.fill("#id_title", COURSE)
    page.locator("#id_title").blur()  # the slug follows the title (kept Vietnamese here)
    expect(page.locator("#id_slug")).to_have_value("kỹ-năng-số-cho-trưởng-thôn")
    page.fill("#id_summary", "Những kỹ năng số đầu tiên cho trưởng thôn.")
    page.select_option("#id_topic", index=1)
    page.click("button.action-save")
    page.wait_for_url(f"{base}/admin/pages/*/edit/")
    course = CoursePage.objects.get(title=COURSE)
    assert course.slug == "ky-nang-so-cho-truong-thon" and not course.live
    # Its final assessment, a quiz lesson (the quiz editor is tests/courses' business).
    make_lesson(course, FINAL, quiz=DEFAULT_QUIZ)

    # 2. Two lessons through the admin's form: ASCII slugs, both before the final quiz.
    first = add_lesson(page, base, course, FIRST, "Đặt mật khẩu dài, khác nhau.")
    second = add_lesson(page, base, course, SECOND, "Bản đồ trên điện thoại.")
    assert (first.slug, second.slug) == ("mat-khau-an-toan", "duong-di-o-dak-lak")
    assert lesson_titles(course) == [FIRST, SECOND, FINAL]

    # 3. Reorder from the course's page: the second lesson's handle, up, then Enter.
    page.goto(f"{base}/admin/pages/{course.pk}/?ordering=ord")
    handles = page.locator("[data-w-orderable-target=handle]")
    assert handles.count() == 3
    with page.expect_response(lambda r: "/set_position/" in r.url) as moved:
        handles.nth(1).focus()
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Enter")
    assert moved.value.status == 200
    assert wait_for(lambda: lesson_titles(course) == [SECOND, FIRST, FINAL], page)

    # 4. Preview: the course and each lesson, drafts, as learners would see them.
    page.goto(f"{base}/admin/pages/{course.pk}/edit/")
    page.click('[data-side-panel-toggle="preview"]')
    frame = page.frame_locator("#w-preview-iframe")
    frame.locator("h1").wait_for()
    assert frame.locator("h1").inner_text() == COURSE
    page.screenshot(path=SCREENSHOTS / "studio-course-preview.png")
    for lesson, text in ((second, "Bản đồ trên điện thoại."), (first, "Đặt mật khẩu dài")):
        response = page.goto(f"{base}/admin/pages/{lesson.pk}/view_draft/")
        assert response.status == 200
        assert page.locator("h1").inner_text() == lesson.title
        assert text in page.inner_text("main")
    response = page.goto(f"{base}/admin/pages/{course.pk}/view_draft/")
    assert response.status == 200 and page.locator("h1").inner_text() == COURSE

    # 5. Publish the course (certifying: its final quiz is live) and both lessons.
    for pk in (course.pk, second.pk, first.pk):
        publish(page, base, pk)
    course.refresh_from_db()
    assert course.live and course.certifying
    assert all(LessonPage.objects.get(pk=pk).live for pk in (first.pk, second.pk))
    assert [item.lesson.title for item in course_outline(course=course, enrolment=None)] == [
        SECOND, FIRST, FINAL,
    ]  # fmt: skip
    response = page.goto(base + course.url)
    assert response.status == 200 and page.locator("h1").inner_text() == COURSE

    # 6. A document into the unit's collection, through the admin's form.
    collection = UnitCollection.objects.get(org_unit=people["gia_lai"]).collection
    page.goto(f"{base}/admin/documents/add/")
    page.fill("#id_title", "Danh sách lớp Ia Grai")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "roster-gialai.csv", "mimeType": "text/csv", "buffer": ROSTER}],
    )
    select = page.locator("select[name=collection]")
    if select.count() and select.is_visible():
        select.select_option(str(collection.pk))
    page.click("form[action$='/admin/documents/add/'] button[type=submit]")
    page.wait_for_url(f"{base}/admin/documents/**")
    document = Document.objects.get(title="Danh sách lớp Ia Grai")
    assert document.collection == collection
    url = f"{base}/documents/{document.pk}/{document.filename}"
    mine = page.request.get(url)
    assert mine.status == 200 and mine.body() == ROSTER
    page.goto(f"{base}/admin/documents/")
    assert "Danh sách lớp Ia Grai" in page.inner_text("main")

    # 7. The Đắk Lắk trainer, in their own browser: not listed, not fetched, not edited.
    other_context, other = new_context(browser)
    log_in(other, base, "giangviendaklak")
    response = other.goto(f"{base}/admin/documents/")
    assert response.status == 200
    assert "Danh sách lớp Ia Grai" not in other.inner_text("main")
    assert other.request.get(url).status in (403, 404)
    edit = other.request.get(f"{base}/admin/documents/edit/{document.pk}/", max_redirects=0)
    assert edit.status in (302, 403, 404)  # Wagtail's "no permission": back to the dashboard
    assert "/documents/" not in edit.headers.get("location", "")
    other.screenshot(path=SCREENSHOTS / "studio-other-province-documents.png")
    other_context.close()
    context.close()


def test_trainer_adds_a_scorm_package_a_learner_resumes_it(live_server, browser, people, media):
    """An administrator imported the package; the trainer adds it to a new lesson in the
    admin's block chooser; a learner plays it and resumes after a reload."""
    from courses.models import ScormAttempt
    from courses.services import enrolment_create
    from tests.browser.test_scorm_lesson import debugger_get, debugger_set, sco_frame
    from tests.courses.scorm_support import import_file
    from tests.factories import make_course, make_learner, site_home

    site_home()
    package = import_file("scorm-debugger_multisco_SCORM12.zip")
    course = make_course("Kỹ năng số", lessons=0, quiz=[], certifying=False)
    base = live_server.url
    context, page = new_context(browser)
    log_in(page, base, "giangvien")

    page.goto(f"{base}/admin/pages/add/courses/lessonpage/{course.pk}/")
    page.fill("#id_title", "Bài học tương tác")
    page.check("input[name=required][value=True]")
    page.locator("button.c-sf-add-button").first.click()
    page.get_by_role("option", name="Gói SCORM").click()
    page.locator("[data-chooser-action-choose]").first.click()
    page.locator(".modal").get_by_role("link", name=package.title).click()
    expect(page.locator("input[name='body-0-value-package']")).to_have_value(str(package.pk))
    page.locator("footer [data-w-dropdown-target=toggle]").click()
    page.click("button[name=action-publish]")
    page.wait_for_url(f"{base}/admin/pages/{course.pk}/")
    lesson = LessonPage.objects.get(title="Bài học tương tác")
    assert lesson.live and lesson.has_required_activity
    context.close()

    learner = make_learner(unit=people["gia_lai"], username="hnuong")
    enrolment_create(user=learner, course=course)
    context, page = new_context(browser)
    page.on("dialog", lambda d: d.accept())
    log_in(page, base, "hnuong")
    page.goto(base + lesson.url)
    _player, sco = sco_frame(page)
    sco.wait_for_selector("#options-tabs")
    sco.click("a[href='#debugger']")
    debugger_set(sco, "cmi.core.lesson_location", "trang-2")
    debugger_set(sco, "cmi.core.lesson_status", "incomplete")
    sco.click("#commit-value")
    page.wait_for_selector("section.scorm-activity[data-saved]")
    attempt = wait_for(lambda: ScormAttempt.objects.filter(lesson=lesson).first(), page)
    assert attempt is not None and attempt.location == "trang-2"

    page.reload()
    _player, sco = sco_frame(page)
    sco.wait_for_selector("#options-tabs")
    sco.click("a[href='#debugger']")
    assert debugger_get(sco, "cmi.core.entry") == "resume"
    assert debugger_get(sco, "cmi.core.lesson_location") == "trang-2"
    page.screenshot(path=SCREENSHOTS / "studio-scorm-resumed.png", full_page=True)
    context.close()
