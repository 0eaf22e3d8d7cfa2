"""An annual report goes up the chain in a real browser: the commune's manager submits it, the
province's manager returns it with a comment, the commune sees the comment and resubmits, the
province accepts version 2 and its consolidated report includes the commune's figures."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from courses.services import enrolment_complete, enrolment_create
from people.models import TargetGroup
from targets.models import Population, ReportEvent, ReportSubmission, TrainingTarget
from tests.browser.conftest import SCREENSHOTS
from tests.factories import make_course, make_learner, make_manager, make_unit, site_home

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COMMENT = "Đề nghị bổ sung số liệu dân số của xã và gửi lại."


def sign_in_as(page, user, base_url: str) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )


def test_submit_return_with_comment_resubmit_accept(live_server, phone):
    site_home()
    province = make_unit("Gia Lai")
    commune = make_unit("Xã Ia Dơk", parent=province)
    make_unit("Xã Ia Krêl", parent=province)  # has not reported: shown as not included
    heads = TargetGroup.objects.get(code="village-head")
    course = make_course("Tin học cơ bản", lessons=1, quiz=[])
    target = TrainingTarget.objects.create(
        name="80% trưởng thôn hoàn thành Tin học cơ bản",
        scope_unit=province,
        target_percent=Decimal("80"),
        deadline=datetime.date(datetime.date.today().year, 12, 31),
        reporting_year=datetime.date.today().year,
    )
    target.courses.set([course])
    target.target_groups.set([heads])
    Population.objects.create(
        org_unit=commune, target_group=heads, year=target.reporting_year, count=4
    )
    for name in ("Ksor H'Blin", "Rơ Châm Y Thoa", "Siu Nam"):
        learner = make_learner(unit=commune, full_name=name)
        learner.profile.target_groups.set([heads])
        enrolment, _ = enrolment_create(user=learner, course=course, source="trainer")
        enrolment_complete(enrolment=enrolment, evidence="attendance")
    commune_manager = make_manager(scope=commune, username="quanly-ia-dok")
    province_manager = make_manager(scope=province, username="quanly-gia-lai")
    base = live_server.url
    page = phone

    # 1. The commune submits.
    sign_in_as(page, commune_manager, base)
    page.goto(f"{base}/manage/reports/")
    page.fill(".submit-form textarea[name=note]", "Báo cáo năm của xã Ia Dơk")
    with page.expect_navigation():
        page.click(".submit-form button[type=submit]")
    assert page.get_attribute("#state [data-state]", "data-state") == "submitted"
    page.screenshot(path=str(SCREENSHOTS / "report-submitted.png"), full_page=True)

    # 2. The province sees it coming in and returns it with a comment.
    sign_in_as(page, province_manager, base)
    page.goto(f"{base}/manage/reports/")
    row = page.locator(f"tr[data-unit='{commune.code}']")
    assert row.locator("[data-state]").get_attribute("data-state") == "submitted"
    with page.expect_navigation():
        row.locator("a").click()
    page.fill(".return-form textarea[name=comment]", COMMENT)
    with page.expect_navigation():
        page.click(".return-form button[type=submit]")
    assert page.get_attribute("#state [data-state]", "data-state") == "returned"

    # 3. The commune sees the comment and resubmits a new version.
    sign_in_as(page, commune_manager, base)
    page.goto(f"{base}/manage/reports/")
    assert COMMENT in page.inner_text(".returned-comment")
    page.screenshot(path=str(SCREENSHOTS / "report-returned.png"), full_page=True)
    with page.expect_navigation():
        page.click(".submit-form button[type=submit]")
    assert page.locator("#versions tr[data-version]").count() == 2

    # 4. The province accepts version 2; the consolidated report includes the commune.
    sign_in_as(page, province_manager, base)
    submission = ReportSubmission.objects.get(unit=commune)
    page.goto(f"{base}/manage/reports/{submission.pk}/")
    assert page.get_attribute(".accept-form input[name=version]", "value") == "2"
    with page.expect_navigation():
        page.click(".accept-form button[type=submit]")
    assert page.get_attribute("#state [data-state]", "data-state") == "accepted"
    page.goto(f"{base}/manage/reports/consolidated/{province.pk}/")
    table = page.locator(f".consolidated-target[data-target='{target.pk}']")
    assert table.locator("tfoot td").all_inner_texts()[1:3] == ["3", "4"]  # people, population
    assert page.locator("#missing li").all_inner_texts()[0].startswith("Xã Ia Krêl")
    page.screenshot(path=str(SCREENSHOTS / "report-consolidated.png"), full_page=True)

    submission.refresh_from_db()
    assert (submission.status, submission.version) == ("accepted", 2)
    assert list(
        ReportEvent.objects.filter(submission=submission).values_list("action", "actor__username")
    ) == [
        ("submitted", "quanly-ia-dok"),
        ("returned", "quanly-gia-lai"),
        ("submitted", "quanly-ia-dok"),
        ("accepted", "quanly-gia-lai"),
    ]
