"""The manager's pages that help act on the numbers: landing by role, the scope overview, the
summary-first target page, readable filters with chips, learners who did not finish, their
export and the printable summary. Figures are the hand computation of tests/targets/conftest.py.
"""

import csv
import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from courses.classes.services import session_create
from courses.services import enrolment_create
from people.models import Scope
from people.services import scope_grant
from targets.models import TrainingTarget
from targets.selectors.overview import (
    Status,
    elapsed_percent,
    goal_share,
    scope_overview,
    status_of,
)
from targets.selectors.reports import target_report, targets_visible_to
from tests.factories import PASSWORD, make_learner, make_unit

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


# --- landing by role -----------------------------------------------------------------------
def sign_in(user) -> str:
    """Sign in through the real login form; where the browser is sent next."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


@pytest.mark.parametrize(
    ("who", "landing"),
    [
        ("manager_in", "targets:overview"),
        ("admin", "targets:overview"),
        ("trainer_in", "classes:list"),
        ("learner", "courses:my_learning"),
    ],
)
def test_sign_in_lands_where_the_work_is(tree, who, landing):
    assert sign_in(tree["users"][who]) == reverse(landing)


def test_a_next_parameter_still_wins(tree):
    client = Client()
    response = client.post(
        reverse("account_login") + "?next=/people/profile/",
        {"login": tree["users"]["manager_in"].username, "password": PASSWORD},
    )
    assert response["Location"] == "/people/profile/"


def test_several_roles_switch_and_start_there(client, tree):
    manager = tree["users"]["manager_in"]
    scope_grant(user=manager, role=Scope.Role.TRAINER, org_unit=tree["units"]["A"])
    client.force_login(manager)
    page = soup(client.get(reverse("people:roles")))
    offered = [b["value"] for b in page.select("button[name=role]")]
    assert offered == ["manager", "trainer", "learner"]
    assert page.select_one("button[aria-current]")["value"] == "manager"
    assert client.get(reverse("people:start"))["Location"] == reverse("targets:overview")
    response = client.post(reverse("people:roles"), {"role": "trainer"})
    assert response["Location"] == reverse("classes:list")
    assert client.get(reverse("people:start"))["Location"] == reverse("classes:list")


@pytest.mark.parametrize("forged", ["manager", "administrator", "", "x" * 10_000])
def test_a_role_one_does_not_hold_is_refused(client, tree, forged):
    client.force_login(tree["users"]["trainer_in"])
    response = client.post(reverse("people:roles"), {"role": forged}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("people:roles")
    assert "Bạn không có vai trò này." in response.content.decode()
    assert client.get(reverse("people:start"))["Location"] == reverse("classes:list")


def test_roles_and_start_need_a_sign_in(client, tree):
    for name in ("people:roles", "people:start"):
        assert client.get(reverse(name))["Location"].startswith(reverse("account_login"))


# --- on track, behind, no data -------------------------------------------------------------
def test_elapsed_time(tree):
    target = tree["target"]  # reporting year 2026, deadline 31/12/2026
    assert elapsed_percent(target, datetime.date(2025, 12, 1)) == 0
    assert elapsed_percent(target, datetime.date(2026, 1, 1)) == 0
    assert elapsed_percent(target, datetime.date(2026, 7, 2)) == 50  # 182 of 364 days
    assert elapsed_percent(target, datetime.date(2026, 12, 31)) == 100
    assert elapsed_percent(target, datetime.date(2027, 3, 1)) == 100


def test_status_of_a_unit(tree):
    report = target_report(tree["target"])
    rows = {row.name: row.figure for row in report.rows}
    # Xã A: 5 of the 8 needed (80% of 10) = 62.5% of the goal; Xã C has no population.
    assert goal_share(rows["Xã A"]) == 62.5
    assert status_of(rows["Xã A"], 62) == Status.ON_TRACK
    assert status_of(rows["Xã A"], 63) == Status.BEHIND
    assert status_of(rows["Xã C"], 0) == Status.NO_DATA


# --- the scope overview --------------------------------------------------------------------
def test_overview_lines_by_hand(tree):
    lines = {
        line.target.pk: line
        for line in scope_overview(list(targets_visible_to(tree["users"]["manager_in"])))
    }
    line = lines[tree["target"].pk]
    # Furthest behind: Xã A (8 needed, 5 achieved: 3 short), Xã B (4 needed, 2: 2 short);
    # Xã C has no population, so it cannot be behind.
    assert [(row.name, row.figure.gap) for row in line.behind] == [("Xã A", 3), ("Xã B", 2)]
    assert line.status == Status.NO_DATA  # Xã C has no figure: the province has none
    second = lines[tree["target2"].pk]  # 2 of the 8 prestigious people, 50% → 4 needed
    assert (second.figure.people, second.figure.gap) == (2, 2)


def test_overview_page_urgent_first_and_labelled_bars(client, tree):
    soon = tree["target2"]
    soon.deadline = datetime.date.today() + datetime.timedelta(days=10)
    soon.save()
    later = tree["target"]
    later.deadline = datetime.date.today() + datetime.timedelta(days=400)
    later.reporting_year = datetime.date.today().year
    later.save()
    client.force_login(tree["users"]["manager_in"])
    page = soup(client.get(reverse("targets:overview")))
    lines = page.select(".overview-line")
    assert [int(li["data-target"]) for li in lines] == [soon.pk, later.pk]
    assert "soon" in lines[0]["class"] and lines[0].select_one(".badge.warn")
    bar = lines[0].select_one("[role=progressbar]")
    assert bar["aria-label"] == "50% người có uy tín: 25,0% đạt được, chỉ tiêu 50%"
    behind = [a.get_text() for a in lines[1].select(".overview-behind a")]
    assert behind == ["Xã A", "Xã B"]


def test_overview_is_for_managers(client, tree):
    for who, status in (("learner", 403), ("trainer_in", 403), ("manager_out", 200)):
        client.force_login(tree["users"][who])
        assert client.get(reverse("targets:overview")).status_code == status
    page = soup(client.get(reverse("targets:overview")))  # manager_out: nothing of P
    assert not page.select(".overview-line")


# --- the target page: summary first, filters that read, chips -------------------------------
def test_target_page_summary_first(client, tree):
    client.force_login(tree["users"]["manager_in"])
    page = soup(client.get(reverse("targets:detail", args=[tree["target"].pk])))
    sections = [h.get_text(strip=True) for h in page.select("h2")]
    # headline, chart, furthest behind, then the full table
    assert sections.index("Số người hoàn thành theo thời gian") < sections.index("Chậm nhất")
    assert sections.index("Chậm nhất") < sections.index("Theo đơn vị")
    behind = page.select(".behind-unit")
    assert [li.select_one("a").get_text() for li in behind] == ["Xã A", "Xã B"]
    # 3 people and 30 points short: 80% target, 50% achieved
    assert "thiếu 3 người, thấp hơn chỉ tiêu 30,0 điểm" in behind[0].get_text()
    assert page.select_one(".missing-population summary").get_text(strip=True) == (
        "1 đơn vị chưa có số liệu đối tượng"
    )
    assert page.select_one(".missing-population").find("a").get_text() == "Xã C"
    assert page.select_one(".import-link")["href"] == reverse("targets:population_upload")
    # the chart: labelled axes, the numbers as a table; no line to the target, whose number
    # of people is unknown (Xã C has no population figure)...
    assert page.select_one(".chart .goal-line") is None
    titles = [t.get_text() for t in page.select(".chart text.axis-title")]
    assert titles == ["Tháng trong năm 2026", "Số người"]
    table = page.select(".chart-table tbody tr")
    assert len(table) == 12
    assert [td.get_text() for td in table[2].select("td")][:2] == ["1", "3"]  # March: L1
    # every progress bar is named
    bars = page.select("[role=progressbar]")
    assert bars and all(bar.get("aria-label") for bar in bars)
    assert page.select_one(".unit-row [role=progressbar]")["aria-label"].startswith("Xã A: ")


def test_empty_filter_choices_are_labelled(client, tree):
    client.force_login(tree["users"]["manager_in"])
    page = soup(client.get(reverse("targets:detail", args=[tree["target"].pk])))
    empty = {
        select["name"]: select.select_one("option[value='']").get_text()
        for select in page.select(".filters select")
    }
    assert empty == {
        "target_group": "Các nhóm của chỉ tiêu",
        "ethnic_group": "Tất cả dân tộc",
        "gender": "Tất cả giới tính",
        "topic": "Tất cả chủ đề",
        "course": "Tất cả khoá học được tính",
    }
    assert "---------" not in page.get_text()


def test_active_filters_show_as_removable_chips(client, tree):
    client.force_login(tree["users"]["manager_in"])
    url = reverse("targets:detail", args=[tree["target"].pk])
    params = {
        "gender": "female",
        "ethnic_group": str(tree["jrai"].pk),
        "unit": tree["units"]["A"].pk,
    }
    page = soup(client.get(url, params))
    chips = {
        chip.select_one("span").get_text(): chip.select_one("a")["href"]
        for chip in page.select(".chip")
    }
    assert set(chips) == {"Dân tộc: Gia-rai", "Giới tính: Nữ"}
    removed = chips["Giới tính: Nữ"]
    assert (
        "gender" not in removed
        and "ethnic_group=" in removed
        and f"unit={params['unit']}" in removed
    )
    # the form keeps the values (the URL is the state: shareable)
    assert page.select_one("select[name=gender] option[selected]")["value"] == "female"
    # invalid input shows no chip and no 500
    page = soup(client.get(url, {"gender": "<script>", "course": "99999999"}))
    assert not page.select(".chip")


def test_chip_labels_are_escaped(client, tree):
    from people.models import TargetGroup

    group = TargetGroup.objects.create(code="x", name="<b>nhóm</b>")
    client.force_login(tree["users"]["manager_in"])
    response = client.get(
        reverse("targets:detail", args=[tree["target"].pk]), {"target_group": group.pk}
    )
    assert b"<b>nh" not in response.content
    assert "Nhóm đối tượng: <b>nhóm</b>" in [
        c.get_text() for c in soup(response).select(".chip span")
    ]


# --- who did not finish, the classes planned there, the export -----------------------------
@pytest.fixture
def stalled(tree):
    """L11 (Xã A) enrolled in c1 and did not finish (in the tree already); add a village head
    of Xã A stalled in c3, one counted already (L1) who started c2 (does not count anyway),
    and a planned class of c1 at Xã A."""
    a = tree["units"]["A"]
    stalled = make_learner(unit=a, full_name='=HYPERLINK("http://x")')
    stalled.profile.target_groups.set([tree["groups"]["vh"]])
    enrolment_create(user=stalled, course=tree["courses"]["c3"], source="self")
    enrolment_create(user=tree["people"]["L1"], course=tree["courses"]["c2"], source="self")
    today = datetime.date.today()
    session_create(
        user=tree["users"]["admin"],
        course=tree["courses"]["c1"],
        title="Lớp tin học Xã A",
        venue=a,
        start_date=today + datetime.timedelta(days=3),
        end_date=today + datetime.timedelta(days=4),
    )
    return stalled


def test_not_finished_lists_who_to_call(client, tree, stalled):
    client.force_login(tree["users"]["manager_in"])
    url = reverse("targets:not_finished", args=[tree["target"].pk])
    page = soup(client.get(url, {"unit": tree["units"]["A"].pk}))
    names = sorted(row.select_one("td").get_text(strip=True) for row in page.select(".person-row"))
    assert names == sorted(["Trần Ngọc Hữu", '=HYPERLINK("http://x")'])
    assert [li.get_text() for li in page.select(".classes-planned li")][0].startswith(
        "Lớp tin học Xã A"
    )
    # Xã B: everybody enrolled finished; no class planned
    page = soup(client.get(url, {"unit": tree["units"]["B"].pk}))
    assert not page.select(".person-row") and not page.select(".classes-planned")


def test_not_finished_is_scoped(client, tree, stalled):
    url = reverse("targets:not_finished", args=[tree["target"].pk])
    client.force_login(tree["users"]["manager_out"])
    assert client.get(url, {"unit": tree["units"]["A"].pk}).status_code == 404
    client.force_login(tree["users"]["manager_in"])
    assert client.get(url, {"unit": tree["units"]["Q"].pk}).status_code == 404  # outside
    for forged in ("abc", "1" * 40, "-1"):
        assert client.get(url, {"unit": forged}).status_code == 404
    client.force_login(tree["users"]["trainer_in"])
    assert client.get(url, {"unit": tree["units"]["A"].pk}).status_code == 403
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("account_login"))


def test_not_finished_exports_are_spreadsheet_safe(client, tree, stalled):
    client.force_login(tree["users"]["manager_in"])
    url = reverse("targets:not_finished", args=[tree["target"].pk])
    response = client.get(url, {"unit": tree["units"]["A"].pk, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Họ và tên", "Tên đăng nhập"]
    names = sorted(row[0] for row in rows[1:])
    assert names == sorted(["Trần Ngọc Hữu", '\'=HYPERLINK("http://x")'])
    response = client.get(url, {"unit": tree["units"]["A"].pk, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(values) == names
    assert sheet.title == "Xã A"


# --- the printable summary -----------------------------------------------------------------
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_printable_summary_is_one_a4_page_with_diacritics(client, tree, tmp_path):
    client.force_login(tree["users"]["manager_in"])
    response = client.get(reverse("targets:summary_pdf", args=[tree["target"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "summary.pdf"
    path.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    fields = dict(line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    assert fields["Pages"].strip() == "1" and "(A4)" in fields["Page size"]
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "80% trưởng thôn hoàn thành tin học cơ bản" in text
    assert "Xã A" in text and "Xã B" in text and "Tỉnh Mới" in text
    assert "Xa A" not in text  # diacritics intact
    assert text.index("Xã A") < text.index("Xã B")  # the largest gap first
    client.force_login(tree["users"]["manager_out"])
    assert client.get(reverse("targets:summary_pdf", args=[tree["target"].pk])).status_code == 404


def test_target_page_links_to_acting(client, tree):
    client.force_login(tree["users"]["manager_in"])
    page = soup(client.get(reverse("targets:detail", args=[tree["target"].pk])))
    hrefs = [a["href"] for a in page.select(".actions a")]
    assert hrefs[0].startswith(reverse("targets:not_finished", args=[tree["target"].pk]))
    assert hrefs[1].startswith(reverse("targets:summary_pdf", args=[tree["target"].pk]))
    assert page.select_one(".behind-unit a[href*='not-finished']") is not None


def test_a_unit_named_like_markup_is_escaped_everywhere(client, tree):
    from targets.models import Population

    evil = make_unit("<img src=x onerror=alert(1)>", parent=tree["units"]["P"])
    Population.objects.create(org_unit=evil, target_group=tree["groups"]["vh"], year=2026, count=50)
    client.force_login(tree["users"]["manager_in"])
    for url in (
        reverse("targets:detail", args=[tree["target"].pk]),
        reverse("targets:overview"),
    ):
        content = client.get(url).content
        assert b"<img src=x" not in content
        assert b"&lt;img src=x onerror=alert(1)&gt;" in content


def test_a_target_of_a_replaced_unit_is_seen_by_the_successors_manager(client, tree):
    """A target set on Xã Cũ 2 (replaced by Xã Cũ 1, itself replaced by Xã A in Tỉnh Mới):
    Tỉnh Mới's manager opens it, as the targets list shows it to them; Tỉnh Khác's manager
    gets 404 for it and for the province's own target; a trainer gets 403."""
    old = TrainingTarget.objects.create(
        name="Chỉ tiêu của xã cũ",
        scope_unit=tree["units"]["O2"],
        target_percent=Decimal("50"),
        deadline=datetime.date(2026, 12, 31),
        reporting_year=2026,
    )
    listed_in = set(targets_visible_to(tree["users"]["manager_in"]).values_list("pk", flat=True))
    listed_out = set(targets_visible_to(tree["users"]["manager_out"]).values_list("pk", flat=True))
    assert old.pk in listed_in and old.pk not in listed_out
    client.force_login(tree["users"]["manager_in"])
    for target in (old, tree["target"]):
        assert client.get(reverse("targets:detail", args=[target.pk])).status_code == 200
    client.force_login(tree["users"]["manager_out"])
    for target in (old, tree["target"]):
        assert client.get(reverse("targets:detail", args=[target.pk])).status_code == 404
        assert client.get(reverse("targets:people", args=[target.pk])).status_code == 404
    assert client.get(reverse("targets:detail", args=[10**9])).status_code == 404
    client.force_login(tree["users"]["trainer_in"])
    assert client.get(reverse("targets:detail", args=[old.pk])).status_code == 403
