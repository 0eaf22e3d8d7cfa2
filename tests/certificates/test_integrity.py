"""Data Integrity `eddsa-jcs-2022` against the W3C test vectors (vc-di-eddsa) and the VCDM 2.0
test-suite inputs; every verdict is also checked by hand (cryptography + a canonical JSON dump)
so these tests do not trust our module only. Attackers: tampered documents and proofs, other
keys, unknown methods, other cryptosuites, numbers JCS cannot carry, huge and deep input."""

import copy
import datetime
import hashlib
import json
import unicodedata
from pathlib import Path

import base58
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from certificates import integrity
from certificates.integrity import CredentialError, IntegrityError
from tests.shared_data import TESTDATA, shared, shared_files

VC = TESTDATA / "vc"
JCS = VC / "eddsa-jcs-2022"
INPUTS = shared_files("vc/vcdm2-inputs", "*.json")


@pytest.fixture(autouse=True)
def _vectors():
    """Every test here reads the W3C vectors: skipped in a lone clone, failed in CI."""
    shared("vc")


CREATED = datetime.datetime(2023, 2, 24, 23, 36, 38, tzinfo=datetime.UTC)


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def key_pair():
    pair = load(VC / "keyPair.json")
    return (
        integrity.private_from_multikey(pair["privateKeyMultibase"]),
        integrity.public_from_multikey(pair["publicKeyMultibase"]),
        pair["publicKeyMultibase"],
    )


def raw_key(multikey: str) -> Ed25519PublicKey:
    """By hand: multibase `z` -> base58btc -> strip the 2-byte multicodec 0xed01."""
    data = base58.b58decode(multikey[1:])
    assert data[:2] == b"\xed\x01" and len(data) == 34
    return Ed25519PublicKey.from_public_bytes(data[2:])


