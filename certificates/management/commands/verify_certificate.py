"""Verify a certificate token or QR URL, online (database) or --offline with a JWKS file and
the revocation status lists (--status FILE, repeatable: W3C Bitstring Status List credentials
as served at /certificates/status/PREFIX-YEAR.json)."""

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
        "valid day). With --status FILE (repeatable; the status lists from "
        "/certificates/status/) the list for the certificate's serial is checked too: its "
        "proof with the same keys, then the certificate's bit (set: revoked, exit 1)."
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("token", metavar="TOKEN_OR_URL")
        parser.add_argument("--offline", action="store_true")
        parser.add_argument("--keys", metavar="FILE", help="JWKS file (with --offline)")
        parser.add_argument(
            "--status",
            metavar="FILE",
            action="append",
            default=[],
            help="a status list credential (with --offline; repeat for several lists)",
        )
        parser.add_argument("--json", action="store_true", help="print the API's JSON")

    def handle(self, *args, token, offline=False, keys=None, json=False, status=(), **options):
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
            if status:
                lists = [status_list_load(path, public) for path in status]
                if result.claims is not None:
                    result = status_apply(result, lists)
        else:
            if status:
                raise CommandError("--status goes with --offline (online, the server knows).")
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


MAX_STATUS_FILE_BYTES = 8 * 1024 * 1024


def status_list_load(path: str, public: dict) -> tuple[str, dict]:
    """A status list file whose proof verifies with the keys: (its name, the document)."""
    from certificates.status import StatusError, list_name_of, status_list_verify

    try:
        if Path(path).stat().st_size > MAX_STATUS_FILE_BYTES:
            raise CommandError(f"Status list {path} refused: larger than any status list.")
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise CommandError(f"Cannot read the status list in {path}: {exc}") from None
    try:
        status_list_verify(document, public)
    except StatusError as exc:
        raise CommandError(f"Status list {path} refused: {exc}") from None
    name = list_name_of(document)
    if name is None:
        raise CommandError(f"Status list {path} refused: its id names no PREFIX-YEAR list.")
    return name, document


def status_apply(result, lists: list[tuple[str, dict]]):
    """The verdict once the serial's bit is read: revoked if set, unchanged otherwise."""
    from certificates.selectors import Verification
    from certificates.status import StatusError, bit_is_set, bitstring_decode, position

    claims = result.claims
    try:
        where = position(claims.serial)
    except StatusError as exc:
        raise CommandError(str(exc)) from None
    document = next((doc for name, doc in lists if name == where.name), None)
    if document is None:
        given = ", ".join(name for name, _doc in lists)
        raise CommandError(
            f"No status list for {claims.serial}: it is in list {where.name}, the files given "
            f"are for {given}. Fetch /certificates/status/{where.name}.json."
        )
    try:
        revoked = bit_is_set(
            bitstring_decode(document["credentialSubject"].get("encodedList")), where.index
        )
    except StatusError as exc:
        raise CommandError(f"Status list {where.name} refused: {exc}") from None
    if not revoked:
        return result
    return Verification(status="revoked", claims=claims, problem="")


def json_dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
