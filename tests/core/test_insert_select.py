"""core.db.InsertSelect: an INSERT ... SELECT declared by what it does (source rows, conflict
columns, merge rules, update conditions, values read back), whose SQL core writes. Each rule
is checked against the stored row on the database the pass runs on (SQLite by default,
PostgreSQL in the PostgreSQL pass): the same declarations must mean the same on both."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from core.db import BecomesSet, Changed, Equal, InsertSelect, IsSet, Merge, Related, Source
from courses.models import Enrolment, H5PActivityProgress, LessonProgress
from courses.services import enrolment_create
from tests.factories import make_course, make_learner, make_unit

pytestmark = pytest.mark.django_db

ENROLMENT = Source(Enrolment, equal=("user_id", "course_id"), not_equal=("status",))

# Every merge rule on one row: an activity's progress, inserted from the learner's enrolment.
PROGRESS = InsertSelect(
    H5PActivityProgress,
    source=ENROLMENT,
    from_source={"enrolment": "id"},
    conflict=("enrolment", "lesson", "block_id"),
    merge={
        "attempts": Merge.ADD,
        "seconds": Merge.ADD,
        "last_score": Merge.NEW,
        "best_score": Merge.MAX,
        "completed_at": Merge.FIRST,
        "updated_at": Merge.NEW,
    },
    returning=(
        "attempts",
        "seconds",
        "last_score",
        "best_score",
        IsSet("completed_at"),
        Equal("completed_at", "updated_at"),
        Related(
            LessonProgress,
            match={"enrolment": "enrolment", "lesson": "lesson"},
            columns=("score", IsSet("completed_at")),
        ),
    ),
)

# A lesson row written only when it changes: a new score (none keeps the stored one) or a
# first completion.
LESSON = InsertSelect(
    LessonProgress,
    conflict=("enrolment", "lesson"),
    merge={"score": Merge.NEW_IF_SET, "completed_at": Merge.FIRST, "updated_at": Merge.NEW},
    update_when=(Changed("score"), BecomesSet("completed_at")),
    returning=("score", Equal("completed_at", "updated_at")),
)

# Inserted once: a second row with the same conflict columns is left alone.
LESSON_ONCE = InsertSelect(LessonProgress, conflict=("enrolment", "lesson"))


@pytest.fixture
def world():
    learner = make_learner(unit=make_unit("Gia Lai"))
    course = make_course(lessons=1, quiz=[])
    enrolment, _created = enrolment_create(user=learner, course=course)
    lesson = course.get_children().specific().first()
    return {"learner": learner, "course": course, "enrolment": enrolment, "lesson": lesson}


def _when(minutes: int) -> datetime.datetime:
    return timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=minutes)


def _answer(world, *, score, attempts=1, seconds=10, completed_at=None, at=0):
    row = H5PActivityProgress(
        lesson_id=world["lesson"].pk,
        block_id="b1",
        best_score=score,
        last_score=score,
        attempts=attempts,
        seconds=seconds,
        completed_at=completed_at,
        started_at=_when(at),
        updated_at=_when(at),
        resume_state="kept",
    )
    return PROGRESS.run(
        row,
        user_id=world["learner"].pk,
        course_id=world["course"].pk,
        status=Enrolment.Status.WITHDRAWN,
    )


def _progress(world) -> H5PActivityProgress:
    return H5PActivityProgress.objects.get(enrolment=world["enrolment"])


def test_first_run_inserts_the_row_with_the_source_rows_values(world):
    returned = _answer(world, score=40, seconds=12)
    # attempts, seconds, last, best, completed?, completed now?, lesson score, lesson done?
    assert returned[:5] == (1, 12, 40, 40, 0)
    assert returned[5] is None  # completed_at NULL: NULL = updated_at is NULL
    assert returned[6:] == (None, None)  # no lesson row: NULL, not 0
    stored = _progress(world)
    assert stored.enrolment_id == world["enrolment"].pk  # taken from the source row
    assert (stored.best_score, stored.resume_state) == (40, "kept")


def test_add_new_and_max_merge_with_the_stored_row(world):
    _answer(world, score=60, seconds=12)
    returned = _answer(world, score=30, seconds=5)  # lower: best stays, last follows
    assert returned[:4] == (2, 17, 30, 60)
    returned = _answer(world, score=90, attempts=0, seconds=0)  # higher: best rises
    assert returned[:4] == (2, 17, 90, 90)
    stored = _progress(world)
    assert (stored.attempts, stored.seconds, stored.last_score, stored.best_score) == (
        2,
        17,
        90,
        90,
    )


def test_max_ignores_a_null_on_either_side(world):
    _answer(world, score=None)
    assert _progress(world).best_score is None
    assert _answer(world, score=50)[3] == 50  # stored NULL: the incoming value
    assert _answer(world, score=None)[3] == 50  # incoming NULL: the stored value
    assert _progress(world).best_score == 50


def test_first_keeps_the_first_value_set(world):
    first = _when(1)
    assert _answer(world, score=80, completed_at=first, at=1)[4:6] == (1, 1)  # stamped now
    returned = _answer(world, score=90, completed_at=_when(2), at=2)
    assert returned[4] == 1 and not returned[5]  # set before, by another run
    assert _answer(world, score=10, completed_at=None, at=3)[4] == 1  # NULL never clears it
    assert _progress(world).completed_at == first


def test_columns_left_out_of_merge_keep_their_stored_value(world):
    _answer(world, score=10, at=0)
    H5PActivityProgress.objects.filter(pk=_progress(world).pk).update(resume_state="saved")
    _answer(world, score=20, at=1)
    stored = _progress(world)
    assert stored.resume_state == "saved"  # not merged: kept, though the row says "kept"
    assert stored.started_at == _when(0)  # not merged: the first insert's
    assert stored.updated_at == _when(1)  # merged NEW


def test_related_reads_another_models_matching_row(world):
    LessonProgress.objects.create(enrolment=world["enrolment"], lesson=world["lesson"], score=70)
    assert _answer(world, score=10)[6:] == (70, 0)
    LessonProgress.objects.filter(enrolment=world["enrolment"]).update(completed_at=_when(0))
    assert _answer(world, score=10)[6:] == (70, 1)


def test_source_selecting_nothing_writes_nothing(world, django_assert_num_queries):
    Enrolment.objects.filter(pk=world["enrolment"].pk).update(status=Enrolment.Status.WITHDRAWN)
    with django_assert_num_queries(1):  # the one statement, no lookup of its own
        assert _answer(world, score=50) is None  # not_equal: a withdrawn enrolment
    other = make_learner()
    row = H5PActivityProgress(lesson_id=world["lesson"].pk, block_id="b1", best_score=1)
    assert (
        PROGRESS.run(
            row,
            user_id=other.pk,  # equal: not enrolled at all
            course_id=world["course"].pk,
            status=Enrolment.Status.WITHDRAWN,
        )
        is None
    )
    assert not H5PActivityProgress.objects.exists()


def _lesson(world, *, score=None, completed_at=None, at=0):
    row = LessonProgress(
        enrolment_id=world["enrolment"].pk,
        lesson_id=world["lesson"].pk,
        score=score,
        completed_at=completed_at,
        updated_at=_when(at),
    )
    return LESSON.run(row)


def _lesson_row(world) -> LessonProgress:
    return LessonProgress.objects.get(enrolment=world["enrolment"])


def test_without_a_source_the_row_alone_is_inserted(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        returned = _lesson(world, score=50)
    assert returned[0] == 50 and returned[1] is None  # not completed: NULL = ... is NULL
    assert _lesson_row(world).score == 50


def test_new_if_set_replaces_unless_null(world):
    _lesson(world, score=50)
    assert _lesson(world, score=70, at=1)[0] == 70
    assert _lesson(world, score=None, completed_at=_when(2), at=2)[0] == 70  # NULL keeps it
    assert _lesson_row(world).score == 70


def test_update_when_no_condition_holds_returns_none_and_changes_nothing(world):
    _lesson(world, score=50, at=0)
    assert _lesson(world, score=50, at=1) is None  # same score, no completion
    assert _lesson(world, score=None, at=2) is None  # no score: no change either
    stored = _lesson_row(world)
    assert (stored.score, stored.updated_at) == (50, _when(0))  # untouched


def test_update_when_a_changed_score_updates(world):
    _lesson(world, score=50, at=0)
    returned = _lesson(world, score=60, at=1)
    assert returned[0] == 60 and not returned[1]
    assert _lesson_row(world).updated_at == _when(1)


def test_update_when_a_column_becomes_set_updates_once(world):
    _lesson(world, score=50, at=0)
    returned = _lesson(world, score=50, completed_at=_when(1), at=1)
    assert returned[0] == 50 and returned[1]  # this run stamped the completion
    assert _lesson(world, score=50, completed_at=_when(2), at=2) is None  # set already
    assert _lesson_row(world).completed_at == _when(1)


def test_update_when_stored_null_score_gains_one(world):
    _lesson(world, score=None, at=0)
    assert _lesson(world, score=40, at=1)[0] == 40


def test_do_nothing_leaves_the_stored_row_and_returns_none(world):
    row = LessonProgress(enrolment_id=world["enrolment"].pk, lesson_id=world["lesson"].pk, score=1)
    (pk,) = LESSON_ONCE.run(row)  # default read-back: the primary key
    assert pk == _lesson_row(world).pk
    again = LessonProgress(
        enrolment_id=world["enrolment"].pk, lesson_id=world["lesson"].pk, score=2
    )
    assert LESSON_ONCE.run(again) is None
    assert _lesson_row(world).score == 1


def test_auto_now_fields_are_stamped_when_the_row_leaves_them_unset(world):
    before = timezone.now()
    row = LessonProgress(enrolment_id=world["enrolment"].pk, lesson_id=world["lesson"].pk)
    LESSON_ONCE.run(row)
    assert _lesson_row(world).updated_at >= before


def test_the_sql_is_built_once_per_database(world):
    statement = InsertSelect(LessonProgress, conflict=("enrolment", "lesson"))
    row = LessonProgress(enrolment_id=world["enrolment"].pk, lesson_id=world["lesson"].pk)
    statement.run(row)
    compiled = statement._compiled[connection.vendor]
    statement.run(row)
    assert statement._compiled[connection.vendor] is compiled


def test_the_sql_names_the_table_in_returning_and_always_has_a_where(world):
    sql, _fields, _flagged = LESSON._sql(connection)
    table = connection.ops.quote_name(LessonProgress._meta.db_table)
    # SQLite: a WHERE before ON CONFLICT in INSERT ... SELECT; RETURNING through the table.
    assert " WHERE 1 = 1 ON CONFLICT " in sql
    assert f"RETURNING {table}." in sql


def test_declarations_that_cannot_be_written_are_refused():
    with pytest.raises(ValueError):
        InsertSelect(LessonProgress, merge={"score": Merge.NEW})  # on which conflict?
    with pytest.raises(ValueError):
        InsertSelect(
            LessonProgress, conflict=("enrolment", "lesson"), update_when=(Changed("score"),)
        )
