"""A trainer marks attendance on a phone while the connection drops, and every mark arrives once."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from courses.classes.services import roster_add, session_create
from courses.models.classes import Attendance, AttendanceMark
from tests.browser.conftest import SCREENSHOTS
from tests.factories import make_course, make_learner, make_trainer, make_unit, site_home

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def login_cookie(user, base_url: str) -> dict:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


def pending(page) -> str:
    return page.inner_text("#attendance .pending-count")


def test_attendance_offline_then_online_every_mark_once(live_server, phone):
    site_home()
    gia_lai = make_unit("Gia Lai")
    commune = make_unit("Xã Ia Grai", parent=gia_lai)
    trainer = make_trainer(scope=commune, username="trainer")
    course = make_course("Kỹ năng số", lessons=1)
    today = datetime.date.today()
    session = session_create(
        user=trainer,
        course=course,
        title="Lớp tập huấn Ia Grai",
        venue=commune,
        start_date=today,
        end_date=today + datetime.timedelta(days=1),
    )
    names = ["Siu H'Nương", "Rơ Châm Hlin", "Ksor Đào", "Nay Blứ", "Kpă Hờ", "Rơ Mah Thuý"]
    learners = []
    for name in names:
        learner = make_learner(unit=commune, full_name=name)
        roster_add(user=trainer, session=session, learner=learner)
        learners.append(learner)
    day = session.days.first()
    page = phone
    context = page.context
    context.add_cookies([login_cookie(trainer, live_server.url)])
    page.goto(f"{live_server.url}/classes/{session.pk}/days/{day.pk}/")
    page.wait_for_selector("#attendance.js")

    def tap(learner, status):
        page.click(f"label[for='s-{learner.pk}-{status}']")

    # Online: two marks go straight through.
    tap(learners[0], "present")
    tap(learners[1], "present")
    page.wait_for_function(
        "document.querySelector('#attendance .pending-count').textContent === '0'"
    )
    assert AttendanceMark.objects.count() == 2

    # The connection drops mid-class: marks queue on the phone.
    context.set_offline(True)
    tap(learners[2], "present")
    tap(learners[3], "absent")
    tap(learners[4], "excused")
    tap(learners[5], "present")
    tap(learners[0], "absent")  # a correction, made offline
    assert pending(page) == "5"
    assert "Offline" in page.inner_text("#attendance .net-state") or "Mất" in page.inner_text(
        "#attendance .net-state"
    )
    page.screenshot(path=str(SCREENSHOTS / "classes-01-offline.png"), full_page=True)
    assert AttendanceMark.objects.count() == 2
    # The queue survives a reload of the script's storage (it lives in localStorage).
    stored = page.evaluate("JSON.parse(localStorage.getItem('hocso-attendance-queue-v1')).length")
    assert stored == 5

    # Back online, the first delivery reaches the server but its answer is lost (the worst
    # case for double counting): the phone retries the same marks and the server keeps one.
    lost = {"count": 0}

    def lose_first_answer(route):
        if lost["count"] == 0:
            lost["count"] += 1
            route.fetch()  # the server receives and records the marks...
            route.abort("failed")  # ...but the phone never hears back
        else:
            route.continue_()

    page.route("**/classes/*/marks/", lose_first_answer)
    context.set_offline(False)
    page.wait_for_function(
        "document.querySelector('#attendance .pending-count').textContent === '0'", timeout=30000
    )
    page.screenshot(path=str(SCREENSHOTS / "classes-02-synced.png"), full_page=True)
    assert lost["count"] == 1

    # Every tap arrived exactly once, and the last tap per learner is what counts.
    assert AttendanceMark.objects.count() == 7
    assert AttendanceMark.objects.values("uuid").distinct().count() == 7
    statuses = dict(Attendance.objects.filter(day=day).values_list("learner_id", "status"))
    assert statuses == {
        learners[0].pk: "absent",
        learners[1].pk: "present",
        learners[2].pk: "present",
        learners[3].pk: "absent",
        learners[4].pk: "excused",
        learners[5].pk: "present",
    }
    # A reload shows the server's state.
    page.reload()
    assert page.is_checked(f"#s-{learners[0].pk}-absent")
    assert page.is_checked(f"#s-{learners[4].pk}-excused")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # A queued mark whose id already names another learner's mark (a phone bug, or a forged
    # queue) is refused, not answered "duplicate": the phone shows why on the learner's row
    # and drops it from the queue; nothing is recorded.
    used = str(AttendanceMark.objects.filter(learner=learners[0]).first().uuid)
    page.evaluate(
        """([uuid, url, day, learner]) => {
            const queue = JSON.parse(localStorage.getItem('hocso-attendance-queue-v1') || '[]');
            queue.push({uuid: uuid, url: url, day: day, learner: learner, status: 'present',
                        marked_at: new Date().toISOString()});
            localStorage.setItem('hocso-attendance-queue-v1', JSON.stringify(queue));
        }""",
        [used, f"/classes/{session.pk}/marks/", day.pk, learners[5].pk],
    )
    page.reload()
    row = f"#attendance .learner[data-learner='{learners[5].pk}']"
    page.wait_for_selector(f"{row}.refused .refusal", timeout=30000)
    refusal = page.inner_text(f"{row} .refusal")
    assert "another learner" in refusal or "học viên khác" in refusal
    assert not page.is_hidden("#attendance .sync-error")
    assert pending(page) == "0"
    page.screenshot(path=str(SCREENSHOTS / "classes-03-refused.png"), full_page=True)
    assert AttendanceMark.objects.count() == 7
    assert Attendance.objects.get(day=day, learner=learners[5]).status == "present"
