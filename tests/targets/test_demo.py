"""The demo manager sees targets with real-looking gaps straight after seed_demo."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from targets.models import Population, TrainingTarget
from targets.selectors.reports import target_report, targets_summary, targets_visible_to

pytestmark = pytest.mark.django_db


def test_demo_targets_have_gaps(client):
    call_command("seed_demo", verbosity=0)
    counts = (TrainingTarget.objects.count(), Population.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (TrainingTarget.objects.count(), Population.objects.count()) == counts  # idempotent
    manager = get_user_model().objects.get(username="manager")
    targets = list(targets_visible_to(manager))
    assert len(targets) == 2
    for _target, figure in targets_summary(targets):
        assert figure.people > 0
    village = next(t for t in targets if t.target_group.code == "village-head")
    report = target_report(village)
    assert report.rows_missing_population  # some communes have no figure: flagged
    assert any(row.figure.gap for row in report.rows)  # and some are behind
    client.force_login(manager)
    assert client.get(f"/manage/targets/{village.pk}/").status_code == 200
