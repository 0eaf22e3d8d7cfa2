"""Authentication backends whose signed-in user is one prepared SELECT.

Django's backends load the signed-in person on every request with
`User.objects.get(pk=...)`: the ORM builds, compiles and binds that query anew each time,
which costs more than the round trip on the busiest endpoints (an H5P activity posts an
xAPI statement on every click). Here the SELECT's SQL is built once per process and
database from the model's fields and bound on the server (PostgreSQL prepares it); the row
becomes a user through `Model.from_db` and the database's converters, as the ORM's would.

It is still one query per request reading the row as it stands, so a password change (which
Django's session check relies on), a deactivation or a new role apply on the next request.
Authentication itself (username or e-mail and password) is Django's and allauth's, unchanged.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db import connections, router

from core.db import server_binding_cursor

# Per database alias: the SELECT, the field names in its column order, and per column the
# converters (`converter(value, expression, connection)`) the ORM would apply to it.
_USER_SELECT: dict[str, tuple[str, list[str], list[tuple[int, list, object]]]] = {}


def _user_select(connection):
    select = _USER_SELECT.get(connection.alias)
    if select is None:
        User = get_user_model()
        meta = User._meta
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
        select = _USER_SELECT[connection.alias] = (sql, [f.attname for f in fields], converters)
    return select


def signed_in_user_get(user_id):
    """The user whose primary key is `user_id` (as the session holds it), or None."""
    User = get_user_model()
    connection = connections[router.db_for_read(User)]
    sql, names, converters = _user_select(connection)
    value = User._meta.pk.get_db_prep_value(user_id, connection)
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
    return User.from_db(connection.alias, names, row)


class PreparedUserMixin:
    def get_user(self, user_id):
        user = signed_in_user_get(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(PreparedUserMixin, DjangoModelBackend):
    """Django's username and password backend, with the prepared user lookup."""


class AuthenticationBackend(PreparedUserMixin, AllauthBackend):
    """django-allauth's backend (username or e-mail), with the prepared user lookup."""


# Backends that signed sessions in before these: a session naming one is moved to its
# successor the first time its user is read (people.middleware.AuthenticationMiddleware),
# instead of being signed out. Can go once every such session has expired
# (SESSION_COOKIE_AGE after the upgrade).
BACKEND_SUCCESSORS = {
    "django.contrib.auth.backends.ModelBackend": "people.auth.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "people.auth.AuthenticationBackend",
}
