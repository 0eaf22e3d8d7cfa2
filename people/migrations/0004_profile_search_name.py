"""Profile.search_name: the full name without accents, lowercase, filled for existing rows."""

from django.db import migrations, models

CHUNK = 2000


def fill(apps, schema_editor):
    from core.text import search_key

    Profile = apps.get_model("people", "Profile")
    rows = Profile.objects.exclude(full_name="").only("pk", "full_name").order_by("pk")
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        for profile in chunk:
            profile.search_name = search_key(profile.full_name)
        Profile.objects.bulk_update(chunk, ["search_name"])
        last = chunk[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_phone_ascii_digits"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="search_name",
            field=models.CharField(db_default="", default="", editable=False, max_length=128),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
