"""The signed token in a certificate's QR code, and the keys that sign it.

A token is base64url (no padding) of a CWT (RFC 8392): a tagged COSE_Sign1 (RFC 9052) signed
with EdDSA/Ed25519, the key id (the 9 bytes whose base64url is the JWKS `kid`) in the
protected header, the claims in a CBOR map (see `CWT_LABELS`). Any COSE library verifies it
with the key from `/.well-known/certificate-keys.json`. CBOR comes from the `cbor2` package
(definite lengths, maps in insertion order) and decoding is strict: the token must be the canonical
base64url of its bytes and the bytes the canonical encoding of what they decode to, so no two
strings carry the same certificate and a changed character never slips through.

Version 1 tokens (issued before the CWT) stay readable: base64url of `payload || signature`,
the payload a version byte then seven length-prefixed UTF-8 fields (key id, serial, holder,
course, hours, completion date as YYYYMMDD, issuer), the signature Ed25519 over the payload.
A certificate that expires carries the registered `exp` claim (label 4, epoch seconds: the
midnight, in the site's time zone, after its last valid day); others, and version 1 tokens,
have none.
The first byte tells them apart (0x01 for version 1, 0xD2, CBOR tag 18, for a CWT).

The QR code carries the same bytes in base32 (RFC 4648, upper case, no padding) inside the
verification URL, `<public URL>/v/<BASE32>/`: upper-case letters and digits are the QR code's
alphanumeric mode (5.5 bits a character against 8 for base64url's mixed case), so a CWT, even
with an expiry, makes a smaller QR code than the version 1 token did (`bench/qr_token_size.py`).
The stored and API form stays base64url; `token_canonical` turns either into it, and the two
alphabets cannot be confused (a base64url token of a signature has lower-case letters).

Nothing here touches the database: `verify_certificate --offline` checks a token with only a
JWKS file. The private key is read from the environment (`LMS_CERT_SIGNING_KEY`, PEM or a
base64url 32-byte seed) or a file (`LMS_CERT_SIGNING_KEY_FILE`); outside production a missing
file is generated, so `make run` and the tests need no setup.
"""

import base64
import binascii
import datetime
import hashlib
import json
import os
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from core.public_url import public_url

VERSION = 1
SIGNATURE_BYTES = 64
FIELD_COUNT = 7
MAX_TOKEN_CHARS = 2048


class TokenError(ValueError):
    """Why a token does not verify: `code` is one of malformed, unknown_key, bad_signature."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class KeyUnavailable(RuntimeError):
    """No private signing key is configured."""


@dataclass(frozen=True)
class Claims:
    """The facts a token certifies (what is printed on the certificate)."""

    kid: str
    serial: str
    holder: str
    course: str
    hours: Decimal
    completed_on: datetime.date
    issuer: str
    expires_on: datetime.date | None = None  # the last valid day; None: never expires


# --- encoding -------------------------------------------------------------------------------
def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict base64url: only the alphabet, no padding, and canonical (re-encodes to itself)."""
    if not text.isascii():
        raise TokenError("malformed")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TokenError("malformed") from exc
    if b64url_encode(data) != text:
        raise TokenError("malformed")
    return data


def b32_encode(data: bytes) -> str:
    return base64.b32encode(data).rstrip(b"=").decode("ascii")


def b32_decode(text: str) -> bytes:
    """Strict base32: upper-case alphabet, no padding, canonical (re-encodes to itself)."""
    try:
        data = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError) as exc:
        raise TokenError("malformed") from exc
    if b32_encode(data) != text:
        raise TokenError("malformed")
    return data


def _is_b32(text: str) -> bool:
    return bool(text) and text.isascii() and all(c in _B32_ALPHABET for c in text)


_B32_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def token_bytes(token: str) -> bytes:
    """The bytes of a token in either of its forms (base64url, or the QR code's base32)."""
    return b32_decode(token) if _is_b32(token) else b64url_decode(token)


def token_canonical(token: str) -> str:
    """The stored (base64url) form of a token given in either form; malformed text unchanged,
    for the verifier to refuse."""
    if isinstance(token, str) and _is_b32(token) and len(token) <= MAX_TOKEN_CHARS:
        try:
            return b64url_encode(b32_decode(token))
        except TokenError:
            return token
    return token


