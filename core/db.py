"""Database helpers shared by the apps: every hand-built SQL string of the project (outside
migrations and the bench data loader) is here, with what it is for."""

from dataclasses import dataclass
from enum import Enum

from django.core.exceptions import EmptyResultSet
from django.db import connection as default_connection
from django.db import connections, router, transaction
from django.db.backends.postgresql import base as postgresql_base
from django.utils import timezone


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


def insert_from_select(model, columns: tuple[str, ...], query) -> int:
    """INSERT INTO `model`'s table (`columns`) SELECT * FROM (`query`), in the database;
    returns how many rows. `query` is a QuerySet whose selected values line up with `columns`
    (Django 5.2 keeps the order `values()` names them in; annotate it to shape a value, e.g.
    `Coalesce(..., Value(""))`). One statement instead of reading rows into Python and
    writing them back."""
    sql, params = query.query.sql_with_params()
    table = default_connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(default_connection.ops.quote_name(c) for c in columns)
    with default_connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT * FROM ({sql}) source", params)
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


# --- INSERT ... SELECT with an optional upsert, declared ---------------------------------
# The domain says what a write is (which rows it needs to exist, on which columns two rows are
# the same, how a stored value merges with an incoming one, when a stored row is worth
# updating, what to read back); `InsertSelect` writes the SQL, once per process.


class Merge(Enum):
    """How an upsert merges the incoming value of a column with the stored one."""

    NEW = "new"  # the incoming value
    ADD = "add"  # stored + incoming
    MAX = "max"  # the larger of the two, a NULL on either side ignored
    FIRST = "first"  # the stored value once it is set (a timestamp stamped once), else incoming
    NEW_IF_SET = "new_if_set"  # the incoming value unless it is NULL, else the stored one


# Each merge as SQL over the stored value (`old`) and the incoming one (`new`).
_MERGED = {
    Merge.NEW: "{new}",
    Merge.ADD: "{old} + {new}",
    Merge.MAX: "CASE WHEN {new} IS NULL OR {old} >= {new} THEN {old} ELSE {new} END",
    Merge.FIRST: "COALESCE({old}, {new})",
    Merge.NEW_IF_SET: "COALESCE({new}, {old})",
}


@dataclass(frozen=True)
class Changed:
    """Update condition: the incoming value of `column` is set and differs from the stored one
    (an incoming NULL is no change, as with `Merge.NEW_IF_SET`)."""

    column: str


@dataclass(frozen=True)
class BecomesSet:
    """Update condition: `column` is NULL in the stored row and set in the incoming one."""

    column: str


@dataclass(frozen=True)
class Equal:
    """Read back: whether two columns of the written row hold the same value (a true value or
    a false one; NULL when either is NULL)."""

    column: str
    other: str


@dataclass(frozen=True)
class IsSet:
    """Read back: 1 when `column` is set, 0 when it is NULL (and NULL when, read from a
    `Related` row, there is no such row)."""

    column: str


@dataclass(frozen=True)
class Related:
    """Read back `columns` (names, or `IsSet`) of another model's row: the one whose columns
    match the written row's (`match`: its column -> the written row's column), each as one
    value, NULL when there is no such row. One correlated SELECT per column, in the same
    statement: no round trip of its own."""

    model: type
    match: tuple[tuple[str, str], ...]
    columns: tuple

    def __init__(self, model, *, match: dict[str, str], columns):
        object.__setattr__(self, "model", model)
        object.__setattr__(self, "match", tuple(match.items()))
        object.__setattr__(self, "columns", tuple(columns))


@dataclass(frozen=True)
class Source:
    """The rows an `InsertSelect` inserts from: those of `model` whose `equal` columns equal,
    and whose `not_equal` columns differ from, the values given to `InsertSelect.run` by the
    same names. With none, the statement inserts its one row unconditionally."""

    model: type
    equal: tuple[str, ...] = ()
    not_equal: tuple[str, ...] = ()


