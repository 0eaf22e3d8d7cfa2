"""Query budgets: the manager pages cost the same number of queries whatever the number of
units, learners, courses, completions or targets.

Every page also pays for the signed-in manager: the user row and the manager-role check, two
queries of frame (the manager pages leave out base.html's Wagtail user bar).
"""

import datetime

import pytest
from django.urls import reverse

from people.models import OrgUnit
from targets.models import Population, TrainingTarget
from tests.factories import make_course, make_learner, make_unit
from tests.targets.conftest import complete

pytestmark = pytest.mark.django_db

FRAME = 2


@pytest.fixture(autouse=True)
def _live(settings):
    """Count the queries of a page computed afresh (the cache has its own test below)."""
    settings.LMS_TARGETS_CACHE_SECONDS = 0


def grow(tree, n: int = 6):
    """More of everything: units, villages, learners with completions, courses, targets."""
    p, vh = tree["units"]["P"], tree["groups"]["vh"]
    courses = [make_course(f"Khoá thêm {i}", lessons=1, quiz=[]) for i in range(2)]
    tree["target"].courses.add(*courses)
    for i in range(n):
        commune = make_unit(f"Xã thêm {i}", parent=p)
        village = make_unit(f"Thôn thêm {i}", parent=commune, kind=OrgUnit.Kind.VILLAGE)
        Population.objects.create(org_unit=commune, target_group=vh, year=2026, count=20 + i)
        for unit in (commune, village):
            learner = make_learner(unit=unit)
            learner.profile.target_groups.set([vh])
            for course in courses:
                complete(learner, course, f"2026-0{1 + i % 9}-1{i % 9}")
    for i in range(3):
        TrainingTarget.objects.create(
            name=f"Chỉ tiêu thêm {i}",
            scope_unit=p,
            topic="it-basics",
            target_percent=50,
            deadline=datetime.date(2026, 12, 31),
            reporting_year=2026,
        ).target_groups.set([vh])


def pages(tree):
    t = tree["target"]
    return {
        # frame + targets + their target groups (one prefetch) + rollup rows + one statement
        # counting the targets without a current rollup + population rows + child units of
        # every target's unit + the report form's units
        "list": (reverse("targets:list"), {}, FRAME + 7),
        # frame + target + its target groups + child units + people per child and first
        # completions per day (one statement) + population rows (the filters' lists of target
        # groups, ethnic groups and courses come from the cache once warm)
        "detail": (reverse("targets:detail", args=[t.pk]), {}, FRAME + 5),
        # the same + the drilled unit + its ancestors for the breadcrumb
        "drill": (
            reverse("targets:detail", args=[t.pk]),
            {"unit": tree["units"]["A"].pk},
            FRAME + 7,
        ),
        # frame + target + its target groups + count + one page of completions (certificates
        # by subquery)
        "people": (reverse("targets:people", args=[t.pk]), {}, FRAME + 4),
        # frame + profile + its target groups + enrolments + lesson progress + quiz attempts
        "audit": (reverse("targets:learner", args=[tree["people"]["L2"].pk]), {}, FRAME + 5),
        # an export has no chart or filter widgets: frame + target + its target groups + child
        # units + people per child + population rows
        "detail_xlsx": (reverse("targets:detail", args=[t.pk]), {"format": "xlsx"}, FRAME + 5),
        # frame + target + its target groups + all qualifying completions in one query
        "people_csv": (reverse("targets:people", args=[t.pk]), {"format": "csv"}, FRAME + 3),
        # frame + targets + their target groups + rollup rows + the three live queries of
        # targets without a current rollup row (see `targets_summary`) + people per child unit
        # and in the pace window, every target in one statement + child units of every target
        # + population rows of every target
        "overview": (reverse("targets:overview"), {}, FRAME + 9),
        # the target page under filters: the same as "detail" (validation and the chips read
        # the filters' cached lists)
        "detail_filtered": (
            reverse("targets:detail", args=[t.pk]),
            {"gender": "female", "target_group": tree["groups"]["vh"].pk, "year": "2026"},
            FRAME + 5,
        ),
        # frame + target + its target groups + the drilled unit + count + one page of
        # enrolments (units and courses joined) + classes planned (course and venue joined)
        "not_finished": (
            reverse("targets:not_finished", args=[t.pk]),
            {"unit": tree["units"]["A"].pk},
            FRAME + 6,
        ),
        # frame + target + its target groups + child units + people and series + population
        "summary_pdf": (reverse("targets:summary_pdf", args=[t.pk]), {}, FRAME + 5),
    }


@pytest.mark.parametrize(
    "name",
    [
        "list",
        "detail",
        "drill",
        "people",
        "audit",
        "detail_xlsx",
        "people_csv",
        "overview",
        "detail_filtered",
        "not_finished",
        "summary_pdf",
    ],
)
def test_fixed_query_count(client, tree, django_assert_num_queries, name):
    client.force_login(tree["users"]["manager_in"])
    url, params, expected = pages(tree)[name]
    client.get(url, params)  # warm the per-process caches (content types, site)
    with django_assert_num_queries(expected):
        assert client.get(url, params).status_code == 200
    grow(tree)
    client.get(url, params)  # publishing the new courses bumped the content version: re-warm
    with django_assert_num_queries(expected):
        assert client.get(url, params).status_code == 200


def test_list_with_a_current_rollup_counts_nothing_live(client, tree, django_assert_num_queries):
    from targets.services import achievement_rollup_refresh

    achievement_rollup_refresh()
    client.force_login(tree["users"]["manager_in"])
    client.get(reverse("targets:list"))
    # frame + targets + their target groups + rollup rows (people, population and missing
    # units) + report form's units
    with django_assert_num_queries(FRAME + 4):
        assert client.get(reverse("targets:list")).status_code == 200


def test_cached_target_page(client, tree, settings, django_assert_num_queries):
    settings.LMS_TARGETS_CACHE_SECONDS = 300
    client.force_login(tree["users"]["manager_in"])
    url = reverse("targets:detail", args=[tree["target"].pk])
    client.get(url)
    # frame + target + its target groups: the figures, and the page fragment showing them and
    # the filters, come from the cache
    with django_assert_num_queries(FRAME + 2):
        assert client.get(url).status_code == 200


def test_overview_with_a_current_rollup(client, tree, django_assert_num_queries):
    from targets.services import achievement_rollup_refresh

    achievement_rollup_refresh()
    client.force_login(tree["users"]["manager_in"])
    client.get(reverse("targets:overview"))
    # frame + targets + their target groups + rollup rows + people per child unit (one
    # statement) + child units + population rows: nothing counted live for the headline
    with django_assert_num_queries(FRAME + 6):
        assert client.get(reverse("targets:overview")).status_code == 200
