"""core.db.server_binding_cursor and the prepared statements it makes possible on PostgreSQL,
and the indexes of the statement log that every click writes."""

import pytest
from django.db import connection

from core.db import server_binding_cursor

pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (the PostgreSQL pass)"
)


def _prepared(fragment: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s",
            [f"%{fragment}%"],
        )
        return cursor.fetchall()


@pg_only
@pytest.mark.postgres
@pytest.mark.django_db
def test_settings_turn_prepared_statements_on():
    # Django leaves psycopg's prepare_threshold off unless OPTIONS sets it.
    assert connection.settings_dict["OPTIONS"]["prepare_threshold"] == 5
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == 5


@pg_only
@pytest.mark.postgres
@pytest.mark.django_db
def test_server_bound_query_is_prepared_after_the_threshold():
    sql = "SELECT %s::int + 1 AS lms_db_probe"
    for n in range(4):
        with server_binding_cursor() as cursor:
            cursor.execute(sql, [n])
            assert cursor.fetchone() == (n + 1,)
    assert _prepared("lms_db_probe") == []  # four runs: not yet
    for n in range(3):
        with server_binding_cursor() as cursor:
            cursor.execute(sql, [n])
            assert cursor.fetchone() == (n + 1,)
    [(statement, runs)] = _prepared("lms_db_probe")
    assert "$1" in statement  # bound on the server: one text for every value
    assert runs >= 1


@pg_only
@pytest.mark.postgres
@pytest.mark.django_db
def test_client_bound_queries_are_never_prepared():
    for n in range(8):
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::int AS lms_db_client_probe", [n])
            cursor.fetchone()
    assert _prepared("lms_db_client_probe") == []


@pytest.mark.django_db
def test_server_binding_cursor_runs_everywhere(django_assert_num_queries):
    # On SQLite it is the ordinary cursor; either way Django counts its queries.
    with django_assert_num_queries(1):
        with server_binding_cursor() as cursor:
            cursor.execute("SELECT %s + 1", [41])
            assert cursor.fetchone()[0] == 42


@pytest.mark.django_db
def test_statement_log_has_no_redundant_single_column_indexes():
    from courses.models import XAPIStatement

    table = XAPIStatement._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexes = [
        tuple(info["columns"])
        for info in constraints.values()
        if info["index"] and not info["primary_key"]
    ]
    # The composite indexes serve every lookup by user or by lesson ...
    assert ("lesson_id", "block_id", "user_id") in indexes
    assert ("user_id", "stored_at") in indexes
    # ... so the foreign keys' own single-column indexes are gone (migration courses 0006),
    assert ("user_id",) not in indexes
    assert ("lesson_id",) not in indexes
    # while the foreign keys themselves stay.
    foreign_keys = {info["columns"][0] for info in constraints.values() if info.get("foreign_key")}
    assert {"user_id", "lesson_id", "package_id"} <= foreign_keys
