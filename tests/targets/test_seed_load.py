"""seed_load creates the requested learners and enrolments on the real tree, once."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from courses.models import Enrolment
from people.models import OrgUnit, Profile
from targets.models import CompletionFact
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def test_seed_load(home):
    call_command("import_org_units", "--province", "52", verbosity=0)
    make_course("Tin học cơ bản", lessons=1, quiz=[])
    call_command("seed_load", "--learners", "40", "--enrolments", "130", verbosity=0)
    users = get_user_model().objects.filter(username__startswith="load-")
    assert users.count() == 40
    enrolments = Enrolment.objects.filter(user__username__startswith="load-")
    assert enrolments.count() == 130
    # at most one enrolment per learner and course (4 courses were generated to fit)
    assert not enrolments.values("user", "course").annotate(n=Count("pk")).filter(n__gt=1)
    profiles = Profile.objects.filter(user__in=users)
    assert not profiles.exclude(org_unit__kind=OrgUnit.Kind.COMMUNE).exists()
    assert not profiles.filter(ethnic_group__isnull=True).exists()
    assert not profiles.filter(target_groups__isnull=True).exists()
    assert enrolments.filter(status="completed", completed_at__isnull=False).exists()
    # most completions have evidence (some only browser-reported); the facts were rebuilt
    counted = enrolments.with_evidence()
    assert counted.exists() and enrolments.filter(status="completed", evidence="").exists()
    facts = CompletionFact.objects.filter(enrolment__in=counted)
    assert facts.values("enrolment").distinct().count() == counted.count()
    assert CompletionFact.objects.count() == facts.count()
    call_command("seed_load", "--learners", "40", "--enrolments", "130", verbosity=0)
    assert users.count() == 40  # re-running changes nothing
