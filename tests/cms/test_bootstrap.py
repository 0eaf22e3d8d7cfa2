"""`manage.py bootstrap` makes an empty database usable, and running it again changes nothing."""

import stat

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from certificates.models import SigningKey
from cms.models import HomePage
from courses.models import CourseIndexPage
from people.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_like(settings, tmp_path, monkeypatch):
    settings.LMS_PUBLIC_URL = "https://hocso.example.org"
    settings.LMS_CERT_SIGNING_KEY = ""
    settings.LMS_CERT_SIGNING_KEY_FILE = str(tmp_path / "keys" / "signing.pem")
    settings.LMS_CERT_SIGNING_KEY_AUTOGENERATE = False  # as in production
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "QuanTri")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "mật-khẩu-rất-dài-2026")
    return tmp_path / "keys" / "signing.pem"


def state():
    return {
        "pages": sorted(Page.objects.values_list("pk", "slug", "depth")),
        "sites": sorted(Site.objects.values_list("pk", "hostname", "port", "root_page_id")),
        "units": OrgUnit.objects.count(),
        "users": sorted(get_user_model().objects.values_list("pk", "username", "password")),
        "keys": sorted(SigningKey.objects.values_list("kid", "active")),
        "groups": sorted(Group.objects.values_list("name", flat=True)),
    }


def test_an_empty_database_becomes_usable_and_a_second_run_changes_nothing(production_like):
    key_file = production_like
    assert not HomePage.objects.exists() and not SigningKey.objects.exists()
    call_command("bootstrap", "--provinces", "52", verbosity=0)

    home = HomePage.objects.get()
    assert CourseIndexPage.objects.child_of(home).live().get().slug == "courses"
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_page_id) == ("hocso.example.org", 443, home.pk)
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()  # Wagtail's
    province = OrgUnit.objects.get(code="52")
    assert province.name == "Gia Lai" and province.get_children().count() > 100
    admin = get_user_model().objects.get(username="quantri")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password("mật-khẩu-rất-dài-2026")
    assert SigningKey.objects.filter(active=True).count() == 1
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert {"Trainers", "Managers"} <= set(Group.objects.values_list("name", flat=True))
    private = key_file.read_bytes()

    before = state()
    call_command("bootstrap", "--provinces", "52", verbosity=0)
    assert state() == before
    assert key_file.read_bytes() == private


def test_an_existing_administrator_is_never_changed(production_like, monkeypatch):
    call_command("bootstrap", "--no-units", verbosity=0)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "another-password-entirely")
    call_command("bootstrap", "--no-units", verbosity=0)
    assert get_user_model().objects.get(username="quantri").check_password("mật-khẩu-rất-dài-2026")


def test_bad_input_is_refused_with_the_reason(production_like, settings, monkeypatch):
    with pytest.raises(CommandError, match="99"):
        call_command("bootstrap", "--provinces", "99", verbosity=0)
    assert not HomePage.objects.exists()  # one transaction: nothing half-made
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "")
    with pytest.raises(CommandError, match="DJANGO_SUPERUSER_PASSWORD"):
        call_command("bootstrap", "--no-units", verbosity=0)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "x" * 20)
    settings.LMS_CERT_SIGNING_KEY = "not a key"
    with pytest.raises(CommandError, match="signing key"):
        call_command("bootstrap", "--no-units", verbosity=0)
