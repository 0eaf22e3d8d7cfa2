"""A BRIN index on `XAPIStatement.stored_at` (PostgreSQL only) for the retention prune.

Statements are appended in time order, so a BRIN index (a few pages, next to nothing to
maintain on insert) finds the old ones; a B-tree would be paid for on every learner's click.
SQLite (development) has no BRIN and scans the small table instead.
"""

from django.db import migrations

NAME = "xapistatement_stored_at_brin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON courses_xapistatement USING brin (stored_at)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("courses", "0010_quiz_banks_and_attempt_policy")]

    operations = [migrations.RunPython(create, drop)]