class InsertSelect:
    """`INSERT INTO <model's table> (<columns>) SELECT <values> FROM <source> WHERE <the
    source's conditions> [ON CONFLICT (<conflict>) DO NOTHING | DO UPDATE SET <merge> [WHERE
    <update_when>]] RETURNING <returning>`, declared once (a module constant) and run with a
    row (`run`).

    - `source`: a `Source`, or None for the row alone. `from_source` gives columns the source
      row's value (`{"enrolment_id": "id"}`) instead of the row's.
    - `conflict`: the columns of a unique constraint. Without `merge`, a row that exists
      already is left alone (DO NOTHING); with it, `merge` says per column how the stored
      value and the incoming one combine (`Merge`); the columns it leaves out keep their
      stored value.
    - `update_when`: conditions (`Changed`, `BecomesSet`), any of which makes the update
      happen; none: always.
    - `returning`: what `run` reads back from the written row: column names, `Equal`,
      `IsSet`, `Related` (which adds one value per column it reads); default the primary key.

    `run` returns that row as a tuple, or None when nothing was written: the source selected
    nothing, the conflict was left alone, or `update_when` held for none of its conditions.
    """

    def __init__(
        self,
        model,
        *,
        source: Source | None = None,
        from_source: dict[str, str] | None = None,
        conflict: tuple[str, ...] = (),
        merge: dict[str, Merge] | None = None,
        update_when: tuple | list = (),
        returning: tuple | list = (),
    ):
        if (merge or update_when) and not conflict:
            raise ValueError("merge and update_when need the conflict columns")
        if update_when and not merge:
            raise ValueError("update_when needs merge")
        self.model = model
        self.source = source
        self.from_source = dict(from_source or {})
        self.conflict = tuple(conflict)
        self.merge = dict(merge or {})
        self.update_when = tuple(update_when)
        self.returning = tuple(returning)
        self._names = (*source.equal, *source.not_equal) if source else ()
        self._compiled: dict[str, tuple[str, list, tuple]] = {}

    def run(self, row, **values) -> tuple | None:
        """Insert `row` (an unsaved instance of the model: defaults filled, auto_now fields
        stamped unless set, each value prepared by its field) with the source's `values`
        (one per name of `Source.equal` and `Source.not_equal`)."""
        connection = default_connection
        compiled = self._compiled.get(connection.vendor)
        if compiled is None:
            compiled = self._compiled[connection.vendor] = self._sql(connection)
        sql, fields, flagged = compiled
        args = []
        for field in fields:
            value = getattr(row, field.attname)
            if value is None:
                value = field.pre_save(row, add=True)  # auto_now(_add) fields not set
            args.append(field.get_db_prep_save(value, connection))
        args += [values[name] for name in self._names]
        with server_binding_cursor(connection) as cursor:  # PostgreSQL prepares it
            cursor.execute(sql, args)
            found = cursor.fetchone()
        if found is None or not flagged:
            return found
        found = list(found)
        for index in flagged:
            found[index] = 0 if found[index] is None else 1
        return tuple(found)

    # The SQL, and the row's fields whose values it takes, in order.
    def _sql(self, connection) -> tuple[str, list]:
        quote = connection.ops.quote_name
        meta = self.model._meta
        table = quote(meta.db_table)

        def column(name: str) -> str:
            return quote(meta.get_field(name).column)

        def stored(name: str) -> str:
            return f"{table}.{column(name)}"

        def incoming(name: str) -> str:
            return f"excluded.{column(name)}"

        columns, values, fields = [], [], []
        from_source = {meta.get_field(k).column: v for k, v in self.from_source.items()}
        for field in meta.concrete_fields:
            if field.primary_key:
                continue
            columns.append(quote(field.column))
            if field.column in from_source:
                source_field = self.source.model._meta.get_field(from_source[field.column])
                values.append(f"source.{quote(source_field.column)}")
            else:
                values.append("%s")
                fields.append(field)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)}"
        conditions = []
        if self.source is not None:
            source_meta = self.source.model._meta
            sql += f" FROM {quote(source_meta.db_table)} source"
            for names, operator in ((self.source.equal, "="), (self.source.not_equal, "<>")):
                for name in names:
                    source_column = quote(source_meta.get_field(name).column)
                    conditions.append(f"source.{source_column} {operator} %s")
        # Always a WHERE: SQLite needs one before ON CONFLICT in INSERT ... SELECT (else it
        # reads ON as a join's).
        sql += f" WHERE {' AND '.join(conditions) or '1 = 1'}"
        if self.conflict:
            sql += f" ON CONFLICT ({', '.join(column(name) for name in self.conflict)})"
            if not self.merge:
                sql += " DO NOTHING"
            else:
                sets = [
                    f"{column(name)} = " + _MERGED[how].format(old=stored(name), new=incoming(name))
                    for name, how in self.merge.items()
                ]
                sql += f" DO UPDATE SET {', '.join(sets)}"
                when = []
                for condition in self.update_when:
                    old, new = stored(condition.column), incoming(condition.column)
                    if isinstance(condition, Changed):
                        when.append(f"({new} IS NOT NULL AND ({old} IS NULL OR {old} <> {new}))")
                    elif isinstance(condition, BecomesSet):
                        when.append(f"({old} IS NULL AND {new} IS NOT NULL)")
                    else:
                        raise TypeError(f"not an update condition: {condition!r}")
                if when:
                    sql += f" WHERE {' OR '.join(when)}"
        # RETURNING names the table itself and qualifies its columns: SQLite resolves it only
        # through the table's name (not an alias), PostgreSQL also accepts it.
        returned, flagged = [], []
        for item in self.returning or (meta.pk.name,):
            if isinstance(item, str):
                returned.append(stored(item))
            elif isinstance(item, Equal):
                returned.append(f"{stored(item.column)} = {stored(item.other)}")
            elif isinstance(item, IsSet):
                # Read back as the column and turned into 0/1 in `run`: SQLite (3.40) answers
                # `CASE WHEN t.col IS NULL ...` in an upsert's RETURNING with 1 for a NULL it
                # has just inserted (tests/core/test_insert_select.py caught it).
                flagged.append(len(returned))
                returned.append(stored(item.column))
            elif isinstance(item, Related):
                related_meta = item.model._meta
                related = f"{quote(related_meta.db_table)} related"
                match = " AND ".join(
                    f"related.{quote(related_meta.get_field(theirs).column)} = {stored(ours)}"
                    for theirs, ours in item.match
                )
                for wanted in item.columns:
                    if isinstance(wanted, IsSet):
                        name = quote(related_meta.get_field(wanted.column).column)
                        value = f"CASE WHEN related.{name} IS NULL THEN 0 ELSE 1 END"
                    else:
                        value = f"related.{quote(related_meta.get_field(wanted).column)}"
                    returned.append(f"(SELECT {value} FROM {related} WHERE {match})")
            else:
                raise TypeError(f"not something to read back: {item!r}")
        sql += f" RETURNING {', '.join(returned)}"
        return sql, fields, tuple(flagged)


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