def hand_canon(value) -> bytes:
    """JCS for documents without floats: sorted keys, compact, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def hand_verify(document: dict, public_key: Ed25519PublicKey) -> None:
    """Verify an eddsa-jcs-2022 proof without our module; raises InvalidSignature."""
    proof = dict(document["proof"])
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-jcs-2022"
    signature = base58.b58decode(proof.pop("proofValue")[1:])
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    data = (
        hashlib.sha256(hand_canon(proof)).digest() + hashlib.sha256(hand_canon(unsecured)).digest()
    )
    public_key.verify(signature, data)


def resolver(mapping: dict):
    return lambda method: mapping.get(method)


VECTOR_METHOD = (
    "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
)


# --- W3C vectors ------------------------------------------------------------------------------
def test_canonical_forms_match_the_vectors():
    assert (
        integrity.canonicalize(load(VC / "unsigned.json")) == (JCS / "canonDocJCS.txt").read_bytes()
    )
    assert (
        integrity.canonicalize(load(JCS / "proofConfigJCS.json"))
        == (JCS / "proofCanonJCS.txt").read_bytes()
    )


def test_sign_reproduces_the_vector_signature_byte_for_byte():
    private, _, _ = key_pair()
    signed = integrity.sign(load(VC / "unsigned.json"), private, VECTOR_METHOD, CREATED)
    expected = load(JCS / "signedJCS.json")
    assert signed == expected
    assert signed["proof"]["proofValue"] == (JCS / "sigBTC58JCS.txt").read_text().strip()
    signature = base58.b58decode(signed["proof"]["proofValue"][1:])
    assert signature.hex() == (JCS / "sigHexJCS.txt").read_text().strip()


def test_verify_accepts_the_signed_vector_and_so_does_a_hand_verifier():
    _, public, multikey = key_pair()
    signed = load(JCS / "signedJCS.json")
    proof = integrity.verify(signed, resolver({VECTOR_METHOD: public}))
    assert proof["proofValue"] == signed["proof"]["proofValue"]
    hand_verify(signed, raw_key(multikey))


def test_the_other_cryptosuite_vector_is_refused_not_misread():
    _, public, _ = key_pair()
    rdfc = load(VC / "eddsa-rdfc-2022" / "signedDataInt.json")
    with pytest.raises(IntegrityError) as caught:
        integrity.verify(rdfc, resolver({VECTOR_METHOD: public}))
    assert caught.value.code == "malformed"


def test_multikey_round_trip():
    _, public, multikey = key_pair()
    assert integrity.multikey_from_public(public) == multikey
    fresh = Ed25519PrivateKey.generate().public_key()
    text = integrity.multikey_from_public(fresh)
    assert text.startswith("z6Mk")
    assert integrity.public_from_multikey(text).public_bytes_raw() == fresh.public_bytes_raw()
    for bad in [
        "",
        "6Mk",
        "z0OIl",
        "z" + base58.b58encode(b"\xed\x01" + b"1" * 31).decode(),
        "z" + base58.b58encode(b"\xec\x01" + b"1" * 32).decode(),
        "zé",
    ]:
        with pytest.raises(IntegrityError) as caught:
            integrity.public_from_multikey(bad)
        assert caught.value.code == "malformed"


# --- attackers --------------------------------------------------------------------------------
@pytest.fixture
def signed_vector():
    return load(JCS / "signedJCS.json")


@pytest.fixture
def vector_keys():
    return resolver({VECTOR_METHOD: key_pair()[1]})


def refused(document, keys, code):
    with pytest.raises(IntegrityError) as caught:
        integrity.verify(document, keys)
    assert caught.value.code == code, caught.value
    return caught.value


@pytest.mark.parametrize(
    "path, value",
    [
        (("credentialSubject", "alumniOf"), "The School of Forgeries"),
        (("issuer",), "https://vc.example/issuers/6666"),
        (("validFrom",), "2023-01-01T00:00:01Z"),
        (("name",), "Alumni Credential "),
        (("proof", "created"), "2023-02-24T23:36:39Z"),
        (("proof", "verificationMethod"), VECTOR_METHOD),  # unchanged: control below
    ],
)
def test_tampered_documents_and_proofs_are_refused(signed_vector, vector_keys, path, value):
    forged = copy.deepcopy(signed_vector)
    target = forged
    for step in path[:-1]:
        target = target[step]
    changed = target[path[-1]] != value
    target[path[-1]] = value
    if not changed:
        integrity.verify(forged, vector_keys)  # the control: an unchanged field still verifies
        return
    refused(forged, vector_keys, "bad_signature")
    with pytest.raises(InvalidSignature):
        hand_verify(forged, key_pair()[1])


def test_added_or_removed_claims_are_refused(signed_vector, vector_keys):
    added = copy.deepcopy(signed_vector)
    added["credentialSubject"]["degree"] = "PhD"
    refused(added, vector_keys, "bad_signature")
    removed = copy.deepcopy(signed_vector)
    del removed["description"]
    refused(removed, vector_keys, "bad_signature")
    proof_context = copy.deepcopy(signed_vector)
    proof_context["proof"]["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    refused(proof_context, vector_keys, "bad_signature")


def test_signature_bits_flipped_or_truncated(signed_vector, vector_keys):
    signature = base58.b58decode(signed_vector["proof"]["proofValue"][1:])
    flipped = copy.deepcopy(signed_vector)
    flipped["proof"]["proofValue"] = (
        "z" + base58.b58encode(bytes([signature[0] ^ 1]) + signature[1:]).decode()
    )
    refused(flipped, vector_keys, "bad_signature")
    short = copy.deepcopy(signed_vector)
    short["proof"]["proofValue"] = "z" + base58.b58encode(signature[:63]).decode()
    refused(short, vector_keys, "malformed")
    for bad in ["", "u" + "A" * 86, "z0OIl", None, 7]:
        other = copy.deepcopy(signed_vector)
        other["proof"]["proofValue"] = bad
        refused(other, vector_keys, "malformed")


def test_wrong_key_and_unknown_method(signed_vector):
    stranger = Ed25519PrivateKey.generate().public_key()
    refused(signed_vector, resolver({VECTOR_METHOD: stranger}), "bad_signature")
    refused(signed_vector, resolver({}), "unknown_key")
    # A document naming a method we do not know, signed by its own key: still unknown.
    own = Ed25519PrivateKey.generate()
    forged = integrity.sign(load(VC / "unsigned.json"), own, "did:web:evil.example#k", CREATED)
    refused(forged, resolver({VECTOR_METHOD: key_pair()[1]}), "unknown_key")


def test_wrong_cryptosuite_type_or_purpose(signed_vector, vector_keys):
    for field, value in [
        ("cryptosuite", "eddsa-rdfc-2022"),
        ("cryptosuite", "EDDSA-JCS-2022"),
        ("type", "Ed25519Signature2020"),
        ("proofPurpose", "authentication"),
        ("created", "yesterday"),
    ]:
        other = copy.deepcopy(signed_vector)
        other["proof"][field] = value
        refused(other, vector_keys, "malformed")
    for missing in ["proof"]:
        other = copy.deepcopy(signed_vector)
        del other[missing]
        refused(other, vector_keys, "malformed")
    twice = copy.deepcopy(signed_vector)
    twice["proof"] = [signed_vector["proof"], signed_vector["proof"]]
    refused(twice, vector_keys, "malformed")
    refused([signed_vector], vector_keys, "malformed")
    refused({"proof": "z123"}, vector_keys, "malformed")


def test_proof_context_must_prefix_the_document_context(vector_keys):
    private, _, _ = key_pair()
    document = load(VC / "unsigned.json")
    signed = integrity.sign(document, private, VECTOR_METHOD, CREATED)
    signed["proof"]["@context"] = ["https://evil.example/context"]
    refused(signed, vector_keys, "malformed")


@pytest.mark.parametrize(
    "value", [2**53, -(2**53), 10**400, float("nan"), float("inf"), b"bytes", {1: "x"}, {"a"}]
)
def test_values_jcs_cannot_carry_are_refused(value, vector_keys):
    private, _, _ = key_pair()
    document = load(VC / "unsigned.json")
    document["credentialSubject"]["x"] = value
    with pytest.raises(IntegrityError) as caught:
        integrity.sign(document, private, VECTOR_METHOD, CREATED)
    assert caught.value.code == "malformed"
    refused({**document, "proof": load(JCS / "signedJCS.json")["proof"]}, vector_keys, "malformed")


def test_safe_numbers_and_floats_sign_and_verify(vector_keys):
    private, _, _ = key_pair()
    document = load(VC / "unsigned.json")
    document["credentialSubject"].update(hours=12.5, big=2**53 - 1, small=1e-7, whole=4.0)
    signed = integrity.sign(document, private, VECTOR_METHOD, CREATED)
    integrity.verify(json.loads(json.dumps(signed)), vector_keys)
    assert b'"whole":4' in integrity.canonicalize(document)


def test_huge_and_deep_input_is_refused_fast(vector_keys):
    private, _, _ = key_pair()
    huge = load(VC / "unsigned.json")
    huge["credentialSubject"]["blob"] = "a" * (integrity.MAX_CANONICAL_BYTES + 1)
    wide = load(VC / "unsigned.json")
    wide["credentialSubject"]["many"] = list(range(integrity.MAX_NODES + 1))
    deep = load(VC / "unsigned.json")
    nested: list = []
    deep["credentialSubject"]["deep"] = nested
    for _ in range(5000):
        nested.append([])
        nested = nested[0]
    for document in (huge, wide, deep):
        with pytest.raises(IntegrityError) as caught:
            integrity.sign(document, private, VECTOR_METHOD, CREATED)
        assert caught.value.code == "malformed"
        document["proof"] = load(JCS / "signedJCS.json")["proof"]
        refused(document, vector_keys, "malformed")


def test_created_must_be_aware():
    private, _, _ = key_pair()
    with pytest.raises(ValueError):
        integrity.sign(
            load(VC / "unsigned.json"), private, VECTOR_METHOD, datetime.datetime(2023, 1, 1)
        )


def test_unicode_is_signed_as_is_not_escaped(vector_keys):
    """A Vietnamese name (NFC) signs over its UTF-8 bytes, as a hand JCS does."""
    private, public, multikey = key_pair()
    document = load(VC / "unsigned.json")
    document["credentialSubject"]["name"] = "Nguyễn Thị Hồng Nhung"
    signed = integrity.sign(document, private, VECTOR_METHOD, CREATED)
    hand_verify(signed, raw_key(multikey))
    assert "Nguyễn".encode() in integrity.canonicalize(document)
    nfd = copy.deepcopy(signed)
    nfd["credentialSubject"]["name"] = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")
    refused(nfd, vector_keys, "bad_signature")


# --- VCDM 2.0 inputs --------------------------------------------------------------------------
ISSUER = "did:web:example.org:issuers:hoc-so"


def as_the_suite_issues(document: dict) -> dict:
    """What the VCDM 2.0 test suite does before sending an input to an issuer
    (tests/mock.data.js createRequestBody): fill the issuer's id when the input has none."""
    document = copy.deepcopy(document)
    if isinstance(document.get("issuer"), dict):
        document["issuer"].setdefault("id", ISSUER)
    else:
        document["issuer"] = document.get("issuer") or ISSUER
    return document


