"""Library items use the one list of content languages (people.languages): Hmong is "hnj"
(Hmong Njua, Vietnam's Mông) as for courses, not the macrolanguage "hmn"; Tày is added."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    LibraryItemPage = apps.get_model("library", "LibraryItemPage")
    LibraryItemPage.objects.filter(language="hmn").update(language="hnj")


def backwards(apps, schema_editor):
    LibraryItemPage = apps.get_model("library", "LibraryItemPage")
    LibraryItemPage.objects.filter(language="hnj").update(language="hmn")
    LibraryItemPage.objects.filter(language="tyz").update(language="vi")


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="libraryitempage",
            name="language",
            field=models.CharField(
                choices=[
                    ("vi", "Vietnamese"),
                    ("en", "English"),
                    ("jra", "Jrai"),
                    ("rad", "Ede"),
                    ("bdq", "Bahnar"),
                    ("hnj", "Hmong"),
                    ("km", "Khmer"),
                    ("tyz", "Tay"),
                ],
                default="vi",
                max_length=8,
                verbose_name="language",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
