"""Derive the targets' completion facts again from scratch.

    manage.py completion_facts_rebuild

The facts are kept in step by signals (see `targets.signals`); run this after bulk changes that
send none (`QuerySet.update` of profiles or units, raw SQL, moving a unit in the tree, a data
import written with bulk_create). Idempotent: one transaction, the same rows every time.
"""

from django.core.management.base import BaseCommand

from targets.services.facts import completion_facts_rebuild


class Command(BaseCommand):
    help = "Rebuild the completion facts the target pages count from (idempotent)."

    def handle(self, *args, **options):
        rows = completion_facts_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{rows} completion facts written."))