def issue(document: dict, private: Ed25519PrivateKey) -> dict:
    integrity.check_credential(document)
    return integrity.sign(document, private, ISSUER + "#k1", CREATED)


def test_the_inputs_are_all_there():
    names = {path.name for path in INPUTS}
    assert len(names) == 12
    assert sum(name.endswith("-ok.json") for name in names) == 5


@pytest.mark.parametrize("path", INPUTS, ids=lambda path: path.stem)
def test_vcdm2_inputs(path):
    private = Ed25519PrivateKey.generate()
    keys = resolver({ISSUER + "#k1": private.public_key()})
    document = as_the_suite_issues(load(path))
    if path.stem.endswith("-fail"):
        with pytest.raises(CredentialError):
            issue(document, private)
        return
    signed = issue(document, private)
    integrity.check_credential(signed)
    proof = integrity.verify(signed, keys)
    assert proof["verificationMethod"] == ISSUER + "#k1"
    ours = signed["proof"] if isinstance(signed["proof"], dict) else signed["proof"][-1]
    hand_verify({**signed, "proof": ours}, private.public_key())
    if "proof" in document:  # a proof set: the foreign proof is kept, ours added beside it
        assert signed["proof"][0] == document["proof"]
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["id"] = "did:example:someone-else"
    refused(tampered, keys, "bad_signature")


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda d: d.__setitem__("@context", ["https://www.w3.org/2018/credentials/v1"]),
            "@context",
        ),
        (lambda d: d.__setitem__("@context", "https://www.w3.org/ns/credentials/v2"), "@context"),
        (lambda d: d["@context"].reverse(), "@context"),
        (lambda d: d.__setitem__("type", "AlumniCredential"), "VerifiableCredential"),
        (lambda d: d.__setitem__("type", ["VerifiableCredential", 3]), "type"),
        (lambda d: d.__setitem__("id", "not a url"), "id"),
        (lambda d: d.__setitem__("issuer", {"name": "x"}), "issuer"),
        (lambda d: d.__setitem__("issuer", 5), "issuer"),
        (lambda d: d.__setitem__("credentialSubject", []), "credentialSubject"),
        (
            lambda d: d.__setitem__("credentialSubject", [{"id": "did:x:1"}, {}]),
            "credentialSubject",
        ),
        (lambda d: d.__setitem__("validFrom", "2023-01-01T00:00:00"), "validFrom"),
        (lambda d: d.__setitem__("validFrom", "2023-01-01"), "validFrom"),
        (lambda d: d.__setitem__("validUntil", "2022-12-31T23:59:59Z"), "validUntil"),
        (
            lambda d: d.__setitem__("credentialStatus", {"id": "https://x.example/1"}),
            "credentialStatus",
        ),
        (lambda d: d.__setitem__("evidence", [{"id": "https://x.example/e"}]), "evidence"),
        (lambda d: d.__setitem__("credentialSchema", {"type": "JsonSchema"}), "credentialSchema"),
    ],
)
def test_check_credential_names_what_is_wrong(change, message):
    document = load(VC / "unsigned.json")
    integrity.check_credential(document)
    change(document)
    with pytest.raises(CredentialError, match=message):
        integrity.check_credential(document)


def test_check_credential_accepts_fractional_seconds_and_offsets():
    document = load(VC / "unsigned.json")
    document["validFrom"] = "2023-01-01T07:00:00.123456789+07:00"
    document["validUntil"] = "2023-01-01T00:00:00.2Z"
    integrity.check_credential(document)
    document["validUntil"] = "2022-12-31T23:59:59.9Z"
    with pytest.raises(CredentialError):
        integrity.check_credential(document)
