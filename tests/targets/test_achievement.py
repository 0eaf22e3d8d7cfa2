"""Achievement figures for the small tree in conftest.py, every number computed by hand."""

import datetime

import pytest

from people.models import OrgUnit
from targets.models import Population
from targets.selectors.achievement import Criteria
from targets.selectors.reports import target_report, targets_summary

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 9, 30)


def rows_by_name(report):
    return {row.name: row for row in report.rows}


def test_province_drill_down(tree):
    report = target_report(tree["target"], as_of=AS_OF)
    rows = rows_by_name(report)
    assert set(rows) == {"Xã A", "Xã B", "Xã C", "Tỉnh Mới"}  # old units are not listed
    # A: L1, L2 (village A1), L3, L4 (Xã Cũ 1 -> A), L5 (Xã Cũ 2 -> Xã Cũ 1 -> A)
    a = rows["Xã A"].figure
    assert (a.people, a.population, a.percent, a.needed, a.gap) == (5, 10, 50.0, 8, 3)
    # B: L7 and L8 (moved from C); L6 completed in 2027
    b = rows["Xã B"].figure
    assert (b.people, b.population, b.percent, b.needed, b.gap) == (2, 4, 50.0, 4, 2)
    # C: L9, and no population figure for 2026 (the 2025 one does not count)
    c = rows["Xã C"].figure
    assert (c.people, c.population, c.percent, c.needed, c.gap) == (1, None, None, None, None)
    direct = rows["Tỉnh Mới"]
    assert direct.direct and direct.figure.people == 1  # L13
    # Total: 9 people; C has no figure, so the province's population is unknown
    total = report.total
    assert (total.people, total.population, total.percent, total.missing_units) == (
        9,
        None,
        None,
        1,
    )
    assert [row.name for row in report.rows_missing_population] == ["Xã C", "Tỉnh Mới"]
    assert [row.name for row in report.furthest_behind] == ["Xã A", "Xã B"]


def test_total_once_every_unit_has_population(tree):
    Population.objects.create(
        org_unit=tree["units"]["C"], target_group=tree["groups"]["vh"], year=2026, count=3
    )
    report = target_report(tree["target"], as_of=AS_OF)
    total = report.total
    # 10 + 4 + 3 = 17; 9 / 17 = 52.94 %; needed ceil(17 * 0.8) = 14; gap 5
    assert (total.people, total.population, total.percent, total.needed, total.gap) == (
        9,
        17,
        52.9,
        14,
        5,
    )
    # First completions in (2026-07-02, 2026-09-30]: L9 08-01, L13 09-01 -> 2 per 90 days;
    # 5 more people take ceil(5 * 90 / 2) = 225 days: 2027-05-13.
    assert report.pace.people == 2
    assert report.pace.projected_date == datetime.date(2027, 5, 13)


def test_series_counts_first_completions(tree):
    report = target_report(tree["target"], as_of=AS_OF)
    assert report.series == [
        (datetime.date(2025, 11, 1), 1),  # L5
        (datetime.date(2026, 2, 1), 1),  # L7
        (datetime.date(2026, 3, 10), 1),  # L1 (c3 on 03-20 is not a first completion)
        (datetime.date(2026, 4, 1), 1),  # L4
        (datetime.date(2026, 5, 1), 1),  # L2
        (datetime.date(2026, 6, 1), 1),  # L3
        (datetime.date(2026, 7, 1), 1),  # L8
        (datetime.date(2026, 8, 1), 1),  # L9
        (datetime.date(2026, 9, 1), 1),  # L13
    ]


def test_commune_drill_down_to_villages(tree):
    report = target_report(tree["target"], unit=tree["units"]["A"], as_of=AS_OF)
    rows = rows_by_name(report)
    # A1: L2 against 3 -> 33.3 %, needed ceil(2.4) = 3, gap 2; at A itself: L1, L3, L4, L5
    a1 = rows["Làng A1"].figure
    assert (a1.people, a1.population, a1.percent, a1.gap) == (1, 3, 33.3, 2)
    assert rows["Xã A"].direct and rows["Xã A"].figure.people == 4
    assert (report.total.people, report.total.population) == (5, 10)  # A's own figure wins


