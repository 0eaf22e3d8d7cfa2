"""xAPI statements under real concurrency on PostgreSQL: answers of one learner racing for the
same activity row (the upserts must neither lose an attempt nor fail on the unique
constraint), and a withdrawal racing statements. SQLite serialises writers, so this runs in
the PostgreSQL pass of `make test`."""

import threading
import uuid

import pytest
from django.db import connection, connections

from courses.h5p.activities import lesson_activities
from courses.h5p.services import xapi_statement_record
from courses.h5p.xapi import statement_parse
from courses.models import Enrolment, H5PActivityProgress, LessonProgress, XAPIStatement
from courses.services import enrolment_create
from tests.factories import make_course, make_learner, make_unit

from .h5p_support import H5P_NEGATIVE, import_file, make_h5p_lesson

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (the PostgreSQL pass)"
    ),
]


@pytest.fixture
def world(settings, tmp_path):
    from tests.factories import site_home

    settings.MEDIA_ROOT = tmp_path / "media"
    site_home()
    learner = make_learner(unit=make_unit("Gia Lai"))
    course = make_course("Tin học cơ bản", lessons=0, quiz=[])
    lesson, block_id = make_h5p_lesson(course, import_file(H5P_NEGATIVE / "valid2.h5p"))
    enrolment_create(user=learner, course=course)
    return {"learner": learner, "lesson": lesson, "block": block_id}


def answered(raw: int, maximum: int = 10):
    return statement_parse(
        {
            "actor": {"account": {"name": str(uuid.uuid4())}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
            "object": {"id": "http://127.0.0.1/content/x"},
            "result": {"score": {"raw": raw, "min": 0, "max": maximum}, "duration": "PT10S"},
        }
    )


def in_parallel(functions) -> list:
    """Run each function in its own thread (own connection), all released at once; the
    exceptions they raised."""
    barrier = threading.Barrier(len(functions))
    errors = []

    def run(function):
        try:
            barrier.wait()
            function()
        except Exception as exc:  # returned to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def record(world, statement):
    return xapi_statement_record(
        user=world["learner"],
        lesson_activities=lesson_activities(world["lesson"].pk),
        block_id=world["block"],
        statement=statement,
    )


def test_parallel_first_answers_make_one_row_and_count_every_attempt(world):
    raws = [2, 9, 4, 6, 3, 8, 5, 7]  # 70 is the course's pass mark: 8 and 9 pass
    errors = in_parallel([lambda r=raw: record(world, answered(r)) for raw in raws])
    assert errors == []
    activity = H5PActivityProgress.objects.get()
    assert activity.attempts == len(raws) and activity.seconds == 10 * len(raws)
    assert activity.best_score == 90 and activity.completed_at is not None
    assert XAPIStatement.objects.count() == len(raws)
    lesson = LessonProgress.objects.get()
    assert lesson.score == 90 and lesson.completed_at is not None
    assert Enrolment.objects.get().status == Enrolment.Status.COMPLETED


def test_a_withdrawal_racing_statements_lets_none_in_after_it(world):
    enrolment = Enrolment.objects.get()

    def withdraw():
        Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)

    errors = in_parallel([withdraw] + [lambda: record(world, answered(5))] * 6)
    assert all(getattr(e, "code", None) == "withdrawn" for e in errors)
    stored = XAPIStatement.objects.count()
    assert stored + len(errors) == 6  # each statement was either stored or refused
    # Whatever got in before the withdrawal counts consistently; nothing after it does.
    assert H5PActivityProgress.objects.filter(attempts=stored).count() == (1 if stored else 0)
    with pytest.raises(Exception) as refused:
        record(world, answered(5))
    assert refused.value.code == "withdrawn"


def test_the_same_statement_id_sent_in_parallel_is_counted_once(world):
    """A replay racing the original (or a script firing one id many times at once): the
    partial unique index lets one in; the others are recognised as that statement (same
    content) or refused (`statement_conflict`), and the attempt is counted once."""
    statement_id = str(uuid.uuid4())

    def statement(raw):
        return statement_parse(
            {
                "id": statement_id,
                "actor": {"account": {"name": "same"}},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
                "object": {"id": "http://127.0.0.1/content/x"},
                "result": {"score": {"raw": raw, "min": 0, "max": 10}, "duration": "PT10S"},
            }
        )

    results = []
    functions = [lambda: results.append(record(world, statement(9)))] * 5
    functions += [lambda: results.append(record(world, statement(10)))] * 3
    errors = in_parallel(functions)
    assert {e.code for e in errors} <= {"statement_conflict"}
    assert XAPIStatement.objects.filter(statement_id=statement_id).count() == 1
    assert len(results) + len(errors) == 8
    assert sum(not r.duplicate for r in results) == 1
    activity = H5PActivityProgress.objects.get()
    assert activity.attempts == 1 and activity.seconds == 10
    stored = XAPIStatement.objects.get()
    # Whichever content won, every other request was a duplicate of it or a conflict.
    winners = 5 if stored.score_raw == 9 else 3
    assert len(results) == winners and len(errors) == 8 - winners
