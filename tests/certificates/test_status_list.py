"""Revocation everyone can see: the W3C Bitstring Status Lists, their proof (checked by our
verifier and independently), their cache, and `verify_certificate --offline --status`."""

import base64
import copy
import gzip
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from certificates import credential, integrity, services, signing, status
from certificates.models import Certificate, SerialCounter
from core.public_url import public_url
from tests.factories import make_admin, make_learner

pytestmark = pytest.mark.django_db


# --- independent checks (no code of ours) ---------------------------------------------------
def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def jcs(value) -> bytes:
    # RFC 8785 for documents with no floats: sorted keys, no spaces, UTF-8 as is.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def proof_verifies_independently(document: dict, public: Ed25519PublicKey) -> bool:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof = dict(document["proof"])
    signature = base58btc(proof.pop("proofValue")[1:])
    data = hashlib.sha256(jcs(proof)).digest() + hashlib.sha256(jcs(unsecured)).digest()
    try:
        public.verify(signature, data)
    except Exception:
        return False
    return True


def bits_of(document: dict) -> bytes:
    encoded = document["credentialSubject"]["encodedList"]
    assert encoded[0] == "u" and "=" not in encoded
    return gzip.decompress(b64url(encoded[1:]))


def bit(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] >> (7 - index % 8) & 1)


def jwks_keys(client) -> dict:
    return signing.jwks_keys(client.get("/.well-known/certificate-keys.json").content.decode())


def resolver(keys: dict, issuer: str):
    def resolve(method):
        controller, _hash, kid = method.partition("#")
        return keys.get(kid) if controller == issuer else None

    return resolve


@pytest.fixture
def admin(db):
    return make_admin()


@pytest.fixture
def two(course, hblin, commune, complete):
    other = make_learner(unit=commune, username="lenh", full_name="A Lềnh")
    return complete(hblin, course), complete(other, course)


def revoke(certificate, admin, capture, reason="Sai tên người học"):
    with capture(execute=True):
        services.certificate_revoke(certificate=certificate, actor=admin, reason=reason)
    certificate.refresh_from_db()
    return certificate


# --- the bitstring ----------------------------------------------------------------------------
def test_bits_are_most_significant_first_gzipped_and_multibase():
    encoded = status.bitstring_encode([0, 9, 131071], status.MIN_BITS)
    assert encoded.startswith("u") and "=" not in encoded and "+" not in encoded
    bits = gzip.decompress(b64url(encoded[1:]))
    assert len(bits) * 8 == 131072
    assert bits[0] == 0x80 and bits[1] == 0x40 and bits[-1] == 0x01
    assert sum(bin(byte).count("1") for byte in bits) == 3
    assert status.bitstring_decode(encoded) == bits
    assert status.bitstring_encode([], status.MIN_BITS) == status.bitstring_encode(
        [], status.MIN_BITS
    )  # deterministic (no timestamp in the GZIP header)


def test_list_length_is_at_least_the_minimum_and_holds_the_highest_serial():
    assert status.list_length(0) == status.list_length(131071) == 131072
    assert status.list_length(131072) == 131080
    assert status.list_length(999_999) == 1_000_000
    assert status.position("HS-2026-000123") == status.Position("HS-2026", 123)
    with pytest.raises(status.StatusError):
        status.position("HS-2026-12-3")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _gzip(size: int) -> bytes:
    return gzip.compress(bytes(size), mtime=0)  # the same bytes in every xdist worker


@pytest.mark.parametrize(
    "encoded",
    [
        "z" + _b64(_gzip(16384)),  # base58btc prefix
        "u" + _b64(_gzip(16384)) + "==",  # padded
        "u" + _b64(bytes(16384)),  # not gzip
        "u" + _b64(_gzip(100)),  # short
        "u" + _b64(_gzip(64 << 20)),  # a decompression bomb: 64 MiB of zeros in ~64 KiB
        "u" + "A" * (status.MAX_ENCODED_CHARS + 4),
        "u!!!!",
        None,
    ],
    ids=["base58", "padded", "not-gzip", "short", "bomb", "huge", "bad-chars", "none"],
)
def test_bad_encoded_lists_are_refused(encoded):
    with pytest.raises(status.StatusError):
        status.bitstring_decode(encoded)


