"""Certificates that expire: a course's validity in months becomes the certificate's last valid
day, the CWT's registered `exp` claim (checked with pycose/cbor2, not our code), the
credential's `validUntil` and a line on the PDF; past it, the page, the API and the command
(online and offline) say "expired". Certificates of courses without a validity carry no `exp`."""

import base64
import datetime
import json
import subprocess
import sys
from zoneinfo import ZoneInfo

import cbor2
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from pycose.messages import CoseMessage

from certificates import integrity, selectors, services, signing
from certificates.models import Certificate
from tests.certificates.test_cose_interop import jwks_cose_keys
from tests.certificates.test_verification import VERIFY_API, download, pdf_text
from tests.factories import make_admin, make_learner

pytestmark = pytest.mark.django_db

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
HEADINGS = {"vi": "Chứng nhận đã hết hiệu lực", "en": "Expired certificate"}


@pytest.fixture
def yearly(course):
    course.certificate_valid_months = 12
    course.save()
    return course


@pytest.fixture
def learner(commune):
    return make_learner(unit=commune, full_name="Nguyễn Thị Hương", username="huong")


def expire(certificate, last_day: datetime.date) -> str:
    """Re-sign the certificate's token with a last valid day of `last_day` (our own key, as
    if it had been issued long ago) and store it; the new token."""
    claims, _payload, _signature = signing.token_parse(certificate.token)
    token = signing.token_sign(
        signing.Claims(**{**claims.__dict__, "expires_on": last_day}), signing.private_key_load()
    )
    Certificate.objects.filter(pk=certificate.pk).update(token=token, expires_on=last_day)
    cache.clear()
    return token


def today():
    return timezone.localdate()


@pytest.mark.parametrize(
    "completed, months, last_day",
    [
        (datetime.date(2026, 12, 7), 24, datetime.date(2028, 12, 6)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 3, 1), 1, datetime.date(2026, 3, 31)),
        (datetime.date(2026, 11, 15), 2, datetime.date(2027, 1, 14)),
        (datetime.date(2026, 11, 15), None, None),
        (datetime.date(2026, 11, 15), 0, None),
    ],
)
def test_expiry_date(completed, months, last_day):
    assert services.expiry_date(completed, months) == last_day


def test_expiring_certificate_carries_exp_for_any_cose_library(
    client, yearly, learner, complete, tmp_path
):
    certificate = complete(learner, yearly)
    last_day = services.expiry_date(certificate.completed_on, 12)
    assert certificate.expires_on == last_day
    # pycose verifies the token with the published key; cbor2 reads the claims.
    raw = base64.urlsafe_b64decode(certificate.token + "=" * (-len(certificate.token) % 4))
    message = CoseMessage.decode(raw)
    message.key = jwks_cose_keys(client)[certificate.key.kid]
    assert message.verify_signature()
    claims = cbor2.loads(message.payload)
    next_midnight = datetime.datetime.combine(
        last_day + datetime.timedelta(days=1), datetime.time(), VIETNAM
    )
    assert claims[4] == int(next_midnight.timestamp())  # exp: epoch seconds, an integer
    assert signing.token_parse(certificate.token)[0].expires_on == last_day
    # The credential says the same, and the PDF prints it.
    assert certificate.credential["validUntil"] == integrity.format_datetime(next_midnight)
    integrity.check_credential(certificate.credential)
    text = pdf_text(download(client, learner, certificate, tmp_path))
    assert f"Valid until: {last_day:%d/%m/%Y}" in text
    assert "Có giá trị đến" in text
    body = client.get(VERIFY_API, {"token": certificate.token}).json()
    assert (body["status"], body["valid"], body["expires_on"]) == (
        "issued",
        True,
        last_day.isoformat(),
    )


def test_certificates_that_never_expire_carry_no_exp(client, course, learner, complete, tmp_path):
    certificate = complete(learner, course)
    assert certificate.expires_on is None
    payload = cbor2.loads(CoseMessage.decode(signing.b64url_decode(certificate.token)).payload)
    assert 4 not in payload
    assert "validUntil" not in certificate.credential
    assert "Valid until" not in pdf_text(download(client, learner, certificate, tmp_path))


def test_version_1_tokens_have_no_expiry():
    key = signing.private_key_load()
    claims = signing.Claims(
        kid=signing.key_id(key.public_key()),
        serial="HS-2026-000001",
        holder="A",
        course="B",
        hours=1,
        completed_on=datetime.date(2026, 1, 1),
        issuer="C",
        expires_on=datetime.date(2020, 1, 1),  # not representable in version 1: dropped
    )
    parsed = signing.token_parse(signing.token_sign_v1(claims, key))[0]
    assert parsed.expires_on is None