def qr_token(token: str) -> str:
    """A stored token as the QR code carries it (base32)."""
    return b32_encode(b64url_decode(token))


def hours_text(hours: Decimal) -> str:
    """4 -> "4", 1.5 -> "1.5": the shortest exact form."""
    text = format(Decimal(hours).normalize(), "f")
    return text


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def encode_payload(claims: Claims) -> bytes:
    fields = [
        claims.kid,
        claims.serial,
        claims.holder,
        claims.course,
        hours_text(claims.hours),
        claims.completed_on.strftime("%Y%m%d"),
        claims.issuer,
    ]
    out = bytearray([VERSION])
    for field in fields:
        data = field.encode("utf-8")
        out += _varint(len(data)) + data
    return bytes(out)


def decode_payload(payload: bytes) -> Claims:
    if not payload or payload[0] != VERSION:
        raise TokenError("malformed")
    fields, pos = [], 1
    try:
        for _ in range(FIELD_COUNT):
            length, shift = 0, 0
            while True:
                byte = payload[pos]
                pos += 1
                length |= (byte & 0x7F) << shift
                shift += 7
                if not byte & 0x80:
                    break
                if shift > 21:
                    raise TokenError("malformed")
            if pos + length > len(payload):
                raise TokenError("malformed")
            fields.append(payload[pos : pos + length].decode("utf-8"))
            pos += length
        if pos != len(payload):
            raise TokenError("malformed")
        kid, serial, holder, course, hours, day, issuer = fields
        return Claims(
            kid=kid,
            serial=serial,
            holder=holder,
            course=course,
            hours=Decimal(hours),
            completed_on=datetime.datetime.strptime(day, "%Y%m%d").date(),
            issuer=issuer,
        )
    except (IndexError, UnicodeDecodeError, InvalidOperation, ValueError) as exc:
        if isinstance(exc, TokenError):
            raise
        raise TokenError("malformed") from exc


def token_sign_v1(claims: Claims, private_key: Ed25519PrivateKey) -> str:
    """A version 1 token (no longer issued; kept to test that old certificates verify)."""
    payload = encode_payload(claims)
    return b64url_encode(payload + private_key.sign(payload))


# --- CBOR / COSE ----------------------------------------------------------------------------
COSE_SIGN1_TAG = 18
ALG = 1  # COSE header labels
KID = 4
EDDSA = -8
CWT_LABELS = {
    # label: (field, CBOR type) -- 1 is the registered CWT `iss`, 2 `sub`; the rest private.
    1: "issuer",
    2: "holder",
    -1: "serial",
    -2: "course",
    -3: "hours",  # text, the exact decimal ("1.5")
    -4: "completed_on",  # integer YYYYMMDD
}
EXP = 4  # the registered CWT `exp`: only when the certificate expires (the QR stays small)


def expiry_instant(expires_on: datetime.date) -> datetime.datetime:
    """When a certificate valid through `expires_on` stops being valid: the next midnight in
    the site's time zone (CWT `exp`, the credential's `validUntil`)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time(), zone)


def exp_from_date(expires_on: datetime.date) -> int:
    return int(expiry_instant(expires_on).timestamp())


def date_from_exp(exp: int) -> datetime.date:
    """The last valid day of an `exp`; TokenError unless `exp` is one we would write."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    try:
        moment = datetime.datetime.fromtimestamp(exp, zone)
    except (OverflowError, OSError, ValueError) as exc:
        raise TokenError("malformed") from exc
    expires_on = moment.date() - datetime.timedelta(days=1)
    if exp_from_date(expires_on) != exp:
        raise TokenError("malformed")
    return expires_on


def cbor_encode(obj) -> bytes:
    """CBOR (the `cbor2` package) with definite lengths; maps keep their order."""
    return cbor2.dumps(obj)


