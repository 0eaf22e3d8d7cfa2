"""System checks that guard the page tree and authoring setup."""

from django.core.checks import Warning, register


@register()
def course_catalogue_checks(app_configs, **kwargs):
    from django.db import DatabaseError
    from wagtail.models import GroupPagePermission

    from people.services import ROLE_GROUPS

    from .models import CourseIndexPage

    try:
        indexes = list(CourseIndexPage.objects.all())
        problems = []
        for index in indexes:
            can_author = GroupPagePermission.objects.filter(
                group__name=ROLE_GROUPS["trainer"], page=index, permission__codename="add_page"
            ).exists()
            if not can_author:
                problems.append(
                    Warning(
                        f"Trainers cannot add courses to the catalogue “{index.title}”.",
                        hint="Run `manage.py setup_roles`.",
                        obj=index,
                        id="courses.W001",
                    )
                )
        return problems
    except DatabaseError:
        return []  # no tables yet (before migrate)
