"""A learner saves a course on a phone, loses the connection, reads a lesson, marks it done and
answers the quiz; back online, the server has the mark and the graded attempt exactly once."""

import json

import pytest

from courses.models import LessonPage, LessonProgress, OfflineAction, QuizAttempt
from courses.services import enrolment_create
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_class_attendance import login_cookie
from tests.factories import make_course, make_learner, make_unit, site_home

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def right_choices(lesson: LessonPage) -> dict[str, list[str]]:
    return {
        child.id: [c.id for c in child.value["choices"].bound_blocks if c.value["correct"]]
        for child in lesson.quiz_block.value["questions"].bound_blocks
    }


def test_save_a_course_learn_offline_and_sync_once(live_server, phone):
    site_home()
    commune = make_unit("Xã Ia Grai", parent=make_unit("Gia Lai"))
    course = make_course("Kỹ năng số cho thôn bản", lessons=1)
    learner = make_learner(unit=commune, username="hnuong", full_name="Siu H'Nương")
    enrolment_create(user=learner, course=course)
    reading, final = LessonPage.objects.child_of(course).live().order_by("path")
    base = live_server.url
    page = phone
    context = page.context
    context.add_cookies([login_cookie(learner, base)])
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))

    # Online: the installable app (manifest, service worker controlling the page).
    page.goto(base + course.url)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    assert any(worker.url == f"{base}/sw.js" for worker in context.service_workers)
    manifest = page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())"
    )
    assert manifest["short_name"] == "Học Số"

    # Save for offline: the size first, then the download with its progress bar.
    page.click("#offline-save [data-action=check]")
    page.wait_for_selector("#offline-save[data-state=sized]")
    assert "Cần tải:" in page.inner_text(".offline-save-state")
    assert int(page.get_attribute("#offline-save", "data-bytes")) > 10_000
    page.click("#offline-save [data-action=download]")
    page.wait_for_selector("#offline-save[data-state=saved]")
    assert "Đã lưu trên điện thoại này" in page.inner_text(".offline-save-state")
    assert f"hocso-course-{course.pk}" in page.evaluate("caches.keys()")
    page.screenshot(path=str(SCREENSHOTS / "offline-01-saved.png"), full_page=True)

    # Offline: the lesson opens from the phone and "mark as done" is queued.
    context.set_offline(True)
    page.goto(base + reading.url)
    assert page.inner_text("h1") == reading.title
    page.click("form[action$='/done/'] button")
    page.wait_for_selector(".lesson-done-queued")
    assert page.get_attribute("#offline-status", "data-pending") == "1"

    # The quiz: "start" opens the offline form, the answers are queued.
    page.goto(base + final.url)
    page.click("form.quiz-start button")
    page.wait_for_selector("form.quiz-offline")
    right = right_choices(final)
    for fieldset in page.query_selector_all("form.quiz-offline fieldset.question"):
        for choice in right[fieldset.get_attribute("data-question")]:
            page.check(f"#oc-{choice}")
    page.click("form.quiz-offline button[type=submit]")
    page.wait_for_selector(".quiz-graded-later")
    assert page.inner_text(".quiz-graded-later") == "Sẽ được chấm khi bạn có mạng."
    assert page.get_attribute("#offline-status", "data-pending") == "2"
    page.screenshot(path=str(SCREENSHOTS / "offline-02-queued.png"), full_page=True)
    assert not OfflineAction.objects.exists() and not QuizAttempt.objects.exists()

    # Back online: sent, graded on the server, shown on the page.
    context.set_offline(False)
    page.wait_for_selector(".quiz-graded")
    assert "Đạt" in page.inner_text(".quiz-graded") and "100%" in page.inner_text(".quiz-graded")
    page.wait_for_function("document.getElementById('offline-status').dataset.pending === '0'")
    page.screenshot(path=str(SCREENSHOTS / "offline-03-graded.png"), full_page=True)
    # Reloading sends nothing again: the queue is empty and the server has each action once.
    page.reload()
    page.goto(base + final.url)
    assert json.loads(page.evaluate("localStorage.getItem('hocso-offline-queue-v1')")) == []
    assert OfflineAction.objects.count() == 2
    attempt = QuizAttempt.objects.get()
    assert attempt.state == QuizAttempt.State.SUBMITTED and attempt.passed
    assert attempt.enrolment.user == learner
    assert LessonProgress.objects.get(lesson=reading).completed_at is not None
    assert LessonProgress.objects.get(lesson=final).completed_at is not None
    # Removing the saved course deletes its cache.
    page.goto(base + course.url)
    page.wait_for_selector("#offline-save[data-state=saved]")
    page.click("#offline-save [data-action=remove]")
    page.wait_for_selector("#offline-save[data-state=removed]")
    assert f"hocso-course-{course.pk}" not in page.evaluate("caches.keys()")
    # Nothing came from anywhere but this site (Workbox from our own static files).
    assert hosts == {base.split("/")[2]}


def test_an_unsaved_page_offline_shows_the_offline_page(live_server, phone):
    site_home()
    commune = make_unit("Xã Ia Grai", parent=make_unit("Gia Lai"))
    course = make_course("Thương mại điện tử", lessons=1)
    learner = make_learner(unit=commune, username="ablin")
    enrolment_create(user=learner, course=course)
    page = phone
    page.context.add_cookies([login_cookie(learner, live_server.url)])
    page.goto(live_server.url + course.url)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    # The first page of the visit is kept too (it loaded before the worker controlled it, so
    # offline.js downloads it again into 'hocso-pages'); going offline before the copy is
    # stored would leave it unsaved, so wait for the page to say it is kept. (An async
    # predicate in wait_for_function does not wait: its promise is truthy at once.)
    page.wait_for_selector("html[data-offline-kept]", state="attached")
    assert page.evaluate(
        "caches.open('hocso-pages').then((c) => c.match(location.href)).then((r) => !!r)"
    )
    page.context.set_offline(True)
    lesson = LessonPage.objects.child_of(course).live().order_by("path").first()
    page.goto(live_server.url + lesson.url)
    assert page.inner_text("h1") == "Bạn đang không có mạng"
    # The course page visited online still opens.
    page.goto(live_server.url + course.url)
    assert page.inner_text("h1") == course.title
