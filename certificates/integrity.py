"""W3C Data Integrity proofs with the `eddsa-jcs-2022` cryptosuite, and a VCDM 2.0 shape check.

A proof (https://www.w3.org/TR/vc-di-eddsa/#eddsa-jcs-2022) is an Ed25519 signature over
`sha256(JCS(proof options)) || sha256(JCS(document without proof))`, JCS being the JSON
Canonicalization Scheme (RFC 8785, from the `rfc8785` package), the signature written as
base58btc multibase (`z…`, from the `base58` package). Any Data Integrity verifier checks what
`sign` makes; the W3C test vectors pass through both directions in the tests.

Public keys travel as Multikey (`z6Mk…`: base58btc of the multicodec prefix 0xed 0x01 and the
32 raw key bytes), the form did:web documents list them in.

`verify` trusts nothing in the document: the verification method is only a name handed to
`resolve_key`, which answers with a key or None. A document whose `proof` already holds proofs
(a proof set, e.g. a foreign `Ed25519Signature2020`) gets ours added beside them; `verify`
checks exactly one eddsa-jcs-2022 proof and leaves proofs of other suites to their verifiers.

Nothing here touches the database or Django: the offline verifier and the status list reuse it.
"""

import copy
import datetime
import hashlib
import re
from collections.abc import Callable

import base58
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"

# Multicodec varint prefixes: ed25519-pub (0xed) and ed25519-priv (0x1300).
ED25519_PUB_PREFIX = b"\xed\x01"
ED25519_PRIV_PREFIX = b"\x80\x26"
SIGNATURE_BYTES = 64

# Bounds on what we canonicalise: a certificate credential is a few kilobytes.
MAX_CANONICAL_BYTES = 256 * 1024
MAX_DEPTH = 32
MAX_NODES = 10_000


class IntegrityError(ValueError):
    """Why a proof does not verify: `code` is one of malformed, unknown_key, bad_signature;
    `detail` says what was wrong (English, for logs and tools)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


class CredentialError(ValueError):
    """A document is not a VCDM 2.0 credential; the message names the property and the rule."""


# --- multibase / multikey ---------------------------------------------------------------------
def _multibase_decode(text: str) -> bytes:
    if not isinstance(text, str) or not text.startswith("z") or len(text) > 256:
        raise IntegrityError("malformed", "not a base58btc multibase value")
    try:
        return base58.b58decode(text[1:].encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise IntegrityError("malformed", "not a base58btc multibase value") from exc


def _multibase_encode(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def multikey_from_public(public_key: Ed25519PublicKey) -> str:
    """`z6Mk…`: the Multikey form of an Ed25519 public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _multibase_encode(ED25519_PUB_PREFIX + raw)


def public_from_multikey(multikey: str) -> Ed25519PublicKey:
    """The Ed25519 public key of a `z6Mk…` Multikey; IntegrityError('malformed') otherwise."""
    data = _multibase_decode(multikey)
    if len(data) != 34 or not data.startswith(ED25519_PUB_PREFIX):
        raise IntegrityError("malformed", "not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def private_from_multikey(multikey: str) -> Ed25519PrivateKey:
    """The Ed25519 private key of a `z3u2…` secret Multikey (the W3C vectors' keyPair.json)."""
    data = _multibase_decode(multikey)
    if len(data) != 34 or not data.startswith(ED25519_PRIV_PREFIX):
        raise IntegrityError("malformed", "not an Ed25519 secret Multikey")
    return Ed25519PrivateKey.from_private_bytes(data[2:])


# --- canonicalisation -------------------------------------------------------------------------
def _check_shape(value, depth: int = 0, budget: list | None = None) -> None:
    """Only JSON types, bounded depth and size (rfc8785 recurses; refuse before it does)."""
    if budget is None:
        budget = [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0:
        raise IntegrityError("malformed", "document too large")
    if depth > MAX_DEPTH:
        raise IntegrityError("malformed", "document nested too deeply")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise IntegrityError("malformed", "object keys must be strings")
            _check_shape(item, depth + 1, budget)
    elif isinstance(value, list):
        for item in value:
            _check_shape(item, depth + 1, budget)
    elif value is None or isinstance(value, str | bool | int | float):
        return
    else:
        raise IntegrityError("malformed", f"not a JSON value: {type(value).__name__}")


def canonicalize(value) -> bytes:
    """RFC 8785 bytes of a JSON value; IntegrityError('malformed') for anything JCS refuses
    (integers beyond ±2^53, NaN, infinities, non-JSON types) or anything too big."""
    _check_shape(value)
    try:
        data = rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise IntegrityError("malformed", f"not canonicalisable: {exc}") from exc
    if len(data) > MAX_CANONICAL_BYTES:
        raise IntegrityError("malformed", "document too large")
    return data


def _hash_data(proof_config: dict, unsecured: dict) -> bytes:
    return (
        hashlib.sha256(canonicalize(proof_config)).digest()
        + hashlib.sha256(canonicalize(unsecured)).digest()
    )


# --- dates ------------------------------------------------------------------------------------
_DATETIME_RE = re.compile(
    r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})"
)