def cbor_decode(data: bytes):
    """Strict: the bytes must be exactly what encoding the decoded value gives back (so no
    indefinite lengths, non-shortest integers, duplicate keys or trailing bytes); any
    decoding problem is "malformed"."""
    try:
        value = cbor2.loads(data)
        canonical = cbor2.dumps(value)
    except (cbor2.CBORError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise TokenError("malformed") from exc
    if canonical != data:
        raise TokenError("malformed")
    return value


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    return cbor_encode(["Signature1", protected, b"", payload])


def token_sign(claims: Claims, private_key: Ed25519PrivateKey) -> str:
    """A CWT: base64url of a tagged COSE_Sign1 (EdDSA) whose payload carries the claims."""
    protected = cbor_encode({ALG: EDDSA, KID: b64url_decode(claims.kid)})
    fields = {
        1: claims.issuer,
        2: claims.holder,
        -1: claims.serial,
        -2: claims.course,
        -3: hours_text(claims.hours),
        -4: int(claims.completed_on.strftime("%Y%m%d")),
    }
    if claims.expires_on is not None:
        fields[EXP] = exp_from_date(claims.expires_on)
    payload = cbor_encode(fields)
    signature = private_key.sign(_sig_structure(protected, payload))
    return b64url_encode(
        cbor_encode(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature]))
    )


def _cwt_parse(data: bytes) -> tuple[Claims, bytes, bytes]:
    message = cbor_decode(data)
    if not isinstance(message, cbor2.CBORTag) or message.tag != COSE_SIGN1_TAG:
        raise TokenError("malformed")
    parts = message.value
    if not isinstance(parts, list | tuple) or len(parts) != 4:
        raise TokenError("malformed")
    protected, unprotected, payload, signature = parts
    if not (
        isinstance(protected, bytes)
        and unprotected == {}
        and isinstance(payload, bytes)
        and isinstance(signature, bytes)
        and len(signature) == SIGNATURE_BYTES
    ):
        raise TokenError("malformed")
    header = cbor_decode(protected)
    if (
        not isinstance(header, dict)
        or set(header) != {ALG, KID}
        or header[ALG] != EDDSA
        or not isinstance(header[KID], bytes)
        or not header[KID]
    ):
        raise TokenError("malformed")
    fields = cbor_decode(payload)
    if not isinstance(fields, dict) or set(fields) - {EXP} != set(CWT_LABELS):
        raise TokenError("malformed")
    if EXP in fields and (type(fields[EXP]) is not int or fields[EXP] <= 0):
        raise TokenError("malformed")
    if not all(isinstance(fields[label], str) for label in (1, 2, -1, -2, -3)):
        raise TokenError("malformed")
    if not isinstance(fields[-4], int):
        raise TokenError("malformed")
    try:
        hours = Decimal(fields[-3])
        if not hours.is_finite() or hours_text(hours) != fields[-3]:
            raise TokenError("malformed")
        completed_on = datetime.datetime.strptime(str(fields[-4]), "%Y%m%d").date()
        expires_on = date_from_exp(fields[EXP]) if EXP in fields else None
    except (InvalidOperation, ValueError) as exc:
        if isinstance(exc, TokenError):
            raise
        raise TokenError("malformed") from exc
    claims = Claims(
        kid=b64url_encode(header[KID]),
        serial=fields[-1],
        holder=fields[2],
        course=fields[-2],
        hours=hours,
        completed_on=completed_on,
        issuer=fields[1],
        expires_on=expires_on,
    )
    return claims, _sig_structure(protected, payload), signature


def token_parse(token: str) -> tuple[Claims, bytes, bytes]:
    """Split a token into its claims, the signed bytes and signature (nothing verified yet)."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
        raise TokenError("malformed")
    data = token_bytes(token)
    if data[:1] == bytes([0xC0 | COSE_SIGN1_TAG]):
        return _cwt_parse(data)
    if len(data) <= SIGNATURE_BYTES:
        raise TokenError("malformed")
    payload, signature = data[:-SIGNATURE_BYTES], data[-SIGNATURE_BYTES:]
    return decode_payload(payload), payload, signature


def token_verify(token: str, public_keys: dict[str, Ed25519PublicKey]) -> Claims:
    """The token's claims if a known key signed exactly these bytes; TokenError otherwise."""
    claims, payload, signature = token_parse(token)
    key = public_keys.get(claims.kid)
    if key is None:
        raise TokenError("unknown_key")
    try:
        key.verify(signature, payload)
    except InvalidSignature as exc:
        raise TokenError("bad_signature") from exc
    return claims


