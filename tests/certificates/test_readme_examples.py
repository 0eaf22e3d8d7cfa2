"""The README's verification examples, run as written against a live server: a third party
with pycose, or rfc8785 + base58 + cryptography, and only HTTP. Tampered inputs fail."""

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings as django_settings

from certificates import signing
from tests.factories import make_learner

# A live server: real HTTP, committed data (restored afterwards for the other tests).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

README = Path(django_settings.BASE_DIR) / "README.md"


def example(name: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"<!-- example: {name} .*?-->\n```python\n(.*?)\n```", text, re.S)
    assert match, name
    return match.group(1)


def run(name: str, **variables) -> dict:
    namespace = dict(variables)
    exec(compile(example(name), f"README:{name}", "exec"), namespace)  # noqa: S102
    return namespace


@pytest.fixture
def live_certificate(live_server, settings, course, commune, complete):
    settings.LMS_PUBLIC_URL = live_server.url
    learner = make_learner(unit=commune, full_name="Nguyễn Thị Hương")
    certificate = complete(learner, course)
    assert certificate.status == "issued"
    assert certificate.verify_url.startswith(live_server.url + "/v/")
    return certificate


def test_examples_are_short():
    for name in ("verify-qr", "verify-credential"):
        assert len(example(name).splitlines()) <= 19, name


def test_readme_examples_verify_and_refuse_tampering(live_certificate, live_server):
    certificate = live_certificate
    result = run("verify-qr", scanned=certificate.verify_url)
    claims = result["claims"]
    assert (claims[2], claims[-1]) == ("Nguyễn Thị Hương", certificate.serial)
    assert result["expired"] is False

    claims_obj, _payload, _signature = signing.token_parse(certificate.token)
    stranger_token = signing.token_sign(
        signing.Claims(**{**claims_obj.__dict__, "holder": "Nguyễn Văn Giả"}),
        Ed25519PrivateKey.generate(),
    )
    with pytest.raises(AssertionError):
        run("verify-qr", scanned=f"{live_server.url}/v/{signing.qr_token(stranger_token)}/")

    with urllib.request.urlopen(
        f"{live_server.url}/v/{certificate.token}/credential.json"
    ) as response:
        downloaded = response.read().decode()
    run("verify-credential", credential_json=downloaded)
    forged = json.loads(downloaded)
    forged["credentialSubject"]["name"] = "Nguyễn Văn Giả"
    with pytest.raises(InvalidSignature):
        run("verify-credential", credential_json=json.dumps(forged))
    elsewhere = json.loads(downloaded)
    elsewhere["proof"]["verificationMethod"] = elsewhere["proof"]["verificationMethod"].replace(
        "issuers:", "issuers:x"
    )
    with pytest.raises(urllib.error.HTTPError):  # no such issuer: 404
        run("verify-credential", credential_json=json.dumps(elsewhere))
