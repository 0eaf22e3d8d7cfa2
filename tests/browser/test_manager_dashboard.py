"""The demo manager's Monday morning, in a real browser: sign in, land on the overview, see
which communes are furthest behind, sort and filter the table (and keep that on reload),
drill down to who did not finish, print the summary; axe-core finds no serious or critical
violation on the overview, a target page and a drill-down."""

import datetime
import json
import math
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import Enrolment
from people.models import OrgUnit, Profile
from targets.models import Population, TrainingTarget
from tests.browser.conftest import SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "hocso-demo"
FIRST_TARGET = "80% trưởng thôn, làng hoàn thành Tin học cơ bản"


@pytest.fixture
def desktop(browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def demo():
    from wagtail.models import Collection

    # A browser test's flush also empties the root collection the migrations made; seed_demo
    # grants the editors' groups permissions on it.
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    call_command("seed_demo", verbosity=0)
    return TrainingTarget.objects.get(name=FIRST_TARGET)


def sign_in(page, base_url: str):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", "manager")
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" not in page.url, page.inner_text("main")


def axe_serious(page) -> list[dict]:
    """axe-core (npm, node_modules) run in the page: the serious and critical violations."""
    assert AXE.exists(), "npm ci (axe-core is in package.json)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def behind_by_hand(target: TrainingTarget, limit: int = 10) -> list[str]:
    """The communes furthest behind, computed from the demo rows without the app's selectors:
    village heads of each commune with a completed, evidenced enrolment in the target's course
    this year, against 80% of the commune's village-head population."""
    year = target.reporting_year
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    province = target.scope_unit
    group = target.target_groups.get()
    communes = OrgUnit.objects.filter(
        path__startswith=province.path, depth=province.depth + 1, replaced_by__isnull=True
    )
    rows = []
    for commune in communes:
        population = (
            Population.objects.filter(
                org_unit=commune, target_group=group, year=year, gender="", ethnic_group=None
            )
            .values_list("count", flat=True)
            .first()
        )
        if population is None:
            continue
        heads = Profile.objects.filter(org_unit=commune, target_groups=group).values("user_id")
        people = (
            Enrolment.objects.filter(
                user_id__in=heads,
                course__in=target.courses.all(),
                status="completed",
                completed_at__lt=end,
            )
            .exclude(evidence="")
            .values("user_id")
            .distinct()
            .count()
        )
        needed = math.ceil(population * target.target_percent / Decimal(100))
        gap = max(needed - people, 0)
        if gap:
            rows.append((-gap, min(100.0, round(people * 100 / population, 1)), commune.name))
    return [name for _gap, _share, name in sorted(rows)[:limit]]


def test_demo_manager_lands_on_the_overview_and_sees_who_is_behind(live_server, desktop, demo):
    page = desktop
    sign_in(page, live_server.url)
    assert page.url == f"{live_server.url}/manage/"
    assert page.inner_text("h1") == "Tổng quan các chỉ tiêu"
    names = page.locator(".overview-line h2").all_inner_texts()
    assert FIRST_TARGET in names and len(names) == 3
    assert axe_serious(page) == []
    page.screenshot(path=str(SCREENSHOTS / "manager-overview.png"), full_page=True)

    page.click(f"text={FIRST_TARGET}")
    page.wait_for_selector("table.units-table.js")
    shown = page.locator(".behind-unit > a:first-child").all_inner_texts()
    assert shown == behind_by_hand(demo)
    # the chart comes before the table, and its numbers are there as a table too
    assert page.evaluate(
        "document.querySelector('.chart').compareDocumentPosition("
        "document.querySelector('.units-table')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert page.locator(".chart-table tbody tr").count() == 12
    assert axe_serious(page) == []
    page.screenshot(path=str(SCREENSHOTS / "manager-target.png"), full_page=True)

    # drill down into the unit furthest behind, then to its learners who did not finish
    with page.expect_navigation():
        page.click(f".behind-unit >> nth=0 >> text={shown[0]}")
    assert page.locator(".breadcrumb span").inner_text() == shown[0]
    assert axe_serious(page) == []
    with page.expect_navigation():
        page.click("text=Học viên đã đăng ký nhưng chưa hoàn thành")
    assert page.inner_text("h1") == f"Đã đăng ký nhưng chưa hoàn thành: {shown[0]}"
    assert axe_serious(page) == []


def test_sorting_and_filtering_survive_a_reload(live_server, desktop, demo):
    page = desktop
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/manage/targets/{demo.pk}/")
    page.wait_for_selector("table.units-table.js")
    total = page.locator("tr.unit-row").count()
    assert total > 100  # Gia Lai's communes
    page.click("table.units-table th >> nth=4 >> button")  # Gap: largest first
    page.fill(".table-filter", "ia")

    def visible_state():
        rows = page.locator("tr.unit-row:not([hidden])")
        names = rows.locator("td:nth-child(1)").all_inner_texts()
        gaps = rows.locator("td:nth-child(5)").all_inner_texts()
        return names, gaps

    names, gaps = visible_state()
    assert names and all("ia" in name.lower() for name in names)
    numbers = [int(g) for g in gaps if g != "—"]
    assert numbers == sorted(numbers, reverse=True)
    if "—" in gaps:  # units without a population figure come last, whatever the direction
        assert set(gaps[gaps.index("—") :]) == {"—"}
    assert "sort=4" in page.url and "dir=desc" in page.url and "q=ia" in page.url
    assert page.get_attribute("table.units-table th >> nth=4", "aria-sort") == "descending"

    page.reload()
    page.wait_for_selector("table.units-table.js")
    assert page.input_value(".table-filter") == "ia"
    assert visible_state() == (names, gaps)
    # a server filter keeps the table's state in the same URL, as a chip to remove
    page.select_option("select[name=gender]", "female")
    page.click(".filters button[type=submit]")
    page.wait_for_selector("table.units-table.js")
    assert page.locator(".chip span").all_inner_texts() == ["Giới tính: Nữ"]
    page.click(".chip-remove")
    page.wait_for_selector("table.units-table.js")
    assert page.locator(".chip").count() == 0


def test_the_table_pages_on_a_phone(live_server, phone, demo):
    page = phone
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/manage/targets/{demo.pk}/")
    page.wait_for_selector("table.units-table.js")
    assert page.locator("tr.unit-row:not([hidden])").count() == 25
    assert page.is_visible(".table-pages")
    first = page.locator("tr.unit-row:not([hidden]) td:nth-child(1)").first.inner_text()
    page.click(".table-pages .next")
    assert page.locator("tr.unit-row:not([hidden]) td:nth-child(1)").first.inner_text() != first
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1  # the page itself does not scroll sideways
    page.screenshot(path=str(SCREENSHOTS / "manager-target-phone.png"), full_page=True)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_printable_summary_renders(live_server, desktop, demo, tmp_path):
    page = desktop
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/manage/targets/{demo.pk}/")
    href = page.get_attribute(".actions a >> nth=1", "href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    path = tmp_path / "summary.pdf"
    path.write_bytes(response.body())
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert FIRST_TARGET in text
    for name in behind_by_hand(demo):
        assert name in text, (name, json.dumps(text[:2000], ensure_ascii=False))
    assert "Gia Lai" in text
