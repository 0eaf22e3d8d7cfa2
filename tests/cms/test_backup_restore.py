"""The restore drill: back up a site with an issued certificate, restore it into a fresh
database, media folder and key location (another process, configured only by its
environment), and the old certificate still verifies, its PDF is there and the private key
can sign again; no session is needed. Bad passphrases, damaged files and non-empty targets
are refused before anything is written."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection

from certificates import signing
from tests.factories import make_course, make_learner, make_unit, site_home

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BASE_DIR = Path(django_settings.BASE_DIR)
PASSPHRASE = "một cụm mật khẩu dài cho bản sao lưu"


def _complete(user, course):
    from courses.services import enrolment_complete, enrolment_create

    enrolment, _ = enrolment_create(user=user, course=course)
    enrolment_complete(enrolment=enrolment, evidence="assessment")  # Celery eager, committed
    return enrolment.certificates.get()


@pytest.fixture
def site_with_a_certificate():
    site_home()
    commune = make_unit("Xã Ia Grai", parent=make_unit("Gia Lai"))
    course = make_course("Kỹ năng số cơ bản", lessons=1)
    certificate = _complete(make_learner(unit=commune, full_name="Rơ Lan H'Hiền"), course)
    assert certificate.status == "issued" and certificate.pdf
    return certificate


@pytest.fixture
def target(tmp_path):
    """A fresh database (of the suite's engine), media folder and key location."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
        server = f"postgres://{db['USER'] or 'postgres'}@{host}:{port}"
        name = f"hocso_restore_{worker}"
        drop = ["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"]
        subprocess.run(drop, check=True, capture_output=True)
        subprocess.run(["psql", f"{server}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
        url = f"{server}/{name}"
    else:
        drop, url = None, f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LMS_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.base",
        DATABASE_URL=url,
        LMS_VAR_DIR=str(tmp_path / "restored-var"),
        MEDIA_ROOT=str(tmp_path / "restored-media"),
        LMS_CERT_SIGNING_KEY_FILE=str(tmp_path / "restored-keys" / "signing.pem"),
        LMS_CERT_SIGNING_KEY_AUTOGENERATE="false",
        LMS_BACKUP_PASSPHRASE=PASSPHRASE,
    )
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    yield env
    if drop:
        subprocess.run(drop, capture_output=True)


def manage(env, *args, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=check,
    )


def test_restore_drill(site_with_a_certificate, target, tmp_path, monkeypatch):
    certificate = site_with_a_certificate
    original_pdf = certificate.pdf.read()
    monkeypatch.setenv("LMS_BACKUP_PASSPHRASE", PASSPHRASE)
    call_command("backup", output=tmp_path / "backup")
    assert {p.name for p in (tmp_path / "backup").iterdir()} >= {"manifest.json", "keys.enc"}
    key_text = signing.key_file().read_bytes()
    assert key_text not in (tmp_path / "backup" / "keys.enc").read_bytes()  # encrypted

    restored = manage(target, "restore", "--input", str(tmp_path / "backup"))
    assert "restored the backup" in restored.stdout

    verified = manage(target, "verify_certificate", certificate.verify_url, check=False)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "status: issued" in verified.stdout and "Rơ Lan H'Hiền" in verified.stdout
    probe = (
        "import django, sys; django.setup();"
        "from certificates.models import Certificate; from certificates import signing;"
        "from django.contrib.sessions.models import Session;"
        f"c = Certificate.objects.get(serial={certificate.serial!r});"
        "sys.stdout.buffer.write(c.pdf.read());"
        "assert signing.private_key_for(c.key.kid) is not None, 'private key';"
        "assert not Session.objects.exists()"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=BASE_DIR, env=target, capture_output=True
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert result.stdout == original_pdf
    restored_key = Path(target["LMS_CERT_SIGNING_KEY_FILE"])
    assert restored_key.read_bytes() == key_text and (restored_key.stat().st_mode & 0o777) == 0o600

    # A second restore into the now full database is refused.
    again = manage(target, "restore", "--input", str(tmp_path / "backup"), check=False)
    assert again.returncode != 0 and "not empty" in again.stderr


def test_bad_passphrase_damage_and_reuse_are_refused(
    site_with_a_certificate, target, tmp_path, monkeypatch
):
    monkeypatch.setenv("LMS_BACKUP_PASSPHRASE", "short")
    with pytest.raises(CommandError, match="12 characters"):
        call_command("backup", output=tmp_path / "weak")
    assert not any((tmp_path / "weak").iterdir())
    monkeypatch.setenv("LMS_BACKUP_PASSPHRASE", PASSPHRASE)
    backup_dir = tmp_path / "backup"
    call_command("backup", output=backup_dir)
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", output=backup_dir)

    wrong = manage(
        {**target, "LMS_BACKUP_PASSPHRASE": "another long passphrase"},
        "restore",
        "--input",
        str(backup_dir),
        check=False,
    )
    assert wrong.returncode != 0 and "wrong LMS_BACKUP_PASSPHRASE" in wrong.stderr
    assert not Path(target["LMS_CERT_SIGNING_KEY_FILE"]).exists()

    damaged = backup_dir / "keys.enc"
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    refused = manage(target, "restore", "--input", str(backup_dir), check=False)
    assert refused.returncode != 0 and "checksum mismatch" in refused.stderr
    listed = manage(target, "showmigrations", "--list", "wagtailcore", check=False)
    assert "[X]" not in listed.stdout  # nothing was loaded
    nothing = manage(target, "restore", "--input", str(tmp_path), check=False)
    assert nothing.returncode != 0 and "no manifest.json" in nothing.stderr