# --- a hot read's SQL, compiled once --------------------------------------------------------
# Per key: the database alias, the SQL and its parameters (None: the query selects nothing).
_COMPILED: dict[tuple, tuple[str, str, tuple] | None] = {}
COMPILED_MAX = 512


def rows_compiled_once(key: tuple, build) -> list[tuple]:
    """The rows of the `values_list` queryset `build()` as the database returns them, its SQL
    compiled by the ORM once per process for `key` and run again as it is on the next call
    with the same key (Django compiles a queryset anew on every evaluation; for a dashboard's
    few queries of a few hundred rows, building and compiling them cost more than running
    them).

    `key` must determine the SQL and its parameters entirely: every value `build` reads (the
    current time zone, which date truncation reads, is added here). The rows skip the ORM's
    per-value converters: select plain columns and counts, or read values as the database
    gives them (dates from SQLite are text). At most `COMPILED_MAX` keys are kept (then all
    are dropped and compiled again as they come).
    """
    key = (*key, timezone.get_current_timezone_name())
    try:
        compiled = _COMPILED[key]
    except KeyError:
        queryset = build()
        try:
            sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
            compiled = (queryset.db, sql, tuple(params))
        except EmptyResultSet:  # e.g. `__in` an empty list: the ORM runs no query either
            compiled = None
        if len(_COMPILED) >= COMPILED_MAX:
            _COMPILED.clear()
        _COMPILED[key] = compiled
    if compiled is None:
        return []
    alias, sql, params = compiled
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
