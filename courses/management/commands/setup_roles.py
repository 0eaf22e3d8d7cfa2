"""Create the Trainers/Managers admin groups and their permissions on the course catalogue."""

from django.core.management.base import BaseCommand

from courses.services import authoring_roles_setup


class Command(BaseCommand):
    help = "Give the Trainers and Managers groups their Wagtail permissions. Safe to re-run."

    def handle(self, *args, **options):
        result = authoring_roles_setup()
        self.stdout.write(self.style.SUCCESS(f"Role permissions: {result['created']} added."))
