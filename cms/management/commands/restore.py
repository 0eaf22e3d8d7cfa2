"""manage.py restore --input DIR: into an empty database (see cms/backup.py)."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database and media folder."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, type=Path, metavar="DIR")

    def handle(self, *args, input: Path, **options):  # noqa: A002 - the option's name
        try:
            manifest = restore(input, os.environ.get("LMS_BACKUP_PASSPHRASE", ""))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored the backup of {manifest['created_at']} "
            f"({len(manifest['key_files'])} key file(s))"
        )
