"""Filters divide by the population of exactly their breakdown; combined groups and "any
minority" targets. Every number is computed by hand from the tree in conftest.py.

Population added here (village heads, 2026) on top of conftest's A 10, A1 3, B 4:
  A: Gia-rai 4, Kinh 6, women 3        A1: women 2 (below A's own women figure: ignored)
  B: Gia-rai 2, Kinh 2                 C: nothing broken down
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils.translation import gettext

from people.models import EthnicGroup
from targets.models import Population, TrainingTarget
from targets.selectors.achievement import Criteria
from targets.selectors.reports import target_report, targets_summary

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 9, 30)


def no_breakdown() -> str:
    """The flag in the active language (Vietnamese by default)."""
    return gettext("no population data for this breakdown")


def rows_by_name(report):
    return {row.name: row.figure for row in report.rows}


@pytest.fixture
def broken_down(tree):
    vh, u = tree["groups"]["vh"], tree["units"]
    kinh = EthnicGroup.objects.get(code="01")
    for unit, ethnic, gender, count in (
        ("A", tree["jrai"], "", 4),
        ("A", kinh, "", 6),
        ("A", None, "female", 3),
        ("A1", None, "female", 2),
        ("B", tree["jrai"], "", 2),
        ("B", kinh, "", 2),
    ):
        Population.objects.create(
            org_unit=u[unit],
            target_group=vh,
            year=2026,
            ethnic_group=ethnic,
            gender=gender,
            count=count,
        )
    return tree


def test_ethnic_filter_divides_by_that_groups_population(broken_down):
    tree = broken_down
    target = tree["target"]
    criteria = Criteria.for_target(target, ethnic_group_id=tree["jrai"].pk)
    report = target_report(target, criteria=criteria, as_of=AS_OF)
    rows = rows_by_name(report)
    # A: L1 (Gia-rai) of 4 Gia-rai village heads = 25 %, not 1 of 10
    assert (rows["Xã A"].people, rows["Xã A"].population, rows["Xã A"].percent) == (1, 4, 25.0)
    # B: L7 of 2 = 50 %; needed ceil(2 * 0.8) = 2, gap 1
    assert (rows["Xã B"].people, rows["Xã B"].population, rows["Xã B"].gap) == (1, 2, 1)
    # C has an undivided figure for no year and no Gia-rai figure: unknown, never the total
    assert (rows["Xã C"].population, rows["Xã C"].percent) == (None, None)
    assert rows["Xã C"].missing_label == no_breakdown()
    assert (report.total.people, report.total.population, report.total.missing_units) == (
        2,
        None,
        1,
    )
    Population.objects.create(
        org_unit=tree["units"]["C"],
        target_group=tree["groups"]["vh"],
        year=2026,
        ethnic_group=tree["jrai"],
        count=1,
    )
    total = target_report(target, criteria=criteria, as_of=AS_OF).total
    # 4 + 2 + 1 = 7 Gia-rai village heads; 2 / 7 = 28.6 %; needed ceil(5.6) = 6, gap 4
    assert (total.people, total.population, total.percent, total.needed, total.gap) == (
        2,
        7,
        28.6,
        6,
        4,
    )


def test_gender_filter_never_divides_by_the_total(broken_down):
    target = broken_down["target"]
    criteria = Criteria.for_target(target, gender="female")
    rows = rows_by_name(target_report(target, criteria=criteria, as_of=AS_OF))
    # A: L2 (in village A1) of A's own 3 women = 33.3 % (A1's 2 is below A's own figure)
    assert (rows["Xã A"].people, rows["Xã A"].population, rows["Xã A"].percent) == (1, 3, 33.3)
    # B: L8 (moved there); B has 4 village heads but no women figure: unknown, not 1/4
    assert (rows["Xã B"].people, rows["Xã B"].population, rows["Xã B"].percent) == (1, None, None)
    # Gia-rai women: nobody entered that breakdown anywhere
    both = Criteria.for_target(target, gender="female", ethnic_group_id=broken_down["jrai"].pk)
    assert rows_by_name(target_report(target, criteria=both))["Xã A"].population is None


def test_minority_filter_is_all_minus_kinh(broken_down):
    target = broken_down["target"]
    criteria = Criteria.for_target(target, minority=True)
    rows = rows_by_name(target_report(target, criteria=criteria, as_of=AS_OF))
    # minorities among the counted: L1 (A) and L7 (B); everyone else is Kinh
    # A: 10 - 6 Kinh = 4 -> 1/4 = 25 %; B: 4 - 2 = 2 -> 50 %; C: no Kinh figure -> unknown
    assert [(rows[n].people, rows[n].population, rows[n].percent) for n in ("Xã A", "Xã B")] == [
        (1, 4, 25.0),
        (1, 2, 50.0),
    ]
    assert rows["Xã C"].population is None


def test_minority_target_counts_everyone_but_kinh(broken_down):
    tree = broken_down
    target = tree["target"]
    target.any_minority = True
    target.save()
    report = target_report(target, as_of=AS_OF)
    rows = rows_by_name(report)
    assert [(rows[n].people, rows[n].population) for n in ("Xã A", "Xã B")] == [(1, 4), (1, 2)]
    assert report.total.breakdown and report.total.missing_label == no_breakdown()
    # A filter replaces the target's own ethnic scope: Kinh village heads of A are L2-L5
    kinh = EthnicGroup.objects.get(code="01")
    criteria = Criteria.for_target(target, ethnic_group_id=kinh.pk)
    assert not criteria.minority
    rows = rows_by_name(target_report(target, criteria=criteria, as_of=AS_OF))
    assert (rows["Xã A"].people, rows["Xã A"].population, rows["Xã A"].percent) == (4, 6, 66.7)


@pytest.fixture
def combined(tree):
    """Village heads AND prestigious persons, it-basics, 80 %."""
    vh, pp, u = tree["groups"]["vh"], tree["groups"]["pp"], tree["units"]
    Population.objects.create(org_unit=u["C"], target_group=vh, year=2026, count=3)
    for unit, count in (("A", 2), ("B", 1), ("C", 1)):
        Population.objects.create(org_unit=u[unit], target_group=pp, year=2026, count=count)
    target = TrainingTarget.objects.create(
        name="80% trưởng thôn và người có uy tín",
        scope_unit=u["P"],
        topic="it-basics",
        target_percent=Decimal("80"),
        deadline=datetime.date(2026, 12, 31),
        reporting_year=2026,
    )
    target.target_groups.set([vh, pp])
    return target


def test_combined_groups_count_a_person_once(tree, combined):
    report = target_report(combined, as_of=AS_OF)
    rows = rows_by_name(report)
    # A: L1, L2, L3 (both groups: once), L4, L5, L10 (prestigious only) = 6 of 10 + 2 = 12
    assert (rows["Xã A"].people, rows["Xã A"].population, rows["Xã A"].percent) == (6, 12, 50.0)
    # B: L7, L8 of 4 + 1 = 5 -> 40 %; C: L9 of 3 + 1 = 4 -> 25 %
    assert (rows["Xã B"].people, rows["Xã B"].population, rows["Xã B"].percent) == (2, 5, 40.0)
    assert (rows["Xã C"].people, rows["Xã C"].population, rows["Xã C"].percent) == (1, 4, 25.0)
    # Total: 6 + 2 + 1 + L13 at P = 10; village heads 10 + 4 + 3 = 17 (P has no own figure),
    # prestigious persons P's own 8 -> 25; 40 %, needed 20, gap 10
    total = report.total
    assert (total.people, total.population, total.percent, total.needed, total.gap) == (
        10,
        25,
        40.0,
        20,
        10,
    )
    summary = dict(targets_summary([combined]))[combined]
    assert (summary.people, summary.population) == (10, 25)
    # Filtering one group: prestigious persons L3, L10 of P's 8
    only_pp = Criteria.for_target(combined, target_group_id=tree["groups"]["pp"].pk)
    total = target_report(combined, criteria=only_pp, as_of=AS_OF).total
    assert (total.people, total.population, total.percent) == (2, 8, 25.0)


def test_combined_population_unknown_if_one_group_is(tree, combined):
    Population.objects.filter(
        org_unit=tree["units"]["B"], target_group=tree["groups"]["pp"]
    ).delete()
    rows = rows_by_name(target_report(combined, as_of=AS_OF))
    assert rows["Xã B"].population is None  # 4 village heads alone would inflate the share


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_page_and_export_say_no_data_for_the_breakdown(client, broken_down):
    tree = broken_down
    client.force_login(tree["users"]["manager_in"])
    url = reverse("targets:detail", args=[tree["target"].pk])
    page = soup(client.get(url, {"gender": "female"}))
    cells = {row["data-code"]: row.find_all("td") for row in page.select("tr.unit-row[data-code]")}
    b = tree["units"]["B"].code
    assert no_breakdown() in cells[b][1].get_text()
    assert cells[b][3].get_text(strip=True) == "—"
    assert cells[tree["units"]["A"].code][3].get_text(strip=True) == "3"
    response = client.get(url, {"gender": "female", "format": "csv"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_code = {row[0]: row for row in table[1:]}
    assert by_code[b][3] == no_breakdown()
    assert by_code[tree["units"]["A"].code][2:5] == ["1", "3", "33.3"]
    # "Any minority" from the filter form: A is 1 of 10 - 6
    page = soup(client.get(url, {"ethnic_group": "minority"}))
    cells = {row["data-code"]: row.find_all("td") for row in page.select("tr.unit-row[data-code]")}
    assert cells[tree["units"]["A"].code][3].get_text(strip=True) == "4"
