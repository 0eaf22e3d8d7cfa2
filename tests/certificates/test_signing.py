"""The token format and the key sources, without a database."""

import base64
import datetime
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certificates import signing

KID = signing.key_id(Ed25519PrivateKey.generate().public_key())
CLAIMS = signing.Claims(
    kid=KID,
    serial="HS-2026-000123",
    holder="Nguyễn Thị Hương",
    course="Thương mại điện tử cho thanh niên dân tộc thiểu số",
    hours=Decimal("1.5"),
    completed_on=datetime.date(2026, 1, 31),
    issuer="Sở Dân tộc và Tôn giáo tỉnh Gia Lai",
)


B64URL = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_round_trip_and_compactness():
    key = Ed25519PrivateKey.generate()
    token = signing.token_sign(CLAIMS, key)
    assert signing.token_verify(token, {KID: key.public_key()}) == CLAIMS
    assert set(token) <= B64URL
    # A tagged COSE_Sign1, by hand: D2 84 | protected 4E(A2 01 27 04 49 <9-byte kid>) | A0 |
    # payload 58 n (A6 01 iss 02 sub 20 serial 21 course 22 hours 23 1A <YYYYMMDD>) | 58 40 sig.
    utf8 = [len(f.encode()) for f in (CLAIMS.issuer, CLAIMS.holder, CLAIMS.serial, CLAIMS.course)]
    text_heads = sum(1 if n < 24 else 2 for n in utf8)
    payload = 1 + 6 + sum(utf8) + text_heads + (1 + 3) + 5  # map, labels, texts, "1.5", date
    size = 2 + 15 + 1 + (2 + payload) + (2 + 64)
    assert len(token) == -(-size * 4 // 3)
    assert signing.b64url_decode(token)[:6] == bytes([0xD2, 0x84, 0x4E, 0xA2, 0x01, 0x27])


def test_version_1_tokens_still_verify():
    key = Ed25519PrivateKey.generate()
    token = signing.token_sign_v1(CLAIMS, key)
    assert signing.b64url_decode(token)[0] == 1
    assert signing.token_verify(token, {KID: key.public_key()}) == CLAIMS
    # Payload (UTF-8 fields + 8 length/version bytes) + 64-byte signature, base64url.
    payload = len(signing.encode_payload(CLAIMS))
    assert len(token) == -(-(payload + 64) * 4 // 3)
    changed = token[:5] + ("B" if token[5] != "B" else "C") + token[6:]
    with pytest.raises(signing.TokenError):
        signing.token_verify(changed, {KID: key.public_key()})


def test_non_canonical_cbor_is_rejected():
    """The same claims in a longer CBOR head, or with an unprotected header, never verify."""
    key = Ed25519PrivateKey.generate()
    data = signing.b64url_decode(signing.token_sign(CLAIMS, key))
    assert data[:2] == bytes([0xD2, 0x84])
    longer_head = bytes([0xD8, 0x12]) + data[1:]  # tag 18 written in two bytes
    unprotected = data[:17] + bytes([0xA1, 0x04, 0x41, 0x00]) + data[18:]  # {4: h'00'}
    assert data[17] == 0xA0
    for variant in (longer_head, unprotected, data + b"\x00", data[:-1]):
        with pytest.raises(signing.TokenError):
            signing.token_verify(signing.b64url_encode(variant), {KID: key.public_key()})


def test_non_canonical_base64_is_rejected():
    key = Ed25519PrivateKey.generate()
    token = signing.token_sign(CLAIMS, key)
    padded = token + "=" * (-len(token) % 4)
    for variant in (padded + "=", token + "A", " " + token, token.replace("-", "+")):
        if variant != token:
            with pytest.raises(signing.TokenError):
                signing.token_verify(variant, {KID: key.public_key()})


def test_token_from_text_accepts_urls():
    assert signing.token_from_text("https://hocso.vn/v/abc_-/") == "abc_-"
    assert signing.token_from_text("  abc  ") == "abc"
    assert signing.token_from_text("https://hocso.vn/v/abc/?utm=x") == "abc"


def test_key_from_environment_pem_or_seed(settings, tmp_path):
    key = Ed25519PrivateKey.generate()
    settings.LMS_CERT_SIGNING_KEY = signing.private_key_pem(key).decode()
    assert signing.key_id(signing.private_key_load().public_key()) == signing.key_id(
        key.public_key()
    )
    seed = key.private_bytes_raw()
    settings.LMS_CERT_SIGNING_KEY = base64.urlsafe_b64encode(seed).decode().rstrip("=")
    assert signing.key_id(signing.private_key_load().public_key()) == signing.key_id(
        key.public_key()
    )


def test_key_file_is_generated_private_or_required(settings, tmp_path):
    settings.LMS_CERT_SIGNING_KEY = ""
    settings.LMS_CERT_SIGNING_KEY_FILE = tmp_path / "keys" / "signing.pem"
    settings.LMS_CERT_SIGNING_KEY_AUTOGENERATE = False
    with pytest.raises(signing.KeyUnavailable):
        signing.private_key_load()
    settings.LMS_CERT_SIGNING_KEY_AUTOGENERATE = True
    key = signing.private_key_load()
    path = settings.LMS_CERT_SIGNING_KEY_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    assert signing.private_key_load() is key  # read once
