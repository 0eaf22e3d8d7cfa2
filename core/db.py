"""Database helpers shared by the apps."""

from django.db import connection as default_connection
from django.db import transaction
from django.db.backends.postgresql import base as postgresql_base


def server_binding_cursor(connection=default_connection):
    """A cursor that binds its parameters on the server on PostgreSQL; elsewhere, the usual one.

    Django's psycopg cursors bind on the client by default: the values are spliced into the
    SQL text, which PostgreSQL then parses and plans anew on every execution. Bound on the
    server, the SQL text is the same every time, and psycopg prepares it once per connection
    after a few executions (`prepare_threshold`, which Django leaves off unless OPTIONS sets
    it: lms.settings.base does, from DB_PREPARE_THRESHOLD). For the hot, hand-written queries
    whose SQL types every parameter (by its column), that saves the parse and plan; the rest of
    the site keeps Django's default (client-side binding, never prepared). Wrapped like any
    Django cursor, so query logging, execute wrappers and `assertNumQueries` see these queries
    too.
    """
    binding = getattr(postgresql_base, "ServerBindingCursor", None)
    if connection.vendor != "postgresql" or binding is None:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = binding(connection.connection)
    return (
        connection.make_debug_cursor(raw)
        if connection.queries_logged
        else connection.make_cursor(raw)
    )


def insert_from_select(model, columns: tuple[str, ...], query, *, select: str = "*") -> int:
    """INSERT INTO `model`'s table (`columns`) SELECT `select` FROM (`query`), in the database;
    returns how many rows. `query` is a QuerySet whose selected values line up with `columns`
    (Django 5.2 keeps the order `values()` names them in); `select` may wrap them (COALESCE…).
    One statement instead of reading rows into Python and writing them back."""
    sql, params = query.query.sql_with_params()
    table = default_connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(default_connection.ops.quote_name(c) for c in columns)
    with default_connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {select} FROM ({sql}) source", params)
        return max(cursor.rowcount, 0)


def commit_hooks_pending(kind: type) -> list:
    """The commit hooks of type `kind` that the current transaction has registered (empty
    outside one), in order: a caller can join its work to a batch already waiting instead of
    registering another. Reads Django's live `connection.run_on_commit` (pinned by
    tests/core/test_internals.py)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return []
    return [
        hook for _savepoints, hook, _robust in connection.run_on_commit if isinstance(hook, kind)
    ]


def queryset_prefilled(queryset, rows: list):
    """`queryset` with its results already known (`rows`, e.g. from a cache): iterating it
    costs no query; anything that refines it clones it and reads the database. Sets Django's
    `QuerySet._result_cache` (pinned by tests/core/test_internals.py)."""
    queryset._result_cache = rows
    return queryset
