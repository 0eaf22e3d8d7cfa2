"""Migration courses 0013: statements stored before it come out conforming (an id, unique
in the LRS; a timestamp; the learner's account as actor; the lesson activity as object)."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from courses.xapi.identity import activity_iri, actor_name

from .test_xapi_statements import assert_conforms

BEFORE = [("courses", "0012_certificate_valid_months")]
AFTER = [("courses", "0013_xapi_conforming")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_statements_are_made_to_conform(home):
    from tests.factories import make_course, make_learner, make_unit

    first = make_learner(unit=make_unit("Gia Lai"), username="a1")
    second = make_learner(unit=make_unit("Kon Tum"), username="a2")
    lesson = make_course("Khoá cũ", lessons=1, quiz=[]).get_children().specific().first()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("courses", "XAPIStatement")
    shared_id = uuid.uuid4()
    h5p = {
        "actor": {"account": {"name": "random-h5p-id"}, "objectType": "Agent"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"id": "http://old.host/content/x", "objectType": "Activity"},
        "timestamp": "2026-11-01T08:00:00+07:00",
    }
    rows = [
        old.objects.create(user_id=first.pk, lesson_id=lesson.pk, block_id="b1", verb="v",
                           object_id="http://old.host/content/x", raw=h5p,
                           statement_id=shared_id),
        old.objects.create(user_id=second.pk, lesson_id=lesson.pk, block_id="b1", verb="v",
                           object_id="http://old.host/content/x", raw={**h5p},
                           statement_id=shared_id),
        old.objects.create(user_id=first.pk, lesson_id=lesson.pk, block_id="b1", verb="v",
                           object_id="x", raw={k: v for k, v in h5p.items() if k != "timestamp"}),
    ]  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("courses", "XAPIStatement")
    after = {row.pk: row for row in new.objects.all()}
    assert after[rows[0].pk].statement_id == shared_id  # the first keeps its id
    assert len({row.statement_id for row in after.values()}) == 3
    for row in after.values():
        assert_conforms(row.raw)
        assert row.raw["id"] == str(row.statement_id)
        assert row.object_id == row.raw["object"]["id"] == activity_iri(lesson.pk, "b1")
        assert row.raw["actor"]["account"]["name"] == actor_name(row.user_id)
        assert row.timestamp is not None
    assert after[rows[0].pk].raw["timestamp"] == "2026-11-01T01:00:00.000Z"
    third = after[rows[2].pk]
    assert third.timestamp == third.stored_at and third.timestamp <= timezone.now()
    # Back to the latest state of every app (migrating to 0012 unapplied what depends on it).
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
