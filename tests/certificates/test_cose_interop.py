"""A third party's view: the QR code in the printed PDF carries a CWT that an off-the-shelf
COSE library (pycose, not our code) verifies with the key from the public JWKS; tampered
payloads, other keys and retired keys get the right verdict. Old (version 1) tokens still
verify everywhere we accept tokens."""

import base64

import cbor2
import pytest
import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from pycose.headers import KID, Algorithm
from pycose.keys import OKPKey
from pycose.messages import CoseMessage, Sign1Message
from qrcode.constants import ERROR_CORRECT_M

from certificates import selectors, services, signing
from certificates.models import Certificate
from tests.certificates.test_verification import VERIFY_API, download, qr_payload
from tests.factories import make_learner

pytestmark = pytest.mark.django_db


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwks_cose_keys(client) -> dict[str, OKPKey]:
    """The published keys, as a third party loads them: JWK -> pycose OKP key, by kid."""
    response = client.get("/.well-known/certificate-keys.json")
    assert response.status_code == 200
    return {
        jwk["kid"]: OKPKey.from_dict(
            {"KTY": "OKP", "CURVE": "Ed25519", "X": base64.urlsafe_b64decode(jwk["x"] + "==")}
        )
        for jwk in response.json()["keys"]
    }


def qr_version(text: str) -> int:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return code.version


