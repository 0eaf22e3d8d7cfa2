"""QR size of the certificate token formats, for a long Vietnamese name (issue 15).

    .venv/bin/python bench/qr_token_size.py

Prints, for each format, the characters in the QR and the QR version at level M (the PDF's
level). The URL prefix is a realistic production address.
"""

import base64
import dataclasses
import datetime
import json
import sys
from decimal import Decimal
from pathlib import Path

import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from qrcode.constants import ERROR_CORRECT_M

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.conf import settings  # noqa: E402

from certificates import signing  # noqa: E402

if not settings.configured:  # an expiring token's `exp` is midnight in the site's time zone
    settings.configure(TIME_ZONE="Asia/Ho_Chi_Minh")

PREFIX = "https://hocso.dantocgialai.gov.vn/v/"
KEY = Ed25519PrivateKey.generate()
CLAIMS = signing.Claims(
    kid=signing.key_id(KEY.public_key()),
    serial="HS-2026-000123",
    holder="Nguyễn Thị Phương Thảo Hoàng Ngọc",
    course="Thương mại điện tử cho thanh niên",
    hours=Decimal("1.5"),
    completed_on=datetime.date(2026, 1, 31),
    issuer="Sở Dân tộc tỉnh Gia Lai",
)

CLAIMS_DEMO = signing.Claims(  # a demo certificate with a long name and the default issuer
    kid=signing.key_id(KEY.public_key()),
    serial="HS-2026-000123",
    holder="Nguyễn Thị Phương Thảo Hoàng Ngọc",
    course="An toàn thông tin cho mọi người",
    hours=Decimal("2"),
    completed_on=datetime.date(2026, 1, 31),
    issuer="Học Số",
)
CLAIMS_TEST = signing.Claims(  # tests/certificates/test_signing.py
    kid=signing.key_id(KEY.public_key()),
    serial="HS-2026-000123",
    holder="Nguyễn Thị Hương",
    course="Thương mại điện tử cho thanh niên dân tộc thiểu số",
    hours=Decimal("1.5"),
    completed_on=datetime.date(2026, 1, 31),
    issuer="Sở Dân tộc và Tôn giáo tỉnh Gia Lai",
)


def version(data) -> int:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, mask_pattern=2)
    if isinstance(data, list):
        for part in data:
            code.add_data(part)
    else:
        code.add_data(data)
    code.make(fit=True)
    return code.version


def b45(data: bytes) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
    out = []
    for i in range(0, len(data), 2):
        chunk = data[i : i + 2]
        n = int.from_bytes(chunk, "big")
        digits = 3 if len(chunk) == 2 else 2
        for _ in range(digits):
            n, r = divmod(n, 45)
            out.append(alphabet[r])
    return "".join(out)


def jws(claims: signing.Claims, key) -> str:
    header = {"alg": "EdDSA", "kid": claims.kid}
    payload = {
        "sn": claims.serial,
        "n": claims.holder,
        "c": claims.course,
        "h": float(claims.hours),
        "d": claims.completed_on.isoformat(),
        "i": claims.issuer,
    }
    enc = lambda o: signing.b64url_encode(  # noqa: E731
        json.dumps(o, ensure_ascii=False, separators=(",", ":")).encode()
    )
    signed = enc(header) + "." + enc(payload)
    return signed + "." + signing.b64url_encode(key.sign(signed.encode()))


def main() -> None:
    samples = [
        ("http://127.0.0.1:8000/v/", CLAIMS_DEMO),
        ("http://127.0.0.1:8000/v/", CLAIMS_TEST),
        ("https://hocso.dantocgialai.gov.vn/v/", CLAIMS),
    ]
    for prefix, claims in samples:
        table(prefix, claims)


def table(PREFIX, CLAIMS) -> None:
    rows = []
    old = PREFIX + signing.token_sign_v1(CLAIMS, KEY) + "/"
    rows.append(("old binary layout, base64url", old, version(old)))
    jws_url = PREFIX + jws(CLAIMS, KEY) + "/"
    rows.append(("compact JWS (EdDSA), URL", jws_url, version(jws_url)))
    cose = signing.b64url_decode(signing.token_sign(CLAIMS, KEY))  # what is issued now
    cwt64 = PREFIX + base64.urlsafe_b64encode(cose).rstrip(b"=").decode() + "/"
    rows.append(("CWT (COSE_Sign1) base64url, URL (older links)", cwt64, version(cwt64)))
    expiring = dataclasses.replace(CLAIMS, expires_on=datetime.date(2028, 1, 30))
    exp64 = PREFIX + signing.token_sign(expiring, KEY) + "/"
    rows.append(("  the same with exp (a course sets a validity)", exp64, version(exp64)))
    cwt32 = PREFIX + signing.b32_encode(cose) + "/"
    rows.append(("CWT base32 in the URL: issued (QR, links)", cwt32, version(cwt32)))
    exp32 = PREFIX + signing.qr_token(signing.token_sign(expiring, KEY)) + "/"
    rows.append(("  the same with exp", exp32, version(exp32)))
    hc = "HC1:" + b45(cose)
    bare = PREFIX + base64.urlsafe_b64encode(cose[1:]).rstrip(b"=").decode() + "/"
    rows.append(("CWT untagged base64url, URL", bare, version(bare)))
    rows.append(("CWT base45, alphanumeric QR (no URL)", hc, version(hc)))
    up = PREFIX.upper()
    mixed = [qrcode.util.QRData(up.encode(), mode=qrcode.util.MODE_ALPHA_NUM), b45(cose)]
    rows.append(
        ("CWT base45 after upper-case URL (not a valid URL)", up + b45(cose), version(mixed))
    )
    print(
        f"\nURL {PREFIX}<token>/; holder: {CLAIMS.holder!r}",
        f"({len(CLAIMS.holder.encode())} UTF-8 bytes)",
    )
    print(f"{'format':52} {'chars':>5} {'QR version (M)':>15}")
    for name, text, v in rows:
        print(f"{name:52} {len(text):5} {v:15}")


if __name__ == "__main__":
    main()
