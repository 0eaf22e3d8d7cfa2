"""A target names one or more target groups (the single group moves into the new field), and
may count "any minority ethnic group"."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_group(apps, schema_editor):
    """Every existing target keeps its single group, now as the only one of its groups."""
    TrainingTarget = apps.get_model("targets", "TrainingTarget")
    Through = TrainingTarget.target_groups.through
    Through.objects.bulk_create(
        [
            Through(trainingtarget_id=pk, targetgroup_id=group_id)
            for pk, group_id in TrainingTarget.objects.values_list("pk", "target_group_id")
        ]
    )


def copy_back(apps, schema_editor):
    """Reversing keeps the first group of each target (a combined target loses the others)."""
    TrainingTarget = apps.get_model("targets", "TrainingTarget")
    Through = TrainingTarget.target_groups.through
    for target in TrainingTarget.objects.all():
        first = Through.objects.filter(trainingtarget_id=target.pk).order_by("pk").first()
        if first is not None:
            target.target_group_id = first.targetgroup_id
            target.save(update_fields=["target_group"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_xapistatement_fk_indexes"),
        ("people", "0004_profile_search_name"),
        ("targets", "0003_population_breakdown"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="trainingtarget",
            name="target_group",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.targetgroup",
                verbose_name="target group",
            ),
        ),
        migrations.AddField(
            model_name="trainingtarget",
            name="any_minority",
            field=models.BooleanField(
                default=False,
                help_text="Count everyone but the Kinh (GSO 01) instead of one named ethnic group.",
                verbose_name="any minority ethnic group",
            ),
        ),
        migrations.AddField(
            model_name="trainingtarget",
            name="target_groups",
            field=models.ManyToManyField(
                help_text="One or more groups (e.g. village heads and prestigious persons): a person in several counts once; the population is the sum of the groups' figures.",
                related_name="training_targets",
                to="people.targetgroup",
                verbose_name="target groups",
            ),
        ),
        migrations.RunPython(copy_group, copy_back),
        migrations.RemoveField(
            model_name="trainingtarget",
            name="target_group",
        ),
        migrations.AddConstraint(
            model_name="trainingtarget",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("any_minority", False), ("ethnic_group__isnull", True), _connector="OR"
                ),
                name="trainingtarget_one_ethnic_scope",
            ),
        ),
    ]
