"""The token format and the key sources, without a database."""

import base64
import datetime
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certificates import signing

CLAIMS = signing.Claims(
    kid="k1",
    serial="HS-2026-000123",
    holder="Nguyễn Thị Hương",
    course="Thương mại điện tử cho thanh niên dân tộc thiểu số",
    hours=Decimal("1.5"),
    completed_on=datetime.date(2026, 1, 31),
    issuer="Sở Dân tộc và Tôn giáo tỉnh Gia Lai",
)


def test_round_trip_and_compactness():
    key = Ed25519PrivateKey.generate()
    token = signing.token_sign(CLAIMS, key)
    assert signing.token_verify(token, {"k1": key.public_key()}) == CLAIMS
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    # Payload (UTF-8 fields + 8 length/version bytes) + 64-byte signature, base64url.
    payload = len(signing.encode_payload(CLAIMS))
    assert len(token) == -(-(payload + 64) * 4 // 3)


def test_non_canonical_base64_is_rejected():
    key = Ed25519PrivateKey.generate()
    token = signing.token_sign(CLAIMS, key)
    padded = token + "=" * (-len(token) % 4)
    for variant in (padded + "=", token + "A", " " + token, token.replace("-", "+")):
        if variant != token:
            with pytest.raises(signing.TokenError):
                signing.token_verify(variant, {"k1": key.public_key()})


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
