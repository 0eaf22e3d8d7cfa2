"""Drop the single-column indexes of XAPIStatement.user and .lesson.

The table's two composite indexes lead with those columns, so every lookup the single ones
served still has an index, and each click writes two index entries fewer. Only the indexes are
dropped: Django's AlterField would also drop and re-add the foreign keys, which on PostgreSQL
checks every stored statement again under a lock.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "courses_xapistatement"
COLUMNS = ("user_id", "lesson_id")


def _single_column_indexes(schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    return {
        name: info["columns"][0]
        for name, info in constraints.items()
        if info["index"]
        and not info["unique"]
        and not info["primary_key"]
        and len(info["columns"]) == 1
        and info["columns"][0] in COLUMNS
    }


def drop_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for name in _single_column_indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")


def create_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    present = set(_single_column_indexes(schema_editor).values())
    for column in COLUMNS:
        if column not in present:
            name = f"{TABLE}_{column}_idx"
            schema_editor.execute(f"CREATE INDEX {quote(name)} ON {quote(TABLE)} ({quote(column)})")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_class_weekdays"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="xapistatement",
                    name="lesson",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="xapi_statements",
                        to="courses.lessonpage",
                    ),
                ),
                migrations.AlterField(
                    model_name="xapistatement",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="xapi_statements",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        )
    ]
