"""A visitor on a phone searches the e-library without accents and finds the item, reads
its PDF in the page; axe-core finds no serious or critical violation on the list, the item,
the culture archive and the notifications page."""

import pytest

from library.models import CultureEntryPage
from notify.services import notify
from people.models import EthnicGroup
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_manager_dashboard import axe_serious
from tests.factories import PASSWORD, make_learner, make_unit, site_home
from tests.library.factories import make_entry, make_item

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_visitor_searches_without_accents_and_reads_the_pdf(live_server, phone):
    site_home()
    jrai = EthnicGroup.objects.get(code="10")
    item = make_item(
        "Kế hoạch chuyển đổi số công tác dân tộc",
        summary="Mục tiêu đào tạo cán bộ và người có uy tín.",
        ethnic_groups=[jrai],
    )
    make_item("Hướng dẫn trồng cà phê", topic="agriculture")
    page = phone
    base = live_server.url

    page.goto(f"{base}/library/")  # the English address leads to /thu-vien/
    page.wait_for_url("**/thu-vien/")
    assert axe_serious(page) == []
    page.fill("input[name=q]", "chuyen doi so")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**q=chuyen+doi+so**")
    results = page.locator(".library-list h2 a")
    assert results.all_inner_texts() == ["Kế hoạch chuyển đổi số công tác dân tộc"]
    page.screenshot(path=str(SCREENSHOTS / "library-search.png"), full_page=True)

    results.first.click()
    page.wait_for_url(f"**{item.url}")
    embedded = page.locator("object[type='application/pdf']")
    assert embedded.get_attribute("data") == item.file_url
    assert axe_serious(page) == []
    # The file opens in the browser (inline), not as a download.
    response = page.request.get(f"{base}{item.file_url}")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")


def test_archive_and_notifications_are_accessible(live_server, phone):
    site_home()
    gia_lai = make_unit("Gia Lai")
    make_entry(
        "Lễ Pơ Thi (lễ bỏ mả)",
        ethnic_group=EthnicGroup.objects.get(code="10"),
        province=gia_lai,
        season="Mùa khô",
        is_demo=True,
    )
    assert CultureEntryPage.objects.live().count() == 1
    page = phone
    base = live_server.url
    page.goto(f"{base}/van-hoa/")
    assert page.locator(".library-list h2 a").all_inner_texts() == ["Lễ Pơ Thi (lễ bỏ mả)"]
    assert axe_serious(page) == []
    page.locator(".library-list h2 a").first.click()
    page.wait_for_selector("dl.facts")
    assert axe_serious(page) == []

    learner = make_learner(username="hnuong")
    notify(learner, "general", "Chào mừng bạn đến với Học Số", url="/thu-vien/")
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", "hnuong")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/thong-bao/")
    assert page.locator(".bell-count").count() == 1  # counted at sign-in
    assert (
        page.locator(".notifications h2")
        .all_inner_texts()[0]
        .endswith("Chào mừng bạn đến với Học Số")
    )
    assert axe_serious(page) == []
    page.locator(".notifications form button").first.click()
    page.wait_for_url("**/thu-vien/")
    page.goto(f"{base}/thong-bao/")
    assert page.locator(".bell-count").count() == 0
    page.goto(f"{base}/thong-bao/cai-dat/")
    assert axe_serious(page) == []
