"""Database helpers shared by the apps: every hand-built SQL string of the project (outside
migrations and the bench data loader) is here, with what it is for."""

from dataclasses import dataclass

from django.db import connection as default_connection
from django.db import connections, router, transaction
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


def ping(connection=default_connection) -> None:
    """One round trip to the database (`SELECT 1`); raises when it does not answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


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


# --- INSERT ... SELECT with an optional upsert, built from the model -----------------------
# The SQL of each `insert_select` shape (model, computed columns, source, upsert,
# returning): built once per process, since only the values change between calls.
_INSERT_SQL: dict[tuple, tuple[str, list]] = {}


def _insert_select_sql(meta, computed: dict, source: str, upsert: str, returning: str):
    """The SQL text and the fields whose values it takes, in order."""
    key = (meta.label, tuple(sorted(computed.items())), source, upsert, returning)
    cached = _INSERT_SQL.get(key)
    if cached is not None:
        return cached
    quote = default_connection.ops.quote_name
    returning = returning or f"{quote(meta.db_table)}.{quote(meta.pk.column)}"
    columns, values, fields = [], [], []
    for field in meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(quote(field.column))
        if field.column in computed:
            values.append(computed[field.column])
        else:
            values.append("%s")
            fields.append(field)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} {source} {upsert} RETURNING {returning}"
    )
    _INSERT_SQL[key] = (sql, fields)
    return sql, fields


def insert_select(
    row, *, source: str, params: list, computed=None, upsert: str = "", returning: str = ""
):
    """`INSERT INTO <row's table> (<columns>) SELECT <values> <source> <upsert> RETURNING
    <returning>`: the RETURNING row, or None when `source` selected nothing (or the upsert's
    WHERE skipped the update).

    The values are the unsaved `row`'s (defaults filled, auto_now fields stamped unless
    set), prepared for this database by each field, so the SQL follows the model; `computed`
    gives some columns an SQL expression over `source` instead (`{"enrolment_id": "e.id"}`).
    `upsert` and `returning` (default: the new row's id) name the table itself, not an
    alias, and qualify its columns: SQLite resolves RETURNING only through the table's name,
    PostgreSQL also accepts it.
    """
    sql, fields = _insert_select_sql(row._meta, computed or {}, source, upsert, returning)
    args = []
    for field in fields:
        value = getattr(row, field.attname)
        if value is None:
            value = field.pre_save(row, add=True)  # auto_now(_add) fields not set
        args.append(field.get_db_prep_save(value, default_connection))
    with server_binding_cursor() as cursor:  # PostgreSQL prepares it
        cursor.execute(sql, [*args, *params])
        return cursor.fetchone()


# --- one row by primary key, prepared -------------------------------------------------------
# Per (model, database alias): the SELECT, the field names in its column order, and per column
# the converters (`converter(value, expression, connection)`) the ORM would apply to it.
_BY_PK: dict[tuple, tuple[str, list[str], list[tuple[int, list, object]]]] = {}


def _by_pk_select(model, connection):
    key = (model._meta.label, connection.alias)
    select = _BY_PK.get(key)
    if select is None:
        meta = model._meta
        quote = connection.ops.quote_name
        fields = meta.concrete_fields
        converters = []
        for index, field in enumerate(fields):
            column = field.get_col(meta.db_table)
            found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            if found:
                converters.append((index, found, column))
        sql = (
            f"SELECT {', '.join(quote(field.column) for field in fields)} "
            f"FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s"
        )
        select = _BY_PK[key] = (sql, [f.attname for f in fields], converters)
    return select


def prepared_get(model, pk):
    """The `model` instance whose primary key is `pk`, or None: one SELECT whose SQL is built
    once per process and database from the model's fields and bound on the server (PostgreSQL
    prepares it, see `server_binding_cursor`); the row becomes an instance through
    `Model.from_db` and the database's converters, as the ORM's would. For lookups on every
    request (the signed-in user), where compiling the ORM query costs more than running it."""
    connection = connections[router.db_for_read(model)]
    sql, names, converters = _by_pk_select(model, connection)
    value = model._meta.pk.get_db_prep_value(pk, connection)
    with server_binding_cursor(connection) as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    if row is None:
        return None
    if converters:
        row = list(row)
        for index, functions, column in converters:
            for convert in functions:
                row[index] = convert(row[index], column, connection)
    return model.from_db(connection.alias, names, row)


# --- counts over a per-item subquery -------------------------------------------------------
@dataclass(frozen=True)
class Window:
    """Also count the rows whose `column` lies in [start, end)."""

    column: str
    start: object
    end: object


def grouped_counts(querysets: list, by: tuple[str, ...], windows: list | None = None) -> list:
    """For each queryset (one row per counted item, its values including the columns `by`):
    rows (index of the queryset, *values of `by`, COUNT(*)[, rows in its window]), all in one
    statement (a GROUP BY over each as a subquery, joined by UNION ALL). `windows`, one
    `Window` or None per queryset, adds a count of the rows in it. The ORM cannot group by
    an aggregate's result (people per unit from one row per person), hence the subquery."""
    if not querysets:
        return []
    quote = default_connection.ops.quote_name
    group = ", ".join(quote(column) for column in by)
    windows = windows or [None] * len(querysets)
    parts, params = [], []
    for number, (queryset, window) in enumerate(zip(querysets, windows, strict=True)):
        sql, sql_params = queryset.query.sql_with_params()
        select = f"SELECT {number} AS part, {group}, COUNT(*) AS counted"
        if window is not None:
            column = quote(window.column)
            select += f", SUM(CASE WHEN {column} >= %s AND {column} < %s THEN 1 ELSE 0 END)"
            params += [window.start, window.end]
        parts.append(f"{select} FROM ({sql}) items{number} GROUP BY {group}")
        params += sql_params
    with default_connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


def rows_by_keys(model, key: str, keys: list, columns: tuple[str, ...], *, as_text=()) -> list:
    """Rows of `model`'s `columns` (field names) where `key` is one of `keys`, those named in
    `as_text` cast to text: one plain SELECT for a hot read of a few dozen rows, where
    compiling the ORM query cost more than running it and psycopg's timezone-aware loader more
    than parsing the text with `datetime.fromisoformat` (C)."""
    if not keys:
        return []
    meta = model._meta
    quote = default_connection.ops.quote_name

    def column(name):
        quoted = quote(meta.get_field(name).column)
        return f"CAST({quoted} AS TEXT)" if name in as_text else quoted

    marks = ", ".join(["%s"] * len(keys))
    with default_connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(column(name) for name in columns)} FROM {quote(meta.db_table)}"
            f" WHERE {quote(meta.get_field(key).column)} IN ({marks})",
            list(keys),
        )
        return cursor.fetchall()