def parse_datetime(text) -> datetime.datetime:
    """An XML Schema dateTimeStamp (a timezone is required); ValueError otherwise."""
    if not isinstance(text, str) or not _DATETIME_RE.fullmatch(text):
        raise ValueError(f"not an XML dateTime with a timezone: {text!r:.60}")
    main, _, rest = text.partition(".")
    if rest:  # Python parses at most 6 fractional digits
        digits = re.match(r"[0-9]+", rest).group(0)
        text = f"{main}.{digits[:6].ljust(6, '0')}{rest[len(digits) :]}"
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def format_datetime(moment: datetime.datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SSZ` in UTC, the form Data Integrity examples use."""
    if moment.tzinfo is None:
        raise ValueError("a timezone-aware datetime is required")
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- sign / verify ----------------------------------------------------------------------------
def _proofs(document: dict) -> list:
    proof = document.get("proof")
    if proof is None:
        return []
    return list(proof) if isinstance(proof, list) else [proof]


def sign(
    document: dict,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime.datetime,
    proof_purpose: str = "assertionMethod",
) -> dict:
    """A copy of `document` with an eddsa-jcs-2022 proof (beside any proofs it already has)."""
    if not isinstance(document, dict):
        raise IntegrityError("malformed", "a document is a JSON object")
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": format_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    if "@context" in unsecured:
        proof["@context"] = copy.deepcopy(unsecured["@context"])
    signature = private_key.sign(_hash_data(proof, unsecured))
    proof["proofValue"] = _multibase_encode(signature)
    existing = _proofs(document)
    secured = copy.deepcopy(unsecured)
    secured["proof"] = [*copy.deepcopy(existing), proof] if existing else proof
    return secured


def _context_prefix_ok(proof_context, document_context) -> bool:
    as_list = lambda value: value if isinstance(value, list) else [value]  # noqa: E731
    proof_list, document_list = as_list(proof_context), as_list(document_context)
    return document_list[: len(proof_list)] == proof_list


def verify(
    document: dict,
    resolve_key: Callable[[str], Ed25519PublicKey | None],
    proof_purpose: str = "assertionMethod",
) -> dict:
    """The eddsa-jcs-2022 proof of `document` if it verifies; IntegrityError otherwise.

    `resolve_key(verification_method)` answers with the public key the caller trusts for that
    method, or None (then the code is unknown_key).
    """
    if not isinstance(document, dict):
        raise IntegrityError("malformed", "a document is a JSON object")
    _check_shape(document)
    proofs = _proofs(document)
    if not proofs:
        raise IntegrityError("malformed", "no proof")
    if not all(isinstance(proof, dict) for proof in proofs):
        raise IntegrityError("malformed", "a proof is a JSON object")
    ours = [
        proof
        for proof in proofs
        if proof.get("type") == PROOF_TYPE and proof.get("cryptosuite") == CRYPTOSUITE
    ]
    if len(ours) != 1:
        raise IntegrityError("malformed", f"expected one {CRYPTOSUITE} proof, found {len(ours)}")
    proof = ours[0]
    for name in ("verificationMethod", "proofPurpose", "proofValue"):
        if not isinstance(proof.get(name), str) or not proof[name]:
            raise IntegrityError("malformed", f"proof.{name} missing")
    if proof["proofPurpose"] != proof_purpose:
        raise IntegrityError("malformed", f"proofPurpose is not {proof_purpose}")
    if "created" in proof:
        try:
            parse_datetime(proof["created"])
        except ValueError as exc:
            raise IntegrityError("malformed", "proof.created is not a dateTime") from exc
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    if "@context" in proof and not _context_prefix_ok(
        proof["@context"], unsecured.get("@context", [])
    ):
        raise IntegrityError("malformed", "proof @context does not match the document")
    signature = _multibase_decode(proof["proofValue"])
    if len(signature) != SIGNATURE_BYTES:
        raise IntegrityError("malformed", "proofValue is not an Ed25519 signature")
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    data = _hash_data(config, unsecured)
    public_key = resolve_key(proof["verificationMethod"])
    if public_key is None:
        raise IntegrityError("unknown_key", proof["verificationMethod"])
    try:
        public_key.verify(signature, data)
    except InvalidSignature as exc:
        raise IntegrityError("bad_signature") from exc
    return copy.deepcopy(proof)


# --- VCDM 2.0 shape ---------------------------------------------------------------------------
_URL_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+")


def _is_url(value) -> bool:
    return isinstance(value, str) and bool(_URL_RE.fullmatch(value))


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _typed_objects(doc: dict, name: str, *, need_id: bool = False) -> None:
    if name not in doc:
        return
    items = _as_list(doc[name])
    if not items:
        raise CredentialError(f"{name} must not be empty")
    for item in items:
        if not isinstance(item, dict):
            raise CredentialError(f"{name} must be an object or a list of objects")
        types = item.get("type")
        if not types or not all(isinstance(t, str) and t for t in _as_list(types)):
            raise CredentialError(f"{name} needs a type")
        if (need_id or "id" in item) and not _is_url(item.get("id")):
            raise CredentialError(f"{name}.id must be a URL")


def check_credential(doc) -> None:
    """Raise CredentialError unless `doc` has the shape of a W3C VCDM 2.0 credential.

    Checks the rules a verifier can check without fetching contexts: @context starting with
    the v2 context, a type including VerifiableCredential, an optional id that is a URL, an
    issuer that is a URL or an object whose id is one, a non-empty credentialSubject (each
    object with at least one claim), validFrom/validUntil as dateTimes with a timezone and in
    order, and typed credentialStatus, credentialSchema, evidence, termsOfUse, refreshService
    and proof entries.
    """
    if not isinstance(doc, dict):
        raise CredentialError("a credential is a JSON object")
    context = doc.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_V2_CONTEXT:
        raise CredentialError(f"@context must be a list whose first item is {VC_V2_CONTEXT}")
    if not all(isinstance(item, str | dict) for item in context):
        raise CredentialError("@context items are URLs or objects")
    types = doc.get("type")
    if not types or not all(isinstance(t, str) and t for t in _as_list(types)):
        raise CredentialError("type must be a string or a list of strings")
    if "VerifiableCredential" not in _as_list(types):
        raise CredentialError("type must include VerifiableCredential")
    if "id" in doc and not _is_url(doc["id"]):
        raise CredentialError("id must be a URL")
    issuer = doc.get("issuer")
    if issuer is None:
        raise CredentialError("issuer is required")
    if isinstance(issuer, dict):
        if not _is_url(issuer.get("id")):
            raise CredentialError("issuer.id must be a URL")
    elif not _is_url(issuer):
        raise CredentialError("issuer must be a URL or an object with an id")
    subjects = doc.get("credentialSubject")
    if subjects is None or subjects == []:
        raise CredentialError("credentialSubject is required")
    for subject in _as_list(subjects):
        if not isinstance(subject, dict) or not subject:
            raise CredentialError("each credentialSubject is an object with at least one claim")
        if "id" in subject and not _is_url(subject["id"]):
            raise CredentialError("credentialSubject.id must be a URL")
    moments = {}
    for name in ("validFrom", "validUntil"):
        if name in doc:
            try:
                moments[name] = parse_datetime(doc[name])
            except ValueError as exc:
                raise CredentialError(f"{name}: {exc}") from exc
    if len(moments) == 2 and moments["validFrom"] > moments["validUntil"]:
        raise CredentialError("validFrom is after validUntil")
    for name in ("name", "description"):
        if name in doc and not all(isinstance(v, str | dict) for v in _as_list(doc[name])):
            raise CredentialError(f"{name} must be a string or language value objects")
    for name in ("credentialStatus", "evidence", "termsOfUse", "refreshService", "proof"):
        _typed_objects(doc, name)
    _typed_objects(doc, "credentialSchema", need_id=True)
