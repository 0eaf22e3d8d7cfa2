"""An inspector opens the offline verifier once, loses the connection, and still tells a
genuine certificate from a forged, revoked, expired or unknown-issuer one."""

import datetime

import cbor2
import pytest
import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certificates import services, signing, status
from certificates.models import Certificate
from courses.services import enrolment_complete, enrolment_create
from tests.browser.conftest import SCREENSHOTS
from tests.factories import make_admin, make_course, make_learner, make_unit, site_home

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def issued(user, course) -> Certificate:
    enrolment, _created = enrolment_create(user=user, course=course)
    enrolment_complete(enrolment=enrolment, evidence="assessment")  # commits: eager task runs
    return enrolment.certificates.get(status="issued")


def claims_of(certificate: Certificate) -> signing.Claims:
    return signing.token_verify(
        certificate.token,
        signing.jwks_keys({"keys": [signing.jwk(certificate.key.kid, certificate.key.public_key)]}),
    )


def cwt_with_exp(claims: signing.Claims, private, exp: int) -> str:
    """A CWT like signing.token_sign's, with the registered `exp` claim (label 4) added."""
    protected = cbor2.dumps({1: -8, 4: signing.b64url_decode(claims.kid)})
    payload = cbor2.dumps(
        {
            1: claims.issuer,
            2: claims.holder,
            -1: claims.serial,
            -2: claims.course,
            -3: signing.hours_text(claims.hours),
            -4: int(claims.completed_on.strftime("%Y%m%d")),
            4: exp,
        }
    )
    signature = private.sign(cbor2.dumps(["Signature1", protected, b"", payload]))
    return signing.b64url_encode(
        cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signature]))
    )


def check(page, code: str, verdict: str):
    page.fill("#verifier-code", code)
    page.click(".verifier-check")
    page.wait_for_selector(f"#verifier[data-verdict='{verdict}']")
    return page.inner_text("#verifier")


def test_offline_verifier_after_the_network_is_cut(live_server, phone, tmp_path):
    site_home()
    commune = make_unit("Xã Ia Grai", parent=make_unit("Gia Lai"))
    course = make_course("Kỹ năng số", lessons=1)
    genuine = issued(make_learner(unit=commune, full_name="Ksor H'Blin"), course)
    withdrawn = issued(make_learner(unit=commune, full_name="A Lềnh"), course)
    services.certificate_revoke(certificate=withdrawn, actor=make_admin(), reason="Sai tên")

    claims = claims_of(genuine)
    stranger = Ed25519PrivateKey.generate()
    unknown = signing.token_sign(
        signing.Claims(**{**claims.__dict__, "kid": signing.key_id(stranger.public_key())}),
        stranger,
    )
    expired = cwt_with_exp(
        claims,
        signing.private_key_load(),
        int(datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC).timestamp()),
    )
    position = len(genuine.token) // 2
    forged = (
        genuine.token[:position]
        + ("B" if genuine.token[position] != "B" else "C")
        + genuine.token[position + 1 :]
    )

    page = phone
    context = page.context
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(f"{live_server.url}/verify/")
    page.wait_for_selector("#verifier[data-ready='1']")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    caches = page.evaluate("caches.keys()")
    assert "hocso-verifier-data" in caches
    assert any(name.startswith("workbox-precache") for name in caches)
    assert page.inner_text(".verifier-lists") == "1" and page.inner_text(".verifier-keys") == "1"

    context.set_offline(True)
    page.reload()
    page.wait_for_selector("#verifier[data-ready='1']")
    assert page.inner_text(".verifier-fetched") not in ("", "chưa bao giờ")
    assert "Ngoại tuyến" in page.inner_text(".verifier-network")

    text = check(page, genuine.verify_url, "valid")
    assert page.get_attribute("#verifier", "data-unlisted") == "0"
    assert "Ksor H'Blin" in text and "Kỹ năng số" in text and genuine.serial in text
    page.screenshot(path=str(SCREENSHOTS / "offline-verifier-valid.png"), full_page=True)
    text = check(page, withdrawn.token, "revoked")
    assert "A Lềnh" in text
    page.screenshot(path=str(SCREENSHOTS / "offline-verifier-revoked.png"), full_page=True)
    text = check(page, forged, "forged")
    assert "Ksor H'Blin" not in text
    # The QR code's base32 form, with one character changed.
    qr_text = signing.qr_token(genuine.token)
    altered = (
        qr_text[:position] + ("B" if qr_text[position] != "B" else "C") + qr_text[position + 1 :]
    )
    text = check(page, genuine.verify_url.replace(qr_text, altered), "forged")
    assert "Ksor H'Blin" not in text
    check(page, unknown, "unknown_key")
    check(page, expired, "expired")
    check(page, "https://example.org/v/%%%/", "forged")
    check(page, "", "empty")
    # A photo of the QR code, read by ZXing in WebAssembly (precached: still offline).
    photo = tmp_path / "qr.png"
    qrcode.make(genuine.verify_url, border=4).save(photo)
    page.fill("#verifier-code", "")
    page.set_input_files(".verifier-photo", str(photo))
    page.wait_for_selector("#verifier[data-verdict='valid']")
    assert page.input_value("#verifier-code") == genuine.verify_url
    # Nothing came from anywhere but this site (no CDN, even for the WebAssembly).
    assert hosts == {live_server.url.split("/")[2]}
    # A saved list altered to hide the revocation (its proof kept) is not used.
    page.evaluate(
        """async (encoded) => {
            const cache = await caches.open("hocso-verifier-data");
            for (const request of await cache.keys()) {
                if (!request.url.includes("/certificates/status/") ||
                    request.url.endsWith("/status/")) continue;
                const list = await (await cache.match(request)).json();
                list.credentialSubject.encodedList = encoded;
                await cache.put(request, new Response(JSON.stringify(list)));
            }
        }""",
        status.bitstring_encode([], status.MIN_BITS),
    )
    page.reload()
    page.wait_for_selector("#verifier[data-ready='1']")
    assert page.inner_text(".verifier-lists") == "0"
    check(page, withdrawn.token, "valid")
    assert page.get_attribute("#verifier", "data-unlisted") == "1"
    assert "Chưa có danh sách trạng thái" in page.inner_text(".verdict-box")
    # Back online: the lists are fetched again and the saved date moves on.
    before = page.get_attribute(".verifier-fetched", "datetime")
    context.set_offline(False)
    page.reload()
    page.wait_for_selector("#verifier[data-ready='1']")
    assert page.get_attribute(".verifier-fetched", "datetime") > before
    assert page.inner_text(".verifier-lists") == "1"
    check(page, withdrawn.token, "revoked")
