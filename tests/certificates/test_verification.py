"""The PDF a learner downloads carries exact names and a QR code that verifies, online and
offline; every kind of bad token gets the right status and never a 500."""

import json
import shutil
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse

from certificates import selectors, services, signing
from certificates.models import Certificate
from tests.factories import make_admin, make_learner

pytestmark = pytest.mark.django_db

VERIFY_API = "/api/v1/certificates/verify"


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def qr_payload(pdf_path, tmp_path) -> str:
    """Render the page as a PNG (poppler) and decode the QR code with zbar, as a phone would."""
    prefix = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf_path), str(prefix)], check=True
    )
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", f"{prefix}.png"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip()


def download(client, user, certificate, tmp_path):
    client.force_login(user)
    response = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "certificate.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    return path


@pytest.mark.parametrize("name", ["Ksor H'Blin", "Nguyễn Thị Hương"])
def test_pdf_names_qr_verify_then_revoke(
    client, course, commune, complete, tmp_path, name, django_capture_on_commit_callbacks
):
    learner = make_learner(unit=commune, full_name=name)
    certificate = complete(learner, course)
    path = download(client, learner, certificate, tmp_path)

    text = pdf_text(path)
    assert name in text
    assert course.title in text
    assert certificate.serial in text

    url = qr_payload(path, tmp_path)
    assert url == certificate.verify_url
    assert url.startswith("http://127.0.0.1:8000/v/")
    path_part = url.removeprefix("http://127.0.0.1:8000")
    client.logout()
    page = client.get(path_part)
    assert page.status_code == 200
    assert 'data-status="issued"' in page.content.decode()
    api = client.get(VERIFY_API, {"token": url}).json()
    assert api == {
        "valid": True,
        "status": "issued",
        "serial": certificate.serial,
        "holder": name,
        "course": course.title,
        "hours": 4,
        "issued_on": certificate.completed_on.isoformat(),
        "issuer": "Học Số",
        "expires_on": None,
        "reason": None,
    }

    with django_capture_on_commit_callbacks(execute=True):  # the cache is cleared on commit
        services.certificate_revoke(
            certificate=certificate, actor=make_admin(), reason="Cấp nhầm người"
        )
    api = client.get(VERIFY_API, {"token": url}).json()
    assert (api["valid"], api["status"], api["reason"]) == (False, "revoked", "Cấp nhầm người")
    page = client.get(path_part).content.decode()
    assert 'data-status="revoked"' in page and "Cấp nhầm người" in page


def test_offline_verification_with_only_the_jwks(client, course, hblin, complete, tmp_path):
    certificate = complete(hblin, course)
    jwks = client.get("/.well-known/certificate-keys.json")
    assert jwks.status_code == 200
    (key,) = jwks.json()["keys"]
    assert (key["kty"], key["crv"], key["kid"]) == ("OKP", "Ed25519", certificate.key.kid)
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(jwks.content.decode())
    # A separate process whose database cannot even be reached: offline means no database.
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
        "LMS_VAR_DIR": str(tmp_path),
    }
    run = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "verify_certificate",
            certificate.verify_url,
            "--offline",
            "--keys",
            str(keys_file),
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert (data["status"], data["holder"], data["serial"]) == (
        "issued",
        "Ksor H'Blin",
        certificate.serial,
    )
    tampered = (
        certificate.token[:-3]
        + ("A" if certificate.token[-3] != "A" else "B")
        + certificate.token[-2:]
    )
    run = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "verify_certificate",
            tampered,
            "--offline",
            "--keys",
            str(keys_file),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 1 and "status: invalid" in run.stdout


def test_online_command(course, hblin, complete, capsys):
    certificate = complete(hblin, course)
    call_command("verify_certificate", certificate.token)
    assert "status: issued" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("verify_certificate", "garbage")
    assert "status: invalid" in capsys.readouterr().out


def _resign(claims, private):
    return signing.token_sign(claims, private)


