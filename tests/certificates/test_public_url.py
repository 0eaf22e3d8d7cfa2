"""The public URL: production refuses a missing or loopback one (a system check); in
development, links and QR codes use the address the site is served on."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from certificates import signing
from certificates.checks import public_url_check
from core.public_url import DEVELOPMENT_URL, PublicUrlMiddleware, public_url
from courses.classes.handout import login_url
from tests.certificates.test_verification import qr_payload


def ids(settings, url, debug=False):
    settings.DEBUG = debug
    settings.LMS_PUBLIC_URL = url
    return [error.id for error in public_url_check()]


@pytest.mark.parametrize(
    "url, expected",
    [
        ("", ["certificates.E001"]),
        ("hocso.example.org", ["certificates.E002"]),
        ("ftp://hocso.example.org", ["certificates.E002"]),
        ("javascript:alert(1)", ["certificates.E002"]),
        ("https://", ["certificates.E002"]),
        ("http://127.0.0.1:8000", ["certificates.E003"]),
        ("http://127.8.9.10", ["certificates.E003"]),
        ("http://localhost:8000", ["certificates.E003"]),
        ("http://LOCALHOST.", ["certificates.E003"]),
        ("https://hocso.localhost", ["certificates.E003"]),
        ("http://[::1]:8000", ["certificates.E003"]),
        ("http://0.0.0.0:8000", ["certificates.E003"]),
        ("https://hocso.example.org", []),
        ("https://hocso.example.org:8443/lms", []),
        ("http://192.168.1.5:8000", []),  # a school's LAN server is reachable by phones there
        ("https://localhost.example.org", []),
    ],
)
def test_production_check(settings, url, expected):
    assert ids(settings, url) == expected


def test_development_needs_no_public_url(settings):
    assert ids(settings, "", debug=True) == []
    assert ids(settings, "http://127.0.0.1:8000", debug=True) == []


@pytest.mark.django_db
def test_check_command_fails_in_production_with_a_clear_message(settings, capsys):
    settings.DEBUG = False
    settings.LMS_PUBLIC_URL = "http://localhost:8000"
    with pytest.raises(SystemCheckError) as error:
        call_command("check", "--fail-level", "WARNING")
    assert "certificates.E003" in str(error.value)
    assert "LMS_PUBLIC_URL" in str(error.value) and "loopback" in str(error.value)
    settings.LMS_PUBLIC_URL = "https://hocso.example.org"
    call_command("check", "--fail-level", "WARNING")


def test_public_url_wins_when_set_even_during_a_request(settings, rf):
    settings.LMS_PUBLIC_URL = "https://hocso.example.org"
    seen = []
    middleware = PublicUrlMiddleware(lambda request: seen.append(public_url()))
    middleware(rf.get("/", HTTP_HOST="evil.example.com"))
    assert seen == ["https://hocso.example.org"]


def test_unset_uses_the_served_address_during_a_request_only(settings, rf):
    settings.LMS_PUBLIC_URL = ""
    seen = []
    middleware = PublicUrlMiddleware(lambda request: seen.append((public_url(), login_url())))
    middleware(rf.get("/x/", HTTP_HOST="192.168.1.5:8000"))
    middleware(rf.get("/x/", HTTP_HOST="hoc.lan", secure=True))
    assert seen == [
        ("http://192.168.1.5:8000", "http://192.168.1.5:8000/accounts/login/"),
        ("https://hoc.lan", "https://hoc.lan/accounts/login/"),
    ]
    assert public_url() == DEVELOPMENT_URL  # after the request: forgotten


def test_unset_with_a_host_not_allowed_falls_back(settings, rf):
    settings.LMS_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["hoc.lan"]
    seen = []
    PublicUrlMiddleware(lambda request: seen.append(public_url()))(
        rf.get("/", HTTP_HOST="attacker.example.com")
    )
    assert seen == [DEVELOPMENT_URL]


@pytest.mark.django_db
def test_certificate_issued_during_a_development_request_points_at_that_address(
    settings, rf, course, hblin, complete, tmp_path
):
    """Celery eager (development): the certificate is issued inside the learner's request,
    and its QR code carries the address the learner used."""
    settings.LMS_PUBLIC_URL = ""
    issued = []
    PublicUrlMiddleware(lambda request: issued.append(complete(hblin, course)))(
        rf.post("/", HTTP_HOST="10.1.2.3:8000")
    )
    certificate = issued[0]
    assert certificate.status == "issued"
    path = tmp_path / "c.pdf"
    path.write_bytes(certificate.pdf.open("rb").read())
    assert (
        qr_payload(path, tmp_path)
        == f"http://10.1.2.3:8000/v/{signing.qr_token(certificate.token)}/"
    )