def third_party_verify(token: str, keys: dict[str, OKPKey]) -> dict | None:
    """The README recipe: the claims if a published key signed them, None otherwise."""
    message = CoseMessage.decode(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    key = keys.get(b64url(message.phdr[KID]))
    if key is None or message.phdr[Algorithm].identifier != -8:
        return None
    message.key = key
    return cbor2.loads(message.payload) if message.verify_signature() else None


def test_qr_in_the_pdf_verifies_with_pycose(client, course, commune, complete, tmp_path):
    name = "Nguyễn Thị Phương Thảo Hoàng Ngọc"
    learner = make_learner(unit=commune, full_name=name)
    course.title = "Thương mại điện tử cho thanh niên dân tộc thiểu số vùng cao Gia Lai"
    course.save()
    certificate = complete(learner, course)
    url = qr_payload(download(client, learner, certificate, tmp_path), tmp_path)  # 150 dpi
    token = signing.token_from_text(url)
    assert token == certificate.token
    # The QR code carries the CWT in base32 (alphanumeric mode): no larger than the version 1
    # token in base64url made it, for this long name and title.
    token_in_url = url.rsplit("/v/", 1)[1].strip("/")
    assert token_in_url == signing.b32_encode(signing.b64url_decode(certificate.token))
    _key, private = services.signing_key_current()
    old_token = signing.token_sign_v1(signing.token_parse(token)[0], private)
    old_url = url.replace(token_in_url, old_token)
    assert qr_version(url) <= qr_version(old_url)
    claims = third_party_verify(token, jwks_cose_keys(client))
    assert claims == {
        1: certificate.issuer_name,
        2: name,
        -1: certificate.serial,
        -2: course.title,
        -3: signing.hours_text(certificate.hours),
        -4: int(certificate.completed_on.strftime("%Y%m%d")),
    }


def test_tampered_payload_and_other_keys_fail_with_pycose(client, course, hblin, complete):
    certificate = complete(hblin, course)
    keys = jwks_cose_keys(client)
    message = CoseMessage.decode(signing.b64url_decode(certificate.token))
    assert isinstance(message, Sign1Message)
    # Change the holder's name, keep the signature: pycose refuses, and so do we.
    payload = cbor2.loads(message.payload)
    payload[2] = "Ksor H'Blín"
    data = cbor2.loads(signing.b64url_decode(certificate.token))
    protected, _unprotected, _payload, signature = data.value
    forged = b64url(
        cbor2.dumps(cbor2.CBORTag(18, [protected, {}, cbor2.dumps(payload), signature]))
    )
    assert third_party_verify(forged, keys) is None
    assert selectors.certificate_verify(forged).status == "invalid"
    # The right kid but another key's public half: refused.
    stranger = Ed25519PrivateKey.generate()
    wrong = {
        kid: OKPKey.from_dict(
            {"KTY": "OKP", "CURVE": "Ed25519", "X": stranger.public_key().public_bytes_raw()}
        )
        for kid in keys
    }
    assert third_party_verify(certificate.token, wrong) is None
    # Signed by a stranger under our kid: refused by both.
    claims, _signed, _sig = signing.token_parse(certificate.token)
    impostor = signing.token_sign(claims, stranger)
    assert third_party_verify(impostor, keys) is None
    assert selectors.certificate_verify(impostor).problem == "bad_signature"
    # A key nobody published: no key to check with.
    unknown = signing.token_sign(
        signing.Claims(**{**claims.__dict__, "kid": signing.key_id(stranger.public_key())}),
        stranger,
    )
    assert third_party_verify(unknown, keys) is None


def test_retired_keys_stay_published_and_verify(
    client, course, commune, complete, settings, tmp_path
):
    settings.LMS_CERT_SIGNING_KEY_FILE = tmp_path / "key.pem"
    old = complete(make_learner(unit=commune), course)
    call_command("certificate_keys", "--rotate")
    new = complete(make_learner(unit=commune), course)
    assert old.key.kid != new.key.kid
    keys = jwks_cose_keys(client)
    assert set(keys) == {old.key.kid, new.key.kid}
    assert third_party_verify(old.token, keys)[-1] == old.serial
    assert third_party_verify(new.token, keys)[-1] == new.serial
    # Without the retired key a verifier cannot accept the old certificate.
    assert third_party_verify(old.token, {new.key.kid: keys[new.key.kid]}) is None


def test_old_format_certificates_still_verify_everywhere(
    client, course, hblin, complete, tmp_path, capsys
):
    """A certificate issued before the CWT keeps its version 1 token and verifies."""
    certificate = complete(hblin, course)
    _key, private = services.signing_key_current()
    claims, _signed, _sig = signing.token_parse(certificate.token)
    old_token = signing.token_sign_v1(claims, private)
    assert signing.b64url_decode(old_token)[0] == 1
    Certificate.objects.filter(pk=certificate.pk).update(token=old_token)
    services.cache_forget(serials=[certificate.serial])

    assert selectors.certificate_verify(old_token).status == "issued"
    body = client.get(VERIFY_API, {"token": old_token}).json()
    assert (body["status"], body["holder"]) == ("issued", "Ksor H'Blin")
    page = client.get(f"/v/{old_token}/")
    assert 'data-status="issued"' in page.content.decode()
    keys_file = tmp_path / "keys.json"
    keys_file.write_bytes(client.get("/.well-known/certificate-keys.json").content)
    call_command("verify_certificate", old_token, "--offline", "--keys", str(keys_file))
    assert "status: issued" in capsys.readouterr().out
    # The new token for the same serial is no longer the one on record.
    assert selectors.certificate_verify(certificate.token).status == "invalid"
    # A changed character of the old token is still refused.
    changed = old_token[:7] + ("B" if old_token[7] != "B" else "C") + old_token[8:]
    assert selectors.certificate_verify(changed).status == "invalid"


def test_new_format_through_page_api_and_offline_command(
    client, course, hblin, complete, tmp_path, capsys
):
    certificate = complete(hblin, course)
    assert signing.b64url_decode(certificate.token)[0] == 0xD2  # a tagged COSE_Sign1
    assert client.get(VERIFY_API, {"token": certificate.verify_url}).json()["valid"] is True
    page = client.get(f"/v/{certificate.token}/")
    assert 'data-status="issued"' in page.content.decode()
    keys_file = tmp_path / "keys.json"
    keys_file.write_bytes(client.get("/.well-known/certificate-keys.json").content)
    call_command("verify_certificate", certificate.token, "--offline", "--keys", str(keys_file))
    out = capsys.readouterr().out
    assert "status: issued" in out and certificate.serial in out
