"""manage.py backup --output DIR: the database, media and signing keys (see cms/backup.py)."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database, the media files and the signing keys (encrypted) into DIR."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, metavar="DIR")

    def handle(self, *args, output: Path, **options):
        try:
            manifest = backup(output, os.environ.get("LMS_BACKUP_PASSPHRASE", ""))
        except BackupError as error:
            raise CommandError(str(error)) from error
        media = "media included" if manifest["media_included"] else "media: in the object store"
        self.stdout.write(
            f"backup written to {output}: {manifest['database']} database, {media}, "
            f"{len(manifest['key_files'])} key file(s)"
        )
