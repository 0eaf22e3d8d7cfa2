"""List the signing keys, rotate to a new one, or export the public keys as a JWKS file."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from certificates.models import SigningKey
from certificates.selectors import jwks
from certificates.services import signing_key_current, signing_key_rotate


class Command(BaseCommand):
    help = (
        "Without options, list the keys (registering the configured one). --rotate writes a "
        "new private key to LMS_CERT_SIGNING_KEY_FILE and makes it active; old public keys "
        "stay for verification. --export FILE writes the JWKS for offline verification."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rotate", action="store_true")
        parser.add_argument("--export", metavar="FILE")

    def handle(self, *args, rotate=False, export=None, **options):
        try:
            key = signing_key_rotate() if rotate else signing_key_current()[0]
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if rotate:
            self.stdout.write(f"New active key {key.kid}.")
        if export:
            Path(export).write_text(json.dumps(jwks(), indent=2))
            self.stdout.write(f"Public keys written to {export}.")
        for row in SigningKey.objects.order_by("created_at"):
            self.stdout.write(
                f"{row.kid}  {'active' if row.active else 'retired'}  {row.created_at:%Y-%m-%d}"
            )
