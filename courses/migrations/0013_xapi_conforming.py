"""xAPI statements that conform (issue 18): every statement gets an id (unique in the whole
LRS), a timestamp, and `raw` becomes the statement as we serve it (the learner's account as
actor, the lesson activity as object, stored, authority, version); LRS clients and the
forwarding state are added.

Existing rows: an id is generated where there was none, and where two learners had used the
same id, the first keeps it and the later ones get a new one (their rows stay); the timestamp
is the statement's own when it sent one, else when it was stored. `user` and `lesson` become
nullable with `ALTER COLUMN ... DROP NOT NULL` on PostgreSQL: Django's AlterField would also
drop and re-add the foreign keys, re-checking every stored statement under a lock.

The data step uses `courses.xapi.identity` (the rules that make a statement conform), so
that old and new rows are the same shape.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q
from django.utils.dateparse import parse_datetime

BATCH = 2000


def conform_existing(apps, schema_editor):
    from courses.xapi.identity import iso, player_statement_conform

    XAPIStatement = apps.get_model("courses", "XAPIStatement")
    seen: set = set()
    last = 0
    while True:
        rows = list(XAPIStatement.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not rows:
            return
        last = rows[-1].pk
        for row in rows:
            if row.statement_id is None or row.statement_id in seen:
                row.statement_id = uuid.uuid4()
            seen.add(row.statement_id)
            sent = row.raw.get("timestamp") if isinstance(row.raw, dict) else None
            parsed = parse_datetime(sent) if isinstance(sent, str) else None
            if row.timestamp is None:
                row.timestamp = row.stored_at
            raw = row.raw if isinstance(row.raw, dict) else {}
            raw.setdefault("object", {"id": row.object_id})
            row.raw = player_statement_conform(
                raw,
                user_id=row.user_id,
                lesson_id=row.lesson_id,
                block_id=row.block_id,
                statement_id=row.statement_id,
                stored=row.stored_at,
                timestamp=iso(parsed) if parsed and parsed.tzinfo else iso(row.timestamp),
                is_child=row.is_child,
            )
            row.object_id = row.raw["object"]["id"][:2048]
        XAPIStatement.objects.bulk_update(
            rows, ["statement_id", "timestamp", "raw", "object_id"], batch_size=500
        )


class AlterForeignKeyNullable(migrations.AlterField):
    """AlterField that only drops NOT NULL on PostgreSQL (the foreign key stays); elsewhere
    (SQLite rebuilds the table anyway) Django's own."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            model = to_state.apps.get_model(app_label, self.model_name)
            column = model._meta.get_field(self.name).column
            schema_editor.execute(
                f"ALTER TABLE {model._meta.db_table} ALTER COLUMN {column} DROP NOT NULL"
            )
            return
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            model = from_state.apps.get_model(app_label, self.model_name)
            column = model._meta.get_field(self.name).column
            schema_editor.execute(
                f"ALTER TABLE {model._meta.db_table} ALTER COLUMN {column} SET NOT NULL"
            )
            return
        super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0012_certificate_valid_months"),
        ("people", "0005_login_unlock"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LrsClient",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "key",
                    models.CharField(
                        editable=False, max_length=64, unique=True, verbose_name="key"
                    ),
                ),
                ("secret_hash", models.CharField(editable=False, max_length=64)),
                (
                    "can_read",
                    models.BooleanField(default=True, verbose_name="may read statements"),
                ),
                (
                    "can_write",
                    models.BooleanField(default=False, verbose_name="may write statements"),
                ),
                ("active", models.BooleanField(default=True, verbose_name="active")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "units",
                    models.ManyToManyField(
                        help_text="It sees statements of learners in these units and the "
                        "units below them.",
                        related_name="lrs_clients",
                        to="people.orgunit",
                        verbose_name="org units",
                    ),
                ),
            ],
            options={
                "verbose_name": "LRS client",
                "verbose_name_plural": "LRS clients",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="XapiForwarder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("failures", models.PositiveIntegerField(default=0)),
                ("next_attempt_at", models.DateTimeField(blank=True, null=True)),
                ("last_error", models.TextField(blank=True)),
                ("last_success_at", models.DateTimeField(blank=True, null=True)),
                ("forwarded", models.PositiveBigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "xAPI forwarding",
                "verbose_name_plural": "xAPI forwarding",
            },
        ),
        migrations.RemoveConstraint(
            model_name="xapistatement", name="xapistatement_user_statement_id"
        ),
        migrations.AddField(
            model_name="xapistatement",
            name="forward_state",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (0, "not forwarded"),
                    (1, "waiting to be forwarded"),
                    (2, "forwarded"),
                    (3, "refused by the external LRS"),
                ],
                default=0,
            ),
        ),
        migrations.AddField(
            model_name="xapistatement",
            name="voided",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="xapistatement",
            name="client",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="statements",
                to="courses.lrsclient",
            ),
        ),
        migrations.RunPython(conform_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="xapistatement",
            name="statement_id",
            field=models.UUIDField(default=uuid.uuid4, unique=True),
        ),
        migrations.AlterField(
            model_name="xapistatement",
            name="timestamp",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="xapistatement",
            name="block_id",
            field=models.CharField(blank=True, max_length=64),
        ),
        AlterForeignKeyNullable(
            model_name="xapistatement",
            name="lesson",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="xapi_statements",
                to="courses.lessonpage",
            ),
        ),
        AlterForeignKeyNullable(
            model_name="xapistatement",
            name="user",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="xapi_statements",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="xapistatement",
            index=models.Index(
                condition=Q(("client__isnull", False)),
                fields=["client", "stored_at"],
                name="xapistatement_client_stored",
            ),
        ),
        migrations.AddIndex(
            model_name="xapistatement",
            index=models.Index(
                condition=Q(("forward_state", 1)),
                fields=["id"],
                name="xapistatement_forward_pending",
            ),
        ),
    ]
