"""On a phone: a learner asks a question, a manager of their province answers it officially,
the learner sees the official answer and the bell count, and the SMS backend records the
message; a learner who completed a course answers the survey with the emoji scale, and the
manager sees the result. axe-core finds no serious or critical violation on these pages."""

import datetime
import json

import pytest
from django.utils import timezone

from courses.services import enrolment_complete, enrolment_create
from notify.services import preference_update
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_class_attendance import login_cookie
from tests.browser.test_manager_dashboard import axe_serious
from tests.factories import make_course, make_learner, make_manager, make_unit, site_home

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def aged(user):
    user.date_joined = timezone.now() - datetime.timedelta(days=30)
    user.save(update_fields=["date_joined"])
    return user


@pytest.fixture
def people(settings, tmp_path):
    settings.LMS_SMS_BACKEND = "notify.sms.FileBackend"
    settings.LMS_SMS_FILE = tmp_path / "sms.log"
    site_home()
    gia_lai = make_unit("Gia Lai")
    ia_grai = make_unit("Xã Ia Grai", parent=gia_lai)
    learner = aged(
        make_learner(unit=ia_grai, username="hnuong", full_name="Siu H'Nương", phone="0905123456")
    )
    preference_update(user=learner, channels={"answer": ["sms"]})
    manager = aged(make_manager(scope=gia_lai, username="hlin"))
    return {"learner": learner, "manager": manager, "sms": settings.LMS_SMS_FILE}


def test_a_learner_asks_and_a_manager_answers_officially(live_server, browser, people):
    base = live_server.url
    asker = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    asker.add_cookies([login_cookie(people["learner"], base)])
    page = asker.new_page()
    page.set_default_timeout(15000)

    page.goto(f"{base}/hoi-dap/")
    assert axe_serious(page) == []
    page.click("a[href='/hoi-dap/hoi/']")
    page.wait_for_url("**/hoi-dap/hoi/")
    assert axe_serious(page) == []
    page.fill("input[name=title]", "Kích hoạt VNeID mức 2 ở đâu?")
    page.fill("textarea[name=body]", "Tôi ở xã Ia Grai. <b>Cần</b> mang giấy tờ gì?")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("h1").inner_text() == "Kích hoạt VNeID mức 2 ở đâu?"
    assert "<b>Cần</b>" in page.locator(".thread .post-body").inner_text()  # shown as text
    question_url = page.url

    official = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    official.add_cookies([login_cookie(people["manager"], base)])
    staff = official.new_page()
    staff.set_default_timeout(15000)
    staff.goto(f"{base}/hoi-dap/kiem-duyet/")
    assert staff.locator(".open-questions tbody a").all_inner_texts() == [
        "Kích hoạt VNeID mức 2 ở đâu?"
    ]
    assert axe_serious(staff) == []
    staff.click(".open-questions tbody a")
    staff.wait_for_url(question_url)
    assert "trả lời chính thức" in staff.locator(".reply-form label").inner_text()
    staff.fill("textarea[name=body]", "Mời chị mang căn cước gắn chip đến Công an xã.")
    with staff.expect_navigation():
        staff.click(".reply-form button[type=submit]")
    assert staff.locator(".post.official .official-badge").inner_text() == "Trả lời chính thức"
    official.close()

    page.goto(question_url)
    assert page.locator(".post.official .post-body").inner_text().startswith("Mời chị mang")
    assert page.locator(".bell-count").inner_text().startswith("1")
    assert axe_serious(page) == []
    page.screenshot(path=str(SCREENSHOTS / "dialogue-answer.png"), full_page=True)
    lines = [json.loads(x) for x in people["sms"].read_text(encoding="utf-8").splitlines()]
    assert [line["to"] for line in lines] == ["0905123456"]
    assert lines[0]["text"].startswith("Học Số: Câu hỏi của bạn đã được trả lời")
    asker.close()


def test_a_learner_answers_the_survey_and_the_manager_sees_it(live_server, browser, people):
    base = live_server.url
    course = make_course("Tin học cơ bản", lessons=1, quiz=[])
    enrolment, _ = enrolment_create(user=people["learner"], course=course)
    enrolment_complete(enrolment=enrolment, evidence="assessment")

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    context.add_cookies([login_cookie(people["learner"], base)])
    page = context.new_page()
    page.set_default_timeout(15000)
    # The completion also notified the certificate, in no fixed order: open the survey by its
    # invitation's link rather than the first button (tests/dialogue cover the invitation).
    page.goto(f"{base}/thong-bao/")
    page.goto(f"{base}/khao-sat/{course.pk}/")
    assert axe_serious(page) == []
    page.check("input[name=overall][value='5']")
    page.check("input[name=useful][value='4']")
    page.check("input[name=clear][value='3']")
    page.fill("textarea[name=comment]", "Dễ hiểu, cảm ơn cô giáo.")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/learn/" in page.url
    context.close()

    manager = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    manager.add_cookies([login_cookie(people["manager"], base)])
    results = manager.new_page()
    results.goto(f"{base}/khao-sat/ket-qua/")
    cells = results.locator(".survey-results tbody td").all_inner_texts()
    assert cells[:3] == ["Tin học cơ bản", "1", "1"]
    assert cells[3] in ("100,0", "100.0")
    assert axe_serious(results) == []
    manager.close()
