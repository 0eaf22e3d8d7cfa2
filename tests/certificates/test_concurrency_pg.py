"""Serials under real concurrency: parallel completions on PostgreSQL (row locks matter there;
SQLite serialises every writer anyway). Runs in the PostgreSQL pass of `make test`."""

import datetime
import threading

import pytest
from django.db import connection, connections

from certificates.models import Certificate
from courses.models import Enrolment
from courses.services import enrolment_complete, enrolment_create
from tests.factories import make_course, make_learner, make_unit

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (the PostgreSQL pass)"
    ),
]


def in_parallel(functions):
    """Run each function in its own thread (own database connection), all released at once."""
    barrier = threading.Barrier(len(functions))
    errors = []

    def run(function):
        try:
            barrier.wait()
            function()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []


@pytest.fixture
def setup_course(db):
    from tests.factories import site_home

    site_home()
    return make_course("Kỹ năng số", lessons=1, quiz=[])


def test_parallel_completions_get_distinct_consecutive_serials(setup_course):
    commune = make_unit("Xã Ia Grai", parent=make_unit("Gia Lai"))
    enrolments = [
        enrolment_create(user=make_learner(unit=commune), course=setup_course)[0] for _ in range(8)
    ]
    in_parallel(
        [
            lambda e=enrolment: enrolment_complete(enrolment=e, evidence="assessment")
            for enrolment in enrolments
        ]
    )
    year = datetime.date.today().year
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    assert serials == [f"HS-{year}-{n:06d}" for n in range(1, 9)]
    assert set(Certificate.objects.values_list("status", flat=True)) == {"issued"}


def test_parallel_completion_events_of_one_enrolment_issue_once(setup_course):
    commune = make_unit("Xã Ia Grai", parent=make_unit("Gia Lai"))
    enrolment = enrolment_create(user=make_learner(unit=commune), course=setup_course)[0]
    in_parallel(
        [
            lambda: enrolment_complete(
                enrolment=Enrolment.objects.get(pk=enrolment.pk), evidence="assessment"
            )
        ]
        * 4
    )
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert Certificate.objects.get().status == "issued"
