"""System checks: the culture archive needs its moderation workflow."""

from django.core.checks import Warning, register


@register()
def culture_archive_checks(app_configs, **kwargs):
    from django.db import DatabaseError
    from wagtail.models import WorkflowPage

    from .models import CultureArchiveIndexPage

    try:
        problems = []
        for archive in CultureArchiveIndexPage.objects.all():
            if not WorkflowPage.objects.filter(page=archive, workflow__active=True).exists():
                problems.append(
                    Warning(
                        f"The culture archive “{archive.title}” has no moderation workflow.",
                        hint="Run `manage.py library_setup`.",
                        obj=archive,
                        id="library.W001",
                    )
                )
        return problems
    except DatabaseError:  # before migrate
        return []
