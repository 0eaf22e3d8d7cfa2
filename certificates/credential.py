"""The certificate as an Open Badges 3.0 credential, and the issuer's did:web document.

Every issued certificate also exists as an `AchievementCredential` (W3C VC Data Model 2.0,
Open Badges 3.0 context) with an `eddsa-jcs-2022` Data Integrity proof (certificates.integrity)
by the key that signed its QR token. Wallets and OB 3.0 validators read it; anyone verifies it
with the keys in the issuer's did:web document.

The issuer is `did:web:<host>:issuers:<slug>` (the template's `issuer_slug`; the host from
`core.public_url`, a port written `%3A` as did:web requires), resolved by any did:web resolver to
`<public URL>/issuers/<slug>/did.json`. That document lists every signing key ever used as a
Multikey verification method `<did>#<kid>`, so a credential signed before a key rotation still
verifies; `retiredVerificationMethod` names the ones that no longer sign.

The credential says nothing about the holder beyond the name on the certificate: no e-mail,
phone, username or score. It is built when the certificate is issued and stored (so its bytes
never change afterwards); certificates issued before credentials existed get theirs when first
downloaded (services.certificate_credential).
"""

import datetime
import uuid
import zoneinfo
from decimal import Decimal
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from core.public_url import public_url

from . import integrity, signing

OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
MEDIA_TYPE = "application/vc+ld+json"

# What the evidence (courses.Enrolment.evidence) means, in both languages like the PDF.
EVIDENCE = {
    "assessment": (
        "Bài kiểm tra cuối khoá đạt yêu cầu (chấm trên máy chủ) · "
        "Final assessment passed (graded on the server)"
    ),
    "attendance": ("Hoàn thành lớp học trực tiếp theo điểm danh · Class completed by attendance"),
}


def issuer_did(slug: str, base: str | None = None) -> str:
    """`did:web:<host>[:<path>]:issuers:<slug>` for the site at `base` (the public URL)."""
    parts = urlsplit(base or public_url())
    segments = [quote(parts.netloc, safe="")]
    segments += [quote(part, safe="") for part in parts.path.split("/") if part]
    return ":".join(["did:web", *segments, "issuers", slug])


def did_url(slug: str, base: str | None = None) -> str:
    """Where a did:web resolver fetches the issuer's document."""
    return f"{base or public_url()}/issuers/{slug}/did.json"


def did_document(slug: str, keys: list[tuple[str, str, bool]]) -> dict:
    """The issuer's DID document: `keys` are (kid, base64url public key, active) rows."""
    did = issuer_did(slug)
    ordered = sorted(keys, key=lambda row: (not row[2], row[0]))  # current ones first
    methods = [
        {
            "id": f"{did}#{kid}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": integrity.multikey_from_public(
                Ed25519PublicKey.from_public_bytes(signing.b64url_decode(public))
            ),
        }
        for kid, public, _active in ordered
    ]
    # Retired keys sign nothing new, but the credentials they signed must keep verifying, and
    # a Data Integrity verifier accepts an assertion only from a method listed here.
    ids = [method["id"] for method in methods]
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "retiredVerificationMethod": [f"{did}#{kid}" for kid, _p, active in ordered if not active],
    }


def keys_from_did_document(document: dict) -> dict[str, Ed25519PublicKey]:
    """The Ed25519 keys a DID document lists for assertions, by verification method id."""
    allowed = set(document.get("assertionMethod", []))
    keys = {}
    for method in document.get("verificationMethod", []):
        if method.get("id") in allowed and method.get("type") == "Multikey":
            keys[method["id"]] = integrity.public_from_multikey(method["publicKeyMultibase"])
    return keys


def _local_midnight_utc(day: datetime.date) -> str:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return integrity.format_datetime(datetime.datetime.combine(day, datetime.time(), zone))


def _number(value: Decimal) -> int | float:
    value = Decimal(value)
    return int(value) if value == value.to_integral() else float(value)


def status_entry(serial: str, base: str | None = None) -> dict:
    """The BitstringStatusListEntry of a serial: list PREFIX-YEAR, index the serial's number."""
    prefix, year, number = serial.rsplit("-", 2)
    index = str(int(number))
    list_url = f"{base or public_url()}/certificates/status/{prefix}-{year}.json"
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": index,
        "statusListCredential": list_url,
    }


def criteria(course, evidence: str) -> str:
    if evidence == "attendance":
        share = round(Decimal(course.class_min_attendance) * 100)
        return (
            f"Tham dự ít nhất {share}% số buổi của lớp học"
            + (" và đạt bài kiểm tra cuối khoá" if course.class_requires_final_quiz else "")
            + f" · Attend at least {share}% of the class days"
            + (" and pass the final assessment" if course.class_requires_final_quiz else "")
            + "."
        )
    return (
        f"Hoàn thành các bài học bắt buộc và đạt bài kiểm tra cuối khoá "
        f"(tối thiểu {course.pass_mark}%, chấm trên máy chủ) · Complete the required lessons "
        f"and pass the final assessment (at least {course.pass_mark}%, graded on the server)."
    )


def course_url(course) -> str:
    url = course.get_url()
    return url if url.startswith("http") else public_url() + url


def build(certificate, *, course, evidence: str, signatory: tuple[str, str] = ("", "")) -> dict:
    """The unsigned AchievementCredential of an issued certificate (its snapshot fields)."""
    base = public_url()
    did = issuer_did(certificate.issuer_slug, base)
    issuer = {"id": did, "type": ["Profile"], "name": certificate.issuer_name}
    name, title = signatory
    if name or title:
        issuer["official"] = ", ".join(part for part in (name, title) if part)
    achievement = {
        "id": course_url(course),
        "type": ["Achievement"],
        "name": certificate.course_title,
        "description": course.summary or certificate.course_title,
        "criteria": {"narrative": criteria(course, evidence)},
        "achievementType": "Course",
        "creditsAvailable": _number(course.hours),
    }
    subject = {
        "type": ["AchievementSubject"],
        "name": certificate.holder_name,
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": certificate.holder_name,
            }
        ],
        "achievement": achievement,
        "creditsEarned": _number(certificate.hours),
    }
    document = {
        "@context": [integrity.VC_V2_CONTEXT, OB3_CONTEXT],
        "id": "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base}/{certificate.serial}")),
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": certificate.course_title,
        "issuer": issuer,
        "validFrom": _local_midnight_utc(certificate.completed_on),
        "credentialSubject": subject,
        "credentialStatus": status_entry(certificate.serial, base),
    }
    if certificate.expires_on is not None:
        document["validUntil"] = integrity.format_datetime(
            signing.expiry_instant(certificate.expires_on)
        )
    if evidence in EVIDENCE:
        document["evidence"] = [
            {"type": ["Evidence"], "name": EVIDENCE[evidence], "genre": evidence}
        ]
    return document


def sign(
    document: dict, *, private: Ed25519PrivateKey, slug: str, kid: str, created: datetime.datetime
) -> dict:
    """The credential with its proof by `private`, named `<issuer DID>#<kid>`."""
    integrity.check_credential(document)
    return integrity.sign(document, private, f"{issuer_did(slug)}#{kid}", created)
