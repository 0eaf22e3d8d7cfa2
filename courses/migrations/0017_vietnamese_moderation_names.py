"""Wagtail's default moderation workflow and task are named "Moderators approval" in the
database (wagtailcore 0048): the admin showed "Thực hiện Moderators approval". Give them
Vietnamese names, the site's language (only when they still carry the default name)."""

from django.db import migrations

DEFAULT = "Moderators approval"
TASK = "Biên tập viên duyệt"
WORKFLOW = "Quy trình duyệt của biên tập viên"


def rename(apps, schema_editor):
    apps.get_model("wagtailcore", "Task").objects.filter(name=DEFAULT).update(name=TASK)
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=DEFAULT).update(name=WORKFLOW)


def restore(apps, schema_editor):
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK).update(name=DEFAULT)
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).update(name=DEFAULT)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0016_unit_collections"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(rename, restore)]