def test_bad_tokens_get_the_right_status(client, course, hblin, complete):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    certificate = complete(hblin, course)
    key, private = services.signing_key_current()
    claims, _payload, _sig = signing.token_parse(certificate.token)
    stranger = Ed25519PrivateKey.generate()
    cases = {
        "truncated": (certificate.token[:-10], "invalid", "malformed"),
        "garbage": ("<script>alert(1)</script>", "invalid", "malformed"),
        "empty": ("", "invalid", "malformed"),
        "unknown key": (
            _resign(
                signing.Claims(**{**claims.__dict__, "kid": signing.key_id(stranger.public_key())}),
                stranger,
            ),
            "invalid",
            "unknown_key",
        ),
        "other key, our kid": (_resign(claims, stranger), "invalid", "bad_signature"),
        "unknown serial, valid signature": (
            _resign(signing.Claims(**{**claims.__dict__, "serial": "HS-2026-999999"}), private),
            "invalid",
            "unknown_serial",
        ),
        "changed name, valid signature": (
            _resign(signing.Claims(**{**claims.__dict__, "holder": "Ksor H'Blín"}), private),
            "invalid",
            "mismatch",
        ),
    }
    for label, (token, status, problem) in cases.items():
        result = selectors.certificate_verify(token)
        assert (result.status, result.problem) == (status, problem), label
        response = client.get(VERIFY_API, {"token": token})
        assert response.status_code == 200, label
        body = response.json()
        assert body["status"] == status and body["valid"] is False and body["reason"], label
        assert body["holder"] is None, label
    # Garbage in the page URL: a clear page, never a 500.
    for path in ["/v/%00%ff/", "/v/" + "A" * 5000 + "/", "/v/ab$cd/", "/v/..%2F..%2Fetc/"]:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        if response.status_code == 200:
            assert 'data-status="invalid"' in response.content.decode()


def test_api_in_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/certificates/verify"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["token"]
    out = schema["components"]["schemas"]["VerifyOut"]["properties"]
    assert set(out) == {
        "valid",
        "status",
        "serial",
        "holder",
        "course",
        "hours",
        "issued_on",
        "issuer",
        "expires_on",
        "reason",
    }


def test_verification_is_rate_limited_per_client(client, settings, course, hblin, complete):
    certificate = complete(hblin, course)
    settings.LMS_CERT_VERIFY_RATE = 3
    for _ in range(3):
        assert client.get(VERIFY_API, {"token": certificate.token}).status_code == 200
    limited = client.get(VERIFY_API, {"token": certificate.token})
    assert limited.status_code == 429 and limited.json()["detail"]
    page = client.get(f"/v/{certificate.token}/")
    assert page.status_code == 429
    assert "Too many attempts" in page.content.decode() or "Quá nhiều" in page.content.decode()
    # Another client is not affected.
    other = client.get(VERIFY_API, {"token": certificate.token}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_behind_a_proxy_each_client_has_its_own_limit(client, settings, course, hblin, complete):
    from django.core.cache import cache

    certificate = complete(hblin, course)
    settings.LMS_CERT_VERIFY_RATE = 2
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}  # every request arrives from the proxy

    def verify(forwarded_for):
        return client.get(
            VERIFY_API,
            {"token": certificate.token},
            HTTP_X_FORWARDED_FOR=forwarded_for,
            **proxy,
        ).status_code

    # The proxy appends the real client; what a client puts in front is not trusted.
    assert [verify("203.0.113.7"), verify("1.1.1.1, 203.0.113.7")] == [200, 200]
    assert verify("2.2.2.2, 203.0.113.7") == 429
    assert verify("198.51.100.9") == 200  # another client behind the same proxy
    # Fewer entries than proxies: counted as the peer, not an error.
    cache.clear()
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert verify("198.51.100.9") == 200


def test_verification_reads_through_the_cache(
    client, course, hblin, complete, django_assert_num_queries
):
    certificate = complete(hblin, course)
    client.get(VERIFY_API, {"token": certificate.token})
    # Keys and the certificate's state come from the cache: no query at all.
    with django_assert_num_queries(0):
        body = client.get(VERIFY_API, {"token": certificate.token}).json()
    assert body["status"] == "issued"


def test_key_rotation_keeps_old_certificates_valid(
    course, commune, complete, settings, tmp_path, capsys
):
    settings.LMS_CERT_SIGNING_KEY_FILE = tmp_path / "key.pem"
    old = complete(make_learner(unit=commune), course)
    call_command("certificate_keys", "--rotate", "--export", str(tmp_path / "jwks.json"))
    new = complete(make_learner(unit=commune), course)
    assert old.key_id != new.key_id
    assert new.key.active and not Certificate.objects.get(pk=old.pk).key.active
    assert selectors.certificate_verify(old.token).status == "issued"
    assert selectors.certificate_verify(new.token).status == "issued"
    keys = signing.jwks_keys((tmp_path / "jwks.json").read_text())
    assert set(keys) == {old.key.kid, new.key.kid}
    assert (tmp_path / f"key.pem.{old.key.kid}").exists()


def test_tools_are_installed():
    for tool in ("pdftotext", "pdftoppm", "zbarimg"):
        assert shutil.which(tool), tool


def test_cache_headers(client, course, hblin, complete):
    certificate = complete(hblin, course)
    api = client.get(VERIFY_API, {"token": certificate.token})
    assert "public" in api["Cache-Control"] and "max-age=60" in api["Cache-Control"]
    keys = client.get("/.well-known/certificate-keys.json")
    assert "public" in keys["Cache-Control"]
    page = client.get(f"/v/{certificate.token}/")
    assert "private" in page["Cache-Control"]  # the page carries the site header and forms
