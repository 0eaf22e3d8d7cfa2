"""Media on an S3-compatible object store (LMS_S3_* settings, django-storages), against a real
S3-API server started here (moto's standalone server from PyPI, over HTTP; nothing patched
into boto3). A certificate PDF written by one machine is read by another configured only by
the same environment; objects are private; links to them are signed and short-lived."""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from lms.settings.base import media_storage
from tests.factories import make_learner

pytestmark = pytest.mark.django_db
BASE_DIR = Path(django_settings.BASE_DIR)


def test_media_storage_is_local_disk_without_a_bucket(monkeypatch):
    monkeypatch.delenv("LMS_S3_BUCKET", raising=False)
    assert media_storage()["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_certificate_pdf_on_the_object_store_and_read_by_another_machine(
    client, on_s3, course, commune, complete
):
    env, s3 = on_s3
    learner = make_learner(unit=commune, full_name="Nguyễn Thị Hương")
    certificate = complete(learner, course)
    assert certificate.status == "issued" and certificate.pdf
    key = f"media/{certificate.pdf.name}"
    stored = s3.get_object(Bucket=env["LMS_S3_BUCKET"], Key=key)["Body"].read()
    assert stored.startswith(b"%PDF")
    assert not (Path(django_settings.MEDIA_ROOT) / certificate.pdf.name).exists()

    # The holder downloads it through the app, which reads it from the store.
    client.force_login(learner)
    response = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored

    # Another machine, configured by the same environment only, reads the same object.
    other = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, sys; django.setup();"
            "from django.core.files.storage import default_storage as s;"
            f"sys.stdout.buffer.write(s.open({certificate.pdf.name!r}).read())",
        ],
        cwd=BASE_DIR,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "lms.settings.base"},
        capture_output=True,
        check=True,
    )
    assert other.stdout == stored


def test_objects_are_private_and_links_signed(on_s3, course, commune, complete):
    env, _s3 = on_s3
    certificate = complete(make_learner(unit=commune), course)
    url = certificate.pdf.url
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=120" in url
    with urllib.request.urlopen(url) as response:
        assert response.read().startswith(b"%PDF")
    bare = url.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(bare)
    assert refused.value.code == 403


def test_a_second_upload_of_the_same_name_does_not_overwrite(on_s3):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    first = default_storage.save("certificates/2026/same.pdf", ContentFile(b"%PDF-first"))
    second = default_storage.save("certificates/2026/same.pdf", ContentFile(b"%PDF-second"))
    assert first != second
    assert default_storage.open(first).read() == b"%PDF-first"
