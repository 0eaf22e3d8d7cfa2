"""Revocation anyone can check: W3C Bitstring Status Lists (one per serial prefix and year).

A certificate's serial names its list and its place in it: HS-2026-000123 is bit 123 of the
list "HS-2026", served at /certificates/status/HS-2026.json as a `BitstringStatusListCredential`
(VC Data Model 2.0) whose `encodedList` is the multibase base64url ("u") of the GZIP of the
bits, bit 0 the most significant bit of the first byte. A set bit means revoked. The list is
signed with a Data Integrity proof (eddsa-jcs-2022, `integrity.sign`) by the current signing
key, as the issuer of the list's certificates (its did:web, `list_issuer`), so
`verify_certificate --offline --status FILE` and the offline verifier page trust a copy
without asking the server. Every list is at least MIN_BITS long (the specification's privacy
floor: a list shows nothing about how many certificates a year had).

Lists are built from the database on demand and cached, versioned: each list has a version
token in the cache and its document is stored under that token; a revocation replaces the
token once its transaction commits (`status_forget`), so a document built from rows read
before the commit is never served after it. Nothing here runs on the /v/ or API verify path.
"""

import datetime
import gzip
import hashlib
import io
import json
import re
import secrets
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.public_url import public_url

from . import signing

MIN_BITS = 131072  # 16 KiB: the Bitstring Status List minimum, for group privacy
MAX_BITS = 8 * 1024 * 1024  # more than a list can ever need (serials have six digits…)
MAX_ENCODED_CHARS = 4 * 1024 * 1024  # a status file larger than this is refused unread
TTL_SECONDS = 300  # how long a verifier may use a fetched list (the list's `ttl`)
CACHE_SECONDS = 24 * 3600  # rebuilt after a revocation anyway
CACHE_PREFIX = "certificates:status:v1:"  # bump the v1 when the document's shape changes
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
LIST_NAME = re.compile(r"^([A-Z]{2,8})-(\d{4})$")
SERIAL = re.compile(r"^([A-Z]{2,8})-(\d{4})-(\d{1,7})$")


class StatusError(ValueError):
    """Why a status list is refused: `code` names it, `str()` explains it (English, for the
    command line and logs)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class Position(NamedTuple):
    """Where a serial's status lives: list name ("HS-2026") and bit index (123)."""

    name: str
    index: int


def position(serial: str) -> Position:
    match = SERIAL.match(serial or "")
    if match is None:
        raise StatusError("serial", f"{serial!r} is not a certificate serial (PREFIX-YEAR-NUMBER).")
    prefix, year, number = match.groups()
    return Position(name=f"{prefix}-{year}", index=int(number))


def list_path(name: str) -> str:
    return reverse("certificates:status_list", kwargs={"name": name})


def list_url(name: str) -> str:
    return public_url() + list_path(name)


