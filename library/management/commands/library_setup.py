from django.core.management.base import BaseCommand

from library.services import culture_moderation_setup


class Command(BaseCommand):
    help = "Give contributors and moderators their archive permissions and the moderation workflow."

    def handle(self, *args, **options):
        result = culture_moderation_setup()
        self.stdout.write(
            f"{result['permissions']} permissions created; {result['archives']} archive(s)."
        )
