"""The rollup behind the targets list and the cache of target pages stay honest."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from targets.models import AchievementRollup, Population
from targets.selectors.reports import targets_summary
from targets.tasks import achievement_rollup_refresh
from tests.targets.conftest import complete

pytestmark = pytest.mark.django_db


def test_rollup_task_and_staleness(tree):
    targets = [tree["target"], tree["target2"]]
    assert achievement_rollup_refresh.delay().get() == 2  # eager in tests
    assert dict(AchievementRollup.objects.values_list("target_id", "people")) == {
        tree["target"].pk: 9,
        tree["target2"].pk: 2,
    }
    # a completion after the refresh: the list keeps the rollup's count until the next one
    complete(tree["people"]["L11"], tree["courses"]["c1"], "2026-10-01")
    summary = dict(targets_summary(targets, use_rollup=True))
    assert summary[tree["target"]].people == 9 and summary[tree["target"]].as_of is not None
    assert dict(targets_summary(targets))[tree["target"]].people == 10  # live
    # an edited target is counted live at once
    tree["target"].name = "đổi tên"
    tree["target"].save()
    summary = dict(targets_summary(targets, use_rollup=True))
    assert summary[tree["target"]].people == 10 and summary[tree["target"]].as_of is None
    achievement_rollup_refresh()
    summary = dict(targets_summary(targets, use_rollup=True))
    assert summary[tree["target"]].people == 10 and summary[tree["target"]].as_of is not None
    second = summary[tree["target2"]]
    # P's own figure counts; its three communes have no prestigious-person figure of their own
    assert (second.population, second.percent, second.missing_units) == (8, 25.0, 3)
    # a population change: the list counts live again at once
    Population.objects.filter(org_unit=tree["units"]["P"]).update(count=4)  # no signal
    assert dict(targets_summary(targets, use_rollup=True))[tree["target2"]].population == 8
    Population.objects.get(org_unit=tree["units"]["P"]).save()  # through the model: a signal
    summary = dict(targets_summary(targets, use_rollup=True))
    assert (summary[tree["target2"]].population, summary[tree["target2"]].as_of) == (4, None)


def total_people(client, url):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    return page.select_one("#total dd a").get_text(strip=True)


def test_cached_page_counts_again_after_a_completion(
    client, tree, settings, django_capture_on_commit_callbacks
):
    settings.LMS_TARGETS_CACHE_SECONDS = 300
    client.force_login(tree["users"]["manager_in"])
    url = reverse("targets:detail", args=[tree["target"].pk])
    assert total_people(client, url) == "9"
    with django_capture_on_commit_callbacks(execute=True):
        complete(tree["people"]["L11"], tree["courses"]["c1"], "2026-10-01")
    assert total_people(client, url) == "10"
