"""`manage.py import_h5p FILE...`: import H5P packages with the same validation as the admin.

Run by an operator, so packages may bring new library versions. Every file is tried; the
command exits 1 when any was rejected, printing each reason (file and rule).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from courses.h5p.packages import h5p_package_import


class Command(BaseCommand):
    help = "Import .h5p packages (validated as in the admin); exit 1 if any is rejected."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--approve-library-changes",
            action="store_true",
            help="replace the code of installed library versions the packages change",
        )

    def handle(self, *args, files, approve_library_changes=False, **options):
        rejected = 0
        for name in files:
            path = Path(name)
            try:
                with path.open("rb") as upload:
                    package = h5p_package_import(
                        upload=upload, user=None, approve_library_changes=approve_library_changes
                    )
            except OSError as error:
                rejected += 1
                self.stderr.write(f"{name}: {error.strerror or error}")
                continue
            except ValidationError as error:
                rejected += 1
                for message in error.messages:
                    self.stderr.write(f"{path.name}: {message}")
                continue
            self.stdout.write(
                f"{path.name}: {package.title} ({package.main_library}) id={package.pk}"
            )
        if rejected:
            raise CommandError(f"{rejected} of {len(files)} package(s) rejected.")
