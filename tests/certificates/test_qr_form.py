"""The QR code's form of a token: base32 (upper case, alphanumeric QR mode) of the same bytes
as the stored base64url token. Both forms verify everywhere (page, API, credential, offline
command); neither accepts a changed, lower-cased or non-canonical character; and the QR code
is no larger than the version 1 token's was."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from qrcode.constants import ERROR_CORRECT_M

from certificates import selectors, signing
from tests.certificates.test_verification import VERIFY_API

pytestmark = pytest.mark.django_db


def qr_version(text: str) -> int:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, mask_pattern=2)
    code.add_data(text)  # as certificates/pdf.py: qrcode picks the mode of each segment
    code.make(fit=True)
    return code.version


def test_two_forms_of_the_same_bytes(course, hblin, complete):
    certificate = complete(hblin, course)
    qr = signing.qr_token(certificate.token)
    assert set(qr) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") and "=" not in qr
    assert signing.b32_decode(qr) == signing.b64url_decode(certificate.token)
    assert signing.token_canonical(qr) == certificate.token
    assert signing.token_canonical(certificate.token) == certificate.token
    assert certificate.verify_url.endswith(f"/v/{qr}/")
    assert signing.token_from_text(certificate.verify_url) == certificate.token
    assert signing.token_from_text(f"https://x.example/v/{certificate.token}/") == certificate.token


def test_both_forms_verify_on_the_page_api_credential_and_command(
    client, course, hblin, complete, tmp_path, capsys
):
    certificate = complete(hblin, course)
    qr = signing.qr_token(certificate.token)
    for form in (qr, certificate.token):
        assert selectors.certificate_verify(form).status == "issued"
        assert 'data-status="issued"' in client.get(f"/v/{form}/").content.decode()
        assert client.get(VERIFY_API, {"token": form}).json()["valid"] is True
        response = client.get(f"/v/{form}/credential.json")
        assert response.status_code == 200
        credential = response.json()
        assert "AchievementCredential" in credential["type"]
        assert credential["credentialSubject"]["name"] == "Ksor H'Blin"
    keys_file = tmp_path / "keys.json"
    keys_file.write_bytes(client.get("/.well-known/certificate-keys.json").content)
    call_command(
        "verify_certificate", certificate.verify_url, "--offline", "--keys", str(keys_file)
    )
    assert "status: issued" in capsys.readouterr().out


def test_changed_lowercased_and_noncanonical_qr_text_is_refused(client, course, hblin, complete):
    certificate = complete(hblin, course)
    qr = signing.qr_token(certificate.token)
    for position in range(0, len(qr), 7):
        changed = qr[:position] + ("B" if qr[position] != "B" else "C") + qr[position + 1 :]
        assert selectors.certificate_verify(changed).status == "invalid", position
    assert selectors.certificate_verify(qr.lower()).status == "invalid"
    # The last character carries padding bits: a different letter with the same data bits
    # decodes to the same bytes in a lenient decoder, and is refused here.
    bits = 8 * len(signing.b32_decode(qr)) % 5
    if bits:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
        last = alphabet.index(qr[-1])
        sloppy = qr[:-1] + alphabet[last | 1] if not last & 1 else qr[:-1] + alphabet[last & ~1]
        assert selectors.certificate_verify(sloppy).status == "invalid"
        with pytest.raises(signing.TokenError):
            signing.b32_decode(sloppy)
    assert selectors.certificate_verify(qr + "A").status == "invalid"
    assert selectors.certificate_verify(qr + "=").status == "invalid"
    assert client.get(f"/v/{qr[:-3]}/").status_code == 200  # a verdict, never a 500
    huge = "A" * (signing.MAX_TOKEN_CHARS + 8)
    assert selectors.certificate_verify(huge).status == "invalid"


def test_forged_qr_signed_by_another_key_is_refused(course, hblin, complete):
    certificate = complete(hblin, course)
    claims, _signed, _signature = signing.token_parse(certificate.token)
    stranger = signing.token_sign(
        dataclasses.replace(claims, holder="Nguyễn Văn Giả"), Ed25519PrivateKey.generate()
    )
    assert selectors.certificate_verify(signing.qr_token(stranger)).status == "invalid"


@pytest.mark.parametrize(
    ("host", "holder", "course_title"),
    [
        (
            "http://127.0.0.1:8000",
            "Nguyễn Thị Hương",
            "Thương mại điện tử cho thanh niên dân tộc thiểu số",
        ),
        (
            "https://hocso.dantocgialai.gov.vn",
            "Nguyễn Thị Phương Thảo Hoàng Ngọc",
            "Thương mại điện tử cho thanh niên",
        ),
    ],
)
def test_the_qr_code_does_not_grow(host, holder, course_title):
    """Issue 15: the QR must not grow. A CWT, even with an expiry, in base32 against the
    version 1 token in base64url, for long Vietnamese names."""
    key = Ed25519PrivateKey.generate()
    claims = signing.Claims(
        kid=signing.key_id(key.public_key()),
        serial="HS-2026-000123",
        holder=holder,
        course=course_title,
        hours=Decimal("1.5"),
        completed_on=datetime.date(2026, 1, 31),
        issuer="Sở Dân tộc và Tôn giáo tỉnh Gia Lai",
    )
    old = f"{host}/v/{signing.token_sign_v1(claims, key)}/"
    for expires_on in (None, datetime.date(2028, 1, 30)):
        token = signing.token_sign(dataclasses.replace(claims, expires_on=expires_on), key)
        new = f"{host}/v/{signing.qr_token(token)}/"
        assert qr_version(new) <= qr_version(old), (expires_on, qr_version(new), qr_version(old))
