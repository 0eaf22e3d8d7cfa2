"""The Open Badges 3.0 credential a holder or a stranger downloads, and the issuer's did:web
document, as a third party checks them: keys taken from did.json through HTTP, the proof
checked with `cryptography` over a hand canonicalisation (and with our verifier), the VCDM 2.0
shape, nothing about the holder beyond the name; tampering, retired keys, revoked and pending
certificates, unknown issuers."""

import copy
import hashlib
import json
import unicodedata

import base58
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import call_command
from django.urls import reverse

from certificates import credential, integrity, services
from certificates.models import Certificate, CertificateTemplate
from tests.factories import make_admin, make_learner, tampered

pytestmark = pytest.mark.django_db

ISSUER = "Ban Dân tộc tỉnh Gia Lai"
SLUG = "ban-dan-toc-gia-lai"
DID = "did:web:127.0.0.1%3A8000:issuers:ban-dan-toc-gia-lai"  # LMS_PUBLIC_URL in tests
SIGNATORY = "Rơ Châm Hlin"
TITLE = "Trưởng ban"
HOLDER = "Nguyễn Thị Hương"


@pytest.fixture
def template(course):
    template = CertificateTemplate.objects.create(
        name="Gia Lai",
        issuer_name=ISSUER,
        issuer_slug=SLUG,
        signatory_name=SIGNATORY,
        signatory_title=TITLE,
        serial_prefix="GL",
    )
    template.courses.add(course)
    return template


@pytest.fixture
def learner(commune):
    learner = make_learner(unit=commune, full_name=HOLDER, username="huong")
    learner.email = "huong@example.org"
    learner.save(update_fields=["email"])
    learner.profile.phone = "0912345678"
    learner.profile.save(update_fields=["phone"])
    return learner


@pytest.fixture
def issued(template, learner, course, complete):
    certificate = complete(learner, course)
    assert certificate.status == "issued" and certificate.issuer_slug == SLUG
    return certificate


# --- a third party's tools --------------------------------------------------------------------
def did_keys(client, did: str) -> dict[str, Ed25519PublicKey]:
    """Resolve a did:web as the spec says (host, %3A -> ':', path) and read the Multikeys by
    hand (base58btc, strip the multicodec 0xed01), through the test client."""
    assert did.startswith("did:web:")
    host, *path = did.removeprefix("did:web:").split(":")
    assert host.replace("%3A", ":") == "127.0.0.1:8000"
    response = client.get("/" + "/".join(path) + "/did.json")
    assert response.status_code == 200
    document = response.json()
    assert document["id"] == did
    keys = {}
    for method in document["verificationMethod"]:
        assert method["type"] == "Multikey" and method["controller"] == did
        assert method["id"] in document["assertionMethod"]
        raw = base58.b58decode(method["publicKeyMultibase"][1:])
        assert method["publicKeyMultibase"][0] == "z" and raw[:2] == b"\xed\x01"
        keys[method["id"]] = Ed25519PublicKey.from_public_bytes(raw[2:])
    return keys