@pytest.mark.parametrize("language", ["vi", "en"])
def test_expired_on_the_page_the_api_and_the_command(
    client, yearly, learner, complete, language, capsys
):
    certificate = complete(learner, yearly)
    yesterday = today() - datetime.timedelta(days=1)
    token = expire(certificate, yesterday)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = BeautifulSoup(client.get(f"/v/{token}/").content, "html.parser")
    article = html.select_one("article.verify")
    assert article["data-state"] == "expired" and article["data-status"] == "expired"
    box = article.select_one("section.verdict-box")
    assert "verdict-expired" in box["class"]
    assert box.select_one("svg.verdict-icon")["aria-hidden"] == "true"
    assert box.h1.get_text(" ", strip=True) == HEADINGS[language]
    assert f"{yesterday:%d/%m/%Y}" in box.get_text()
    assert article.select_one("dd.expires-on").get_text(strip=True) == f"{yesterday:%d/%m/%Y}"
    # Still genuine: its facts and its credential are there, marked expired.
    assert article.select_one("dd.holder").get_text() == "Nguyễn Thị Hương"
    assert client.get(f"/v/{token}/credential.json").status_code == 200

    body = client.get(VERIFY_API, {"token": token}).json()
    assert (body["status"], body["valid"], body["expires_on"]) == (
        "expired",
        False,
        yesterday.isoformat(),
    )
    with pytest.raises(SystemExit) as exited:
        call_command("verify_certificate", token)
    assert exited.value.code == 1
    assert "status: expired" in capsys.readouterr().out


def test_expired_offline_with_only_the_jwks(client, yearly, learner, complete, tmp_path):
    certificate = complete(learner, yearly)
    token = expire(certificate, today() - datetime.timedelta(days=1))
    keys = tmp_path / "keys.json"
    keys.write_text(client.get("/.well-known/certificate-keys.json").content.decode())
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
        "LMS_VAR_DIR": str(tmp_path),
    }
    command = [sys.executable, "manage.py", "verify_certificate", "--offline", "--keys", str(keys)]
    run = subprocess.run([*command, token], capture_output=True, text=True, env=env)
    assert run.returncode == 1, run.stderr
    assert "status: expired" in run.stdout
    run = subprocess.run([*command, token, "--json"], capture_output=True, text=True, env=env)
    assert json.loads(run.stdout)["status"] == "expired" and run.returncode == 1
    # Its last day is still valid.
    token = expire(certificate, today())
    run = subprocess.run([*command, token], capture_output=True, text=True, env=env)
    assert run.returncode == 0 and "status: issued" in run.stdout


def test_last_valid_day_and_revoked_wins(client, yearly, learner, complete):
    certificate = complete(learner, yearly)
    token = expire(certificate, today())
    assert selectors.certificate_verify(token).status == "issued"
    assert selectors.expired(signing.token_parse(token)[0], today() + datetime.timedelta(days=1))
    token = expire(certificate, today() - datetime.timedelta(days=400))
    services.certificate_revoke(
        certificate=Certificate.objects.get(pk=certificate.pk), actor=make_admin(), reason="Sai"
    )
    cache.clear()
    assert selectors.certificate_verify(token).status == "revoked"


def test_exp_must_be_one_we_write(yearly, learner, complete):
    """Forged or odd `exp` values (signed with our key, so only the parser can refuse them)."""
    certificate = complete(learner, yearly)
    message = CoseMessage.decode(signing.b64url_decode(certificate.token))
    protected = signing.cbor_encode(message.phdr_encoded and cbor2.loads(message.phdr_encoded))
    private = signing.private_key_load()
    payload = cbor2.loads(message.payload)
    good = payload[4]
    for exp in [good + 1, good - 3600, -5, 0, True, "2027-01-01", 2**70, 1.5]:
        fields = {**payload, 4: exp}
        data = signing.cbor_encode(fields)
        signature = private.sign(signing._sig_structure(protected, data))
        token = signing.b64url_encode(
            signing.cbor_encode(cbor2.CBORTag(18, [protected, {}, data, signature]))
        )
        with pytest.raises(signing.TokenError) as caught:
            signing.token_verify(token, selectors._verifying_keys())
        assert caught.value.code == "malformed", exp


def test_validity_is_a_course_setting_snapshotted_at_issuance(yearly, learner, complete):
    from courses.models import CoursePage

    groups = [
        {getattr(child, "field_name", None) for child in getattr(panel, "children", [])}
        for panel in CoursePage.content_panels
    ]
    # In the editor, beside the other certificate settings.
    assert any({"certifying", "certificate_valid_months"} <= fields for fields in groups)
    certificate = complete(learner, yearly)
    expires_on = certificate.expires_on
    yearly.certificate_valid_months = None
    yearly.save()
    certificate.refresh_from_db()
    assert certificate.expires_on == expires_on
    assert signing.token_parse(certificate.token)[0].expires_on == expires_on