def test_filters_narrow_the_count(tree):
    target = tree["target"]
    jrai = Criteria.for_target(target, ethnic_group_id=tree["jrai"].pk)
    rows = rows_by_name(target_report(target, criteria=jrai, as_of=AS_OF))
    assert (rows["Xã A"].figure.people, rows["Xã B"].figure.people) == (1, 1)  # L1, L7
    women = Criteria.for_target(target, gender="female")
    rows = rows_by_name(target_report(target, criteria=women, as_of=AS_OF))
    assert (rows["Xã A"].figure.people, rows["Xã B"].figure.people) == (1, 1)  # L2, L8
    only_c3 = Criteria.for_target(target, course_id=tree["courses"]["c3"].pk)
    assert target_report(target, criteria=only_c3, as_of=AS_OF).total.people == 1  # L1
    earlier = Criteria.for_target(target, year=2025)
    assert target_report(target, criteria=earlier, as_of=AS_OF).total.people == 1  # L5


def test_person_in_two_groups_counts_for_both_targets(tree):
    report = target_report(tree["target2"], as_of=AS_OF)
    # prestigious persons who completed an it-basics course: L3 and L10 (both in Xã A)
    assert rows_by_name(report)["Xã A"].figure.people == 2
    total = report.total
    # P's own figure 8: 2 / 8 = 25 %, needed 4, gap 2
    assert (total.people, total.population, total.percent, total.needed, total.gap) == (
        2,
        8,
        25.0,
        4,
        2,
    )


def test_replacement_chain_of_three_steps(tree):
    """A unit replaced three times over still counts for the last one."""
    o3 = OrgUnit.objects.get(pk=tree["units"]["O"].pk).add_child(
        code="OLD3", name="Xã Cũ 3", kind=OrgUnit.Kind.COMMUNE, replaced_by=tree["units"]["O2"]
    )
    from tests.factories import make_learner
    from tests.targets.conftest import complete

    learner = make_learner(unit=o3)
    learner.profile.target_groups.set([tree["groups"]["vh"]])
    complete(learner, tree["courses"]["c1"], "2026-05-05")
    rows = rows_by_name(target_report(tree["target"], as_of=AS_OF))
    assert rows["Xã A"].figure.people == 6


def test_population_zero_and_over(tree):
    Population.objects.filter(org_unit=tree["units"]["B"]).update(count=1)
    Population.objects.filter(org_unit=tree["units"]["A"]).update(count=0)
    rows = rows_by_name(target_report(tree["target"], as_of=AS_OF))
    b = rows["Xã B"].figure
    assert (b.people, b.population, b.percent, b.over, b.gap) == (2, 1, 100.0, True, 0)
    a = rows["Xã A"].figure
    assert (a.percent, a.over) == (None, True)  # never a division by zero


def test_summary_matches_target_pages(tree):
    summary = dict(targets_summary([tree["target"], tree["target2"]]))
    first, second = summary[tree["target"]], summary[tree["target2"]]
    assert (first.people, first.population, first.missing_units) == (9, None, 1)
    assert (second.people, second.population, second.percent) == (2, 8, 25.0)


def test_summary_shares_one_group_by_between_alike_targets(tree):
    """Targets counting alike at one depth share a GROUP BY and still get their own figure."""
    from targets.models import TrainingTarget

    made = {}
    for name in ("A", "B", "C"):
        made[name] = TrainingTarget.objects.create(
            name=f"it-basics {name}",
            scope_unit=tree["units"][name],
            topic="it-basics",
            target_percent=50,
            deadline=datetime.date(2026, 12, 31),
            reporting_year=2026,
        )
        made[name].target_groups.set([tree["groups"]["vh"]])
    summary = dict(targets_summary([*made.values(), tree["target"], tree["target2"]]))
    assert [summary[made[n]].people for n in ("A", "B", "C")] == [5, 2, 1]
    assert (summary[made["A"]].population, summary[made["A"]].percent) == (10, 50.0)
    assert summary[tree["target"]].people == 9 and summary[tree["target2"]].people == 2