def hand_canon(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def hand_verify(document: dict, keys: dict[str, Ed25519PublicKey]) -> None:
    """eddsa-jcs-2022 without our code (valid for documents whose numbers are integers or
    print the same in JSON and JCS, as ours do)."""
    proof = dict(document["proof"])
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-jcs-2022"
    signature = base58.b58decode(proof.pop("proofValue")[1:])
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    data = (
        hashlib.sha256(hand_canon(proof)).digest() + hashlib.sha256(hand_canon(unsecured)).digest()
    )
    keys[proof["verificationMethod"]].verify(signature, data)


def holder_download(client, user, certificate):
    client.force_login(user)
    response = client.get(reverse("certificates:credential", args=[certificate.pk]))
    return response


# --- tests ------------------------------------------------------------------------------------
def test_holder_downloads_a_credential_any_verifier_accepts(client, issued, learner, course):
    response = holder_download(client, learner, issued)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vc+ld+json")
    assert f'filename="{issued.serial}.json"' in response["Content-Disposition"]
    document = json.loads(response.content)

    keys = did_keys(client, document["issuer"]["id"])
    hand_verify(document, keys)
    proof = integrity.verify(document, keys.get)
    assert proof["verificationMethod"] == f"{DID}#{issued.key.kid}"
    assert proof["created"] == integrity.format_datetime(issued.issued_at)
    integrity.check_credential(document)

    assert document["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["type"] == ["VerifiableCredential", "AchievementCredential"]
    assert document["issuer"] == {
        "id": DID,
        "type": ["Profile"],
        "name": ISSUER,
        "official": f"{SIGNATORY}, {TITLE}",
    }
    subject = document["credentialSubject"]
    assert subject["name"] == HOLDER and unicodedata.is_normalized("NFC", subject["name"])
    achievement = subject["achievement"]
    assert achievement["id"] == "http://127.0.0.1:8000" + course.url
    assert achievement["name"] == course.title and achievement["achievementType"] == "Course"
    assert achievement["creditsAvailable"] == 4 and subject["creditsEarned"] == 4
    assert "80%" not in achievement["criteria"]["narrative"]
    assert f"{course.pass_mark}%" in achievement["criteria"]["narrative"]
    assert document["evidence"][0]["genre"] == "assessment"
    assert document["validFrom"].endswith("T17:00:00Z")  # midnight in Viet Nam, in UTC
    assert "validUntil" not in document
    number = int(issued.serial.rsplit("-", 1)[1])
    year = issued.serial.split("-")[1]
    status_list = f"http://127.0.0.1:8000/certificates/status/GL-{year}.json"
    assert document["credentialStatus"] == {
        "id": f"{status_list}#{number}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(number),
        "statusListCredential": status_list,
    }
    # Nothing about the holder beyond the name.
    text = response.content.decode()
    for private in ("huong@example.org", "0912345678", '"huong"', "Xã Ia Grai"):
        assert private not in text, private
    assert set(subject) == {"type", "name", "identifier", "achievement", "creditsEarned"}
    assert subject["identifier"] == [
        {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": HOLDER}
    ]

    # The public verify page offers the same bytes (stored at issuance).
    client.logout()
    page = client.get(f"/v/{issued.token}/")
    link = f"/v/{issued.token}/credential.json"
    assert link in page.content.decode()
    public = client.get(link)
    assert public.status_code == 200 and public.content == response.content


def test_tampered_credentials_are_refused(client, issued, learner):
    document = json.loads(holder_download(client, learner, issued).content)
    keys = did_keys(client, DID)
    changes = [
        ("credentialSubject", "name", "Nguyễn Văn Giả"),
        ("credentialSubject", "creditsEarned", 40),
        ("issuer", "name", "Bộ Giáo dục"),
        (None, "validFrom", "2020-01-01T00:00:00Z"),
        (None, "validUntil", "2099-01-01T00:00:00Z"),
        ("proof", "created", "2030-01-01T00:00:00Z"),
    ]
    for parent, field, value in changes:
        forged = copy.deepcopy(document)
        (forged[parent] if parent else forged)[field] = value
        with pytest.raises(integrity.IntegrityError) as caught:
            integrity.verify(forged, keys.get)
        assert caught.value.code == "bad_signature"
        with pytest.raises(InvalidSignature):
            hand_verify(forged, keys)
    dropped = copy.deepcopy(document)
    del dropped["credentialStatus"]  # hiding the revocation entry
    with pytest.raises(integrity.IntegrityError):
        integrity.verify(dropped, keys.get)
    other_issuer = copy.deepcopy(document)
    other_issuer["proof"]["verificationMethod"] = "did:web:evil.example#" + issued.key.kid
    with pytest.raises(integrity.IntegrityError) as caught:
        integrity.verify(other_issuer, keys.get)
    assert caught.value.code == "unknown_key"


def test_retired_key_still_verifies(
    client, template, course, commune, complete, settings, tmp_path
):
    settings.LMS_CERT_SIGNING_KEY_FILE = tmp_path / "key.pem"
    old = complete(make_learner(unit=commune, full_name="Siu H'Nga"), course)
    call_command("certificate_keys", "--rotate")
    new = complete(make_learner(unit=commune, full_name="Rahlan Thị Mai"), course)
    old.refresh_from_db()
    assert old.key.kid != new.key.kid and not old.key.active

    did = client.get(f"/issuers/{SLUG}/did.json").json()
    assert did["retiredVerificationMethod"] == [f"{DID}#{old.key.kid}"]
    assert did["verificationMethod"][0]["id"] == f"{DID}#{new.key.kid}"  # current first
    keys = did_keys(client, DID)
    for certificate in (old, new):
        document = certificate.credential
        assert document["proof"]["verificationMethod"] == f"{DID}#{certificate.key.kid}"
        hand_verify(document, keys)
        integrity.verify(document, credential.keys_from_did_document(did).get)


def test_certificates_issued_before_credentials_get_one_signed_by_their_key(
    client, template, course, commune, complete, settings, tmp_path
):
    settings.LMS_CERT_SIGNING_KEY_FILE = tmp_path / "key.pem"
    learner = make_learner(unit=commune, full_name="Ksor H'Blin")
    old = complete(learner, course)
    call_command("certificate_keys", "--rotate")
    Certificate.objects.filter(pk=old.pk).update(credential=None)  # as after the migration
    first = holder_download(client, learner, old)
    assert first.status_code == 200
    document = json.loads(first.content)
    old.refresh_from_db()
    assert old.credential == document
    assert document["proof"]["verificationMethod"] == f"{DID}#{old.key.kid}"  # the retired key
    hand_verify(document, did_keys(client, DID))
    assert holder_download(client, learner, old).content == first.content  # stored: same bytes


def test_revoked_pending_and_invalid_have_no_credential(client, issued, learner, course, commune):
    token = issued.token
    services.certificate_revoke(certificate=issued, actor=make_admin(), reason="Cấp nhầm người")
    from django.core.cache import cache

    cache.clear()
    public = client.get(f"/v/{token}/credential.json")
    assert public.status_code == 410
    assert "thu hồi" in public.content.decode() or "revoked" in public.content.decode()
    mine = holder_download(client, learner, issued)
    assert mine.status_code == 409 and mine["Cache-Control"] == "no-store"
    assert f"/v/{token}/credential.json" not in client.get(f"/v/{token}/").content.decode()

    Certificate.objects.filter(pk=issued.pk).update(status="failed", revoked_at=None)
    assert holder_download(client, learner, issued).status_code == 409
    for bad in ["x", tampered(token), "A" * 5000]:
        assert client.get(f"/v/{bad}/credential.json").status_code == 404
    stranger = make_learner(unit=commune, username="nguoila")
    client.force_login(stranger)
    assert client.get(reverse("certificates:credential", args=[issued.pk])).status_code == 404


def test_did_document_is_cacheable_and_only_for_known_issuers(client, issued):
    response = client.get(f"/issuers/{SLUG}/did.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+json"
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    etag = response["ETag"]
    again = client.get(f"/issuers/{SLUG}/did.json", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert client.get("/issuers/hoc-so-khac/did.json").status_code == 404
    assert client.get("/issuers/../did.json").status_code == 404
    # A template moved to another identifier: the old one stays served for what it issued.
    CertificateTemplate.objects.filter(issuer_slug=SLUG).update(issuer_slug="gia-lai-moi")
    assert client.get(f"/issuers/{SLUG}/did.json").status_code == 200
    assert client.get("/issuers/gia-lai-moi/did.json").status_code == 200


def test_did_web_identifiers():
    assert credential.issuer_did("a", "https://hocso.gialai.gov.vn") == (
        "did:web:hocso.gialai.gov.vn:issuers:a"
    )
    assert (
        credential.issuer_did("a", "http://localhost:8000") == "did:web:localhost%3A8000:issuers:a"
    )
    assert credential.issuer_did("a", "https://example.org/lms") == (
        "did:web:example.org:lms:issuers:a"
    )


def test_my_certificates_links_the_credential(client, issued, learner):
    client.force_login(learner)
    html = client.get(reverse("certificates:mine")).content.decode()
    assert reverse("certificates:credential", args=[issued.pk]) in html


def test_backfill_command_signs_missing_credentials(client, issued, capsys):
    Certificate.objects.filter(pk=issued.pk).update(credential=None)
    call_command("issue_certificates", "--credentials")
    assert "1 credential(s) signed." in capsys.readouterr().out
    issued.refresh_from_db()
    hand_verify(issued.credential, did_keys(client, DID))
    call_command("issue_certificates", "--credentials")
    assert "0 credential(s) signed." in capsys.readouterr().out