def token_from_text(text: str) -> str:
    """Accept a bare token or a verification URL (…/v/<token>/), as scanned from a QR code,
    in either form; the stored (base64url) form comes back."""
    text = (text or "").strip()
    if "/v/" in text:
        text = text.rsplit("/v/", 1)[1]
    return token_canonical(text.split("?", 1)[0].split("#", 1)[0].strip("/"))


def verify_url(token: str) -> str:
    """The URL a certificate's QR code opens: the token in base32 (see the module docstring)."""
    return f"{public_url()}/v/{qr_token(token)}/"


# --- keys -----------------------------------------------------------------------------------
def public_key_b64(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return b64url_encode(raw)


def key_id(key: Ed25519PublicKey) -> str:
    """A short id derived from the public key itself, so it can never name another key."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return b64url_encode(hashlib.sha256(raw).digest()[:9])


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _private_key_from_text(text: str) -> Ed25519PrivateKey:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyUnavailable("The certificate signing key is not an Ed25519 key.")
        return key
    seed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    return Ed25519PrivateKey.from_private_bytes(seed)


def key_file() -> Path:
    return Path(settings.LMS_CERT_SIGNING_KEY_FILE)


def key_file_write(key: Ed25519PrivateKey, path: Path) -> None:
    """Write a private key readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private_key_pem(key))


_cache: dict[str, Ed25519PrivateKey] = {}


def private_key_load() -> Ed25519PrivateKey:
    """The active private key, from the environment or its file (read once per process)."""
    if settings.LMS_CERT_SIGNING_KEY:
        source = "env:" + settings.LMS_CERT_SIGNING_KEY
        if source not in _cache:
            _cache.clear()
            _cache[source] = _private_key_from_text(settings.LMS_CERT_SIGNING_KEY)
        return _cache[source]
    path = key_file()
    try:
        stamp = f"file:{path}:{path.stat().st_mtime_ns}"
    except FileNotFoundError:
        if not settings.LMS_CERT_SIGNING_KEY_AUTOGENERATE:
            raise KeyUnavailable(
                f"No certificate signing key: set LMS_CERT_SIGNING_KEY or create {path} "
                "with `manage.py certificate_keys --rotate`."
            ) from None
        key_file_write(Ed25519PrivateKey.generate(), path)
        stamp = f"file:{path}:{path.stat().st_mtime_ns}"
    if stamp not in _cache:
        _cache.clear()
        _cache[stamp] = _private_key_from_text(path.read_text())
    return _cache[stamp]


def private_key_for(kid: str) -> Ed25519PrivateKey | None:
    """The private key with id `kid` if this process holds it: the active one, or a retired
    key file (`<key file>.<kid>`, kept by `certificate_keys --rotate`); None otherwise."""
    try:
        current = private_key_load()
    except KeyUnavailable:
        current = None
    if current is not None and key_id(current.public_key()) == kid:
        return current
    path = key_file()
    retired = path.with_name(f"{path.name}.{kid}")
    if "/" in kid or not retired.is_file():
        return None
    key = _private_key_from_text(retired.read_text())
    return key if key_id(key.public_key()) == kid else None


def jwk(kid: str, public_key: str) -> dict:
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": public_key,
        "kid": kid,
        "use": "sig",
        "alg": "EdDSA",
    }


def jwks_keys(document: dict | str) -> dict[str, Ed25519PublicKey]:
    """Public keys by id from a JWKS document (or its JSON text); other key types ignored."""
    if isinstance(document, str):
        document = json.loads(document)
    keys = {}
    for entry in document.get("keys", []):
        if entry.get("kty") == "OKP" and entry.get("crv") == "Ed25519" and entry.get("kid"):
            keys[entry["kid"]] = Ed25519PublicKey.from_public_bytes(b64url_decode(entry["x"]))
    return keys
