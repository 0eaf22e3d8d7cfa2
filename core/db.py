"""Database helpers shared by the apps."""

from django.db import connection as default_connection
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
