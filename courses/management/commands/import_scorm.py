"""`manage.py import_scorm FILE...`: import SCORM 1.2/2004 packages, validated as in the admin.

Every file is tried; the command exits 1 when any was refused, printing each reason.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from courses.scorm.packages import scorm_package_import


class Command(BaseCommand):
    help = "Import SCORM packages (.zip, validated as in the admin); exit 1 if any is refused."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, files, **options):
        refused = 0
        for name in files:
            path = Path(name)
            try:
                with path.open("rb") as upload:
                    package = scorm_package_import(upload=upload, user=None)
            except OSError as error:
                refused += 1
                self.stderr.write(f"{name}: {error.strerror or error}")
                continue
            except ValidationError as error:
                refused += 1
                for message in error.messages:
                    self.stderr.write(f"{name}: {message}")
                continue
            self.stdout.write(
                f"{name}: {package.title} (SCORM {package.get_version_display()}, "
                f"{package.file_count} files) uuid={package.uuid}"
            )
        if refused:
            raise CommandError(f"{refused} of {len(files)} packages refused")
