"""Verify a certificate token or QR URL, online (database) or --offline with a JWKS file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.signing import jwks_keys, token_from_text


class Command(BaseCommand):
    help = (
        "Check a certificate's token (or the URL in its QR code). With --offline --keys FILE "
        "only the signature is checked against the public keys in FILE (a JWKS, as published "
        "at /.well-known/certificate-keys.json): no database, no network. Exit status 0 when "
        "valid, 1 otherwise (invalid, revoked or expired: `status: expired` past its last "
        "valid day)."
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("token", metavar="TOKEN_OR_URL")
        parser.add_argument("--offline", action="store_true")
        parser.add_argument("--keys", metavar="FILE", help="JWKS file (with --offline)")
        parser.add_argument("--json", action="store_true", help="print the API's JSON")

    def handle(self, *args, token, offline=False, keys=None, json=False, **options):
        # Imported here: the selectors import models, which the offline path never touches.
        from certificates.selectors import certificate_verify, verify_offline

        token = token_from_text(token)
        if offline:
            if not keys:
                raise CommandError("--offline needs --keys FILE (a JWKS).")
            try:
                public = jwks_keys(Path(keys).read_text())
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read the keys in {keys}: {exc}") from None
            result = verify_offline(token, public)
        else:
            result = certificate_verify(token)
        self.report(result, as_json=json)
        if not result.valid:
            raise SystemExit(1)

    def report(self, result, *, as_json: bool):
        data = result.as_json()
        if as_json:
            self.stdout.write(json_dumps(data))
            return
        self.stdout.write(f"status: {data['status']}")
        fields = ("serial", "holder", "course", "hours", "issued_on", "expires_on", "issuer")
        for field in (*fields, "reason"):
            if data[field] is not None:
                self.stdout.write(f"{field}: {data[field]}")


def json_dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