def list_length(highest_index: int) -> int:
    """Bits in a list whose highest used index is `highest_index`: a whole number of bytes,
    at least MIN_BITS."""
    return max(MIN_BITS, (highest_index // 8 + 1) * 8)


# --- the bitstring ----------------------------------------------------------------------------
def bitstring_encode(indexes, length: int) -> str:
    """Multibase base64url (no padding) of the GZIP of `length` bits with `indexes` set."""
    if length % 8:
        raise ValueError("a bitstring is whole bytes")
    bits = bytearray(length // 8)
    for index in indexes:
        if not 0 <= index < length:
            raise ValueError(f"index {index} outside a list of {length} bits")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same bits always give the same bytes (stable ETags, reproducible proofs).
    return "u" + signing.b64url_encode(gzip.compress(bytes(bits), mtime=0))


def bitstring_decode(encoded: str) -> bytes:
    """The bits of an `encodedList`; StatusError if it is not multibase base64url GZIP, is
    shorter than MIN_BITS, or inflates beyond MAX_BITS (a decompression bomb)."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise StatusError("encoding", "encodedList is not multibase base64url ('u…').")
    if len(encoded) > MAX_ENCODED_CHARS:
        raise StatusError("encoding", "encodedList is too large.")
    try:
        packed = signing.b64url_decode(encoded[1:])
    except signing.TokenError:
        raise StatusError("encoding", "encodedList is not valid base64url.") from None
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(packed)) as stream:
            bits = stream.read(MAX_BITS // 8 + 1)
    except (OSError, EOFError) as exc:
        raise StatusError("encoding", f"encodedList is not GZIP data: {exc}") from None
    if len(bits) > MAX_BITS // 8:
        raise StatusError("encoding", "encodedList inflates to more than a list may hold.")
    if len(bits) * 8 < MIN_BITS:
        raise StatusError("encoding", f"encodedList has fewer than {MIN_BITS} bits.")
    return bits


def bit_is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise StatusError("range", f"index {index} is outside the list ({len(bits) * 8} bits).")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


# --- building and serving ---------------------------------------------------------------------
def list_issuer(name: str) -> str:
    """The did:web issuer who signs list `name` (credential.issuer_did): the issuer of the
    list's first certificate (so it never changes once a list has one), else of the first
    template with its prefix. Verifiers compare it with the issuer of the credentials that
    point at the list, so a prefix should belong to one issuer."""
    from . import credential
    from .models import Certificate, CertificateTemplate

    slug = (
        Certificate.objects.filter(serial__startswith=f"{name}-")
        .order_by("pk")
        .values_list("issuer_slug", flat=True)
        .first()
    ) or (
        CertificateTemplate.objects.filter(serial_prefix=name.split("-", 1)[0])
        .order_by("pk")
        .values_list("issuer_slug", flat=True)
        .first()
    )
    return credential.issuer_did(slug or Certificate._meta.get_field("issuer_slug").default)


def list_names() -> list[str]:
    """Every list that exists: one per serial prefix and year ever allocated."""
    from .models import SerialCounter

    rows = SerialCounter.objects.order_by("prefix", "year").values_list("prefix", "year")
    return [f"{prefix}-{year}" for prefix, year in rows]


def status_list_build(name: str, *, now: datetime.datetime | None = None) -> dict | None:
    """The signed BitstringStatusListCredential for list `name`, or None if no such list."""
    from . import integrity
    from .models import Certificate, SerialCounter
    from .services import signing_key_current

    match = LIST_NAME.match(name)
    if match is None:
        return None
    prefix, year = match.group(1), int(match.group(2))
    counter = SerialCounter.objects.filter(prefix=prefix, year=year).first()
    if counter is None:
        return None
    revoked = Certificate.objects.filter(
        serial__startswith=f"{name}-", status=Certificate.Status.REVOKED
    ).values_list("serial", flat=True)
    indexes = []
    for serial in revoked:
        try:
            indexes.append(position(serial).index)
        except StatusError:
            continue
    length = list_length(max([counter.last, *indexes]))
    url = list_url(name)
    did = list_issuer(name)
    now = (now or timezone.now()).replace(microsecond=0)
    document = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did,
        "validFrom": _iso(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": bitstring_encode(indexes, length),
            "ttl": TTL_SECONDS * 1000,  # milliseconds, as the specification counts it
        },
    }
    key, private = signing_key_current()
    return integrity.sign(document, private, f"{did}#{key.kid}", now)


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Served:
    """A document as served: its JSON bytes and ETag."""

    body: bytes
    etag: str


def _served(document) -> Served:
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Served(body=body, etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def _version(name: str) -> str:
    key = f"{CACHE_PREFIX}version:{name}"
    version = cache.get(key)
    if version is None:
        cache.add(key, secrets.token_hex(8), None)
        version = cache.get(key) or "0"
    return version


def status_list_served(name: str) -> Served | None:
    """List `name` as served (cached until a revocation in it or a key change)."""
    if LIST_NAME.match(name or "") is None:
        return None
    key = f"{CACHE_PREFIX}list:{name}:{_version(name)}:{_version('*')}"
    served = cache.get(key)
    if served is None:
        document = status_list_build(name)
        if document is None:
            return None
        served = _served(document)
        cache.set(key, served, CACHE_SECONDS)
    return served


def status_index_served() -> Served:
    """The available lists: {"lists": [{"name", "url"}…]} (cached like the lists)."""
    key = f"{CACHE_PREFIX}index:{_version('*')}"
    served = cache.get(key)
    if served is None:
        served = _served(
            {
                "statusPurpose": "revocation",
                "lists": [{"name": name, "url": list_url(name)} for name in list_names()],
            }
        )
        cache.set(key, served, CACHE_SECONDS)
    return served


def status_forget(*, serials: list[str] = (), everything: bool = False) -> None:
    """Once the current transaction commits, stop serving the lists holding `serials` (or
    every list and the index: a new list, a new signing key)."""
    names = set()
    for serial in serials:
        try:
            names.add(position(serial).name)
        except StatusError:
            continue
    if everything:
        names.add("*")

    def forget():
        for name in names:
            cache.set(f"{CACHE_PREFIX}version:{name}", secrets.token_hex(8), None)

    if names:
        transaction.on_commit(forget)


# --- checking a copy (offline) ----------------------------------------------------------------
def status_list_verify(document, public_keys: dict) -> dict:
    """Check a status list credential with the published keys only (a JWKS's keys by kid):
    its shape, then its proof. Returns the document; StatusError says why it is refused."""
    from . import integrity

    if not isinstance(document, dict):
        raise StatusError("shape", "A status list is a JSON object.")
    types = document.get("type")
    subject = document.get("credentialSubject")
    if (
        not isinstance(types, list)
        or "BitstringStatusListCredential" not in types
        or not isinstance(subject, dict)
        or subject.get("type") != "BitstringStatusList"
    ):
        raise StatusError("shape", "This is not a BitstringStatusListCredential.")
    if subject.get("statusPurpose") != "revocation":
        raise StatusError("shape", "This status list is not for revocation.")
    issuer = document.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer

    def resolve(verification_method):
        if not isinstance(verification_method, str) or "#" not in verification_method:
            return None
        controller, kid = verification_method.split("#", 1)
        if controller != issuer:
            return None  # a key of someone other than the list's issuer
        return public_keys.get(kid)

    try:
        integrity.verify(document, resolve)
    except integrity.IntegrityError as exc:
        raise StatusError(
            "proof",
            f"The status list's proof does not verify ({exc.code}): it was altered, "
            "or it was not signed with one of these keys.",
        ) from None
    return document


def list_name_of(document: dict) -> str | None:
    """The list name a status list credential declares ("HS-2026"), from its id's last path
    segment; None if it has none."""
    ident = document.get("id")
    if not isinstance(ident, str):
        return None
    last = ident.rstrip("/").rsplit("/", 1)[-1]
    if last.endswith(".json"):
        last = last[: -len(".json")]
    return last if LIST_NAME.match(last) else None