# --- the served list --------------------------------------------------------------------------
def test_list_is_a_signed_bitstring_status_list_credential(client, two, admin):
    first, second = two
    name, index = status.position(first.serial)
    response = client.get(f"/certificates/status/{name}.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"] and response["ETag"]
    document = response.json()
    url = f"{public_url()}/certificates/status/{name}.json"
    assert document["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["id"] == url
    subject = document["credentialSubject"]
    assert subject["id"] == f"{url}#list"
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert subject["ttl"] == status.TTL_SECONDS * 1000
    assert document["validFrom"].endswith("Z")
    bits = bits_of(document)
    assert len(bits) * 8 == 131072 and not any(bits)
    # The proof: our verifier, and by hand (JCS + SHA-256 + Ed25519 with `cryptography`).
    keys = jwks_keys(client)
    assert document["issuer"] == credential.issuer_did(first.issuer_slug)
    assert document["issuer"] == first.credential["issuer"]["id"]  # the credential's issuer
    proof = integrity.verify(document, resolver(keys, document["issuer"]))
    assert proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof["verificationMethod"] == f"{document['issuer']}#{first.key.kid}"
    assert proof_verifies_independently(document, keys[first.key.kid])
    altered = copy.deepcopy(document)
    altered["credentialSubject"]["encodedList"] = status.bitstring_encode([index], 131072)
    assert not proof_verifies_independently(altered, keys[first.key.kid])
    with pytest.raises(integrity.IntegrityError):
        integrity.verify(altered, resolver(keys, document["issuer"]))


def test_revoking_sets_the_bit_at_once(client, two, admin, django_capture_on_commit_callbacks):
    first, second = two
    name, index = status.position(first.serial)
    before = client.get(f"/certificates/status/{name}.json")
    assert (
        client.get(
            f"/certificates/status/{name}.json", HTTP_IF_NONE_MATCH=before["ETag"]
        ).status_code
        == 304
    )  # served from the cache, unchanged
    revoke(first, admin, django_capture_on_commit_callbacks)
    after = client.get(f"/certificates/status/{name}.json")
    assert after["ETag"] != before["ETag"]
    assert (
        client.get(
            f"/certificates/status/{name}.json", HTTP_IF_NONE_MATCH=before["ETag"]
        ).status_code
        == 200
    )
    bits = bits_of(after.json())
    assert bit(bits, index) and not bit(bits, status.position(second.serial).index)
    assert sum(bin(byte).count("1") for byte in bits) == 1
    assert proof_verifies_independently(after.json(), jwks_keys(client)[first.key.kid])


def test_the_cache_is_dropped_only_when_the_revocation_commits(
    client, two, admin, django_capture_on_commit_callbacks
):
    first, _second = two
    name, index = status.position(first.serial)
    url = f"/certificates/status/{name}.json"
    client.get(url)  # cached
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.certificate_revoke(certificate=first, actor=admin, reason="Sai tên")
    assert not bit(bits_of(client.get(url).json()), index)  # not committed yet: cached list
    for callback in callbacks:
        callback()
    assert bit(bits_of(client.get(url).json()), index)


def test_a_list_built_from_old_rows_is_never_served_after_the_revocation(
    client, two, admin, django_capture_on_commit_callbacks
):
    """A request that read the rows before the revocation committed, and stores its list
    after the cache was cleared, stores it under a version nobody reads any more."""
    first, _second = two
    name, index = status.position(first.serial)
    version = status._version(name)
    stale = status._served(status.status_list_build(name))
    revoke(first, admin, django_capture_on_commit_callbacks)
    from django.core.cache import cache

    cache.set(f"{status.CACHE_PREFIX}list:{name}:{version}:{status._version('*')}", stale)
    assert bit(bits_of(client.get(f"/certificates/status/{name}.json").json()), index)


def test_key_rotation_re_signs_the_lists(client, two, settings, django_capture_on_commit_callbacks):
    first, _second = two
    name, _index = status.position(first.serial)
    old = client.get(f"/certificates/status/{name}.json").json()
    settings.LMS_CERT_SIGNING_KEY = signing.b64url_encode(
        Ed25519PrivateKey.generate().private_bytes_raw()
    )
    # The test's transaction never commits: run what the rotation leaves for its commit.
    with django_capture_on_commit_callbacks(execute=True):
        key, _private = services.signing_key_current()
    new = client.get(f"/certificates/status/{name}.json").json()
    assert new["proof"]["verificationMethod"].endswith("#" + key.kid) and key.kid != first.key.kid
    assert old["proof"]["verificationMethod"].endswith("#" + first.key.kid)


def test_index_lists_every_list(client, two, home, django_capture_on_commit_callbacks):
    first, _second = two
    name, _index = status.position(first.serial)
    index = client.get("/certificates/status/")
    assert index.status_code == 200 and index["Access-Control-Allow-Origin"] == "*"
    assert index.json()["lists"] == [
        {"name": name, "url": f"{public_url()}/certificates/status/{name}.json"}
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.serial_allocate(prefix="GL", year=2025)
    names = [entry["name"] for entry in client.get("/certificates/status/").json()["lists"]]
    assert names == ["GL-2025", name]
    assert client.get("/certificates/status/GL-2025.json").status_code == 200


@pytest.mark.parametrize(
    "name", ["HS-1999", "XX-2026", "hs-2026", "HS-26", "HS-2026-000001", "H" * 300, "%2e%2e"]
)
def test_unknown_lists_are_a_clear_404(client, two, name):
    response = client.get(f"/certificates/status/{name}.json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 404 and "PREFIX-YEAR" in problem["detail"]


def test_the_404_is_translated(client, two):
    response = client.get("/certificates/status/XX-2026.json")
    assert response.json()["title"] == "Không có danh sách trạng thái này"
    client.cookies["django_language"] = "en"
    response = client.get("/certificates/status/XX-2026.json")
    assert response.json()["title"] == "No such status list"


def test_a_list_grows_past_the_minimum_for_high_serials(db, two):
    first, _second = two
    name, _index = status.position(first.serial)
    prefix, year = name.split("-")
    SerialCounter.objects.filter(prefix=prefix, year=int(year)).update(last=200_000)
    Certificate.objects.filter(pk=first.pk).update(
        serial=f"{name}-200000",
        status=Certificate.Status.REVOKED,
        revoked_at=timezone.now(),
        revocation_reason="Sai tên",
    )
    bits = bits_of(status.status_list_build(name))
    assert len(bits) * 8 == 200_008 and bit(bits, 200_000)


# --- verify_certificate --offline --status ----------------------------------------------------
@pytest.fixture
def files(client, two, tmp_path):
    def save(name: str, content: str):
        path = tmp_path / name
        path.write_text(content)
        return str(path)

    first, _second = two
    name, _index = status.position(first.serial)
    return {
        "keys": save("keys.json", client.get("/.well-known/certificate-keys.json").text),
        "save": save,
        "name": name,
        "url": f"/certificates/status/{name}.json",
    }


def run_offline(token, files, *status_files):
    args = ["verify_certificate", token, "--offline", "--keys", files["keys"]]
    for path in status_files:
        args += ["--status", path]
    call_command(*args)


def test_cli_valid_with_its_list(client, two, files, capsys):
    first, _second = two
    listed = files["save"]("list.json", client.get(files["url"]).content.decode())
    run_offline(first.token, files, listed)
    assert "status: issued" in capsys.readouterr().out


def test_cli_revoked_exits_1(client, two, admin, files, capsys, django_capture_on_commit_callbacks):
    first, second = two
    revoke(first, admin, django_capture_on_commit_callbacks)
    listed = files["save"]("list.json", client.get(files["url"]).content.decode())
    with pytest.raises(SystemExit) as exit_:
        run_offline(first.token, files, listed)
    assert exit_.value.code == 1
    assert "status: revoked" in capsys.readouterr().out
    run_offline(second.token, files, listed)  # the other one in the same list is fine
    assert "status: issued" in capsys.readouterr().out


def test_cli_picks_the_list_of_the_serial(
    client, two, admin, files, capsys, django_capture_on_commit_callbacks
):
    first, _second = two
    with django_capture_on_commit_callbacks(execute=True):
        services.serial_allocate(prefix="GL", year=2025)
    revoke(first, admin, django_capture_on_commit_callbacks)
    gl = files["save"]("gl.json", client.get("/certificates/status/GL-2025.json").content.decode())
    hs = files["save"]("hs.json", client.get(files["url"]).content.decode())
    with pytest.raises(SystemExit):
        run_offline(first.token, files, gl, hs)
    assert "status: revoked" in capsys.readouterr().out
    with pytest.raises(CommandError, match=f"No status list for {first.serial}"):
        run_offline(first.token, files, gl)  # a genuine list, but not this serial's


def test_cli_refuses_a_tampered_list(client, two, admin, files, django_capture_on_commit_callbacks):
    first, _second = two
    revoke(first, admin, django_capture_on_commit_callbacks)
    document = client.get(files["url"]).json()
    # The revoked bit cleared, the proof kept: a forger hiding a revocation.
    document["credentialSubject"]["encodedList"] = status.bitstring_encode([], 131072)
    forged = files["save"]("forged.json", json.dumps(document))
    with pytest.raises(CommandError, match="does not verify"):
        run_offline(first.token, files, forged)
    # Signed by a key that is not in the keys file.
    resigned = integrity.sign(
        {k: v for k, v in document.items() if k != "proof"},
        Ed25519PrivateKey.generate(),
        document["proof"]["verificationMethod"],
        integrity.parse_datetime(document["validFrom"]),
    )
    with pytest.raises(CommandError, match="does not verify"):
        run_offline(first.token, files, files["save"]("resigned.json", json.dumps(resigned)))
    # Signed by our key but claiming another issuer's identity.
    stolen = copy.deepcopy(client.get(files["url"]).json())
    stolen["issuer"] = "did:web:evil.example"
    with pytest.raises(CommandError, match="does not verify"):
        run_offline(first.token, files, files["save"]("stolen.json", json.dumps(stolen)))


@pytest.mark.parametrize(
    "content",
    ["not json", "[]", '{"type": ["VerifiableCredential"]}', "{" * 100000],
)
def test_cli_refuses_a_status_file_that_is_no_list(two, files, content):
    first, _second = two
    with pytest.raises(CommandError, match="(?i)status list"):
        run_offline(first.token, files, files["save"]("bad.json", content))


def test_cli_refuses_a_huge_status_file(two, files, tmp_path):
    first, _second = two
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(9 * 1024 * 1024)
    with pytest.raises(CommandError, match="larger than any status list"):
        run_offline(first.token, files, str(huge))


def test_cli_status_without_offline_is_refused(two, files):
    first, _second = two
    with pytest.raises(CommandError, match="--offline"):
        call_command("verify_certificate", first.token, "--status", files["keys"])


# --- the verify page and the offline verifier's files -----------------------------------------
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("vi", ["Chứng nhận đã bị thu hồi", "Thu hồi lúc", "Lý do"]),
        ("en", ["Revoked certificate", "Revoked on", "Reason"]),
    ],
)
def test_verify_page_says_why_and_when_a_certificate_was_revoked(
    client, two, admin, django_capture_on_commit_callbacks, language, words
):
    from bs4 import BeautifulSoup

    first, _second = two
    revoke(first, admin, django_capture_on_commit_callbacks, reason="Cấp nhầm người")
    client.cookies["django_language"] = language
    page = client.get(f"/v/{first.token}/")
    soup = BeautifulSoup(page.content, "html.parser")
    box = soup.select_one(".verdict-box")
    assert "verdict-revoked" in box["class"] and box.select_one("svg.verdict-icon")
    text = " ".join(soup.select_one("article.verify").stripped_strings)
    for word in words:
        assert word in text
    assert soup.select_one(".reason").get_text(strip=True) == "Cấp nhầm người"
    local = timezone.localtime(first.revoked_at)
    assert soup.select_one(".revoked-at time")["datetime"] == local.isoformat()
    assert local.strftime("%d/%m/%Y %H:%M") in text
    assert soup.select_one("a.offline-verifier-link")["href"] == "/verify/"


def test_offline_verifier_page_and_worker_use_only_local_files(client, db):
    from bs4 import BeautifulSoup

    page = client.get("/verify/")
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one("h1").get_text() == "Kiểm tra chứng nhận ngoại tuyến"
    assert "csrfmiddlewaretoken" not in page.content.decode()  # nothing personal is cached
    imports = json.loads(soup.select_one("script[type=importmap]").string)["imports"]
    assert set(imports) == {
        "cbor2",
        "@cto.af/wtf8",
        "@noble/ed25519",
        "canonicalize",
        "@scure/base",
    }
    config = json.loads(soup.select_one("#verifier-config").string)
    assert config["messages"]["offline"].startswith("Ngoại tuyến")
    worker = client.get("/verify/sw.js").content.decode()
    assert 'importScripts("/static/workbox/workbox-sw.js")' in worker
    manifest = json.loads(worker.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])["manifest"]
    urls = [entry["url"] for entry in manifest]
    for needed in [
        "/verify/",
        "/static/js/offline-verifier.js",
        "/static/cbor2/index.js",
        "/static/cbor2/decoder.js",
        "/static/wtf8/index.js",
        "/static/noble-ed25519/index.js",
        "/static/zxing-wasm/zxing_reader.wasm",
        "/static/barcode-detector/ponyfill.js",
        *imports.values(),
    ]:
        assert needed in urls
    for url in urls:
        assert url.startswith("/") and client.get(url).status_code == 200, url
    assert "//" not in worker.replace("// ", "").replace("://", "")  # no other host
    # An English visit gets a worker whose page revision differs (its precached copy too).
    client.cookies["django_language"] = "en"
    english = client.get("/verify/sw.js").content.decode()
    assert english != worker
