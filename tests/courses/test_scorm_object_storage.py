"""SCORM packages on the media object store (LMS_S3_BUCKET), as H5P's are
(test_h5p_object_storage): the extracted files are published there, so an app machine that
did not import a package serves them; a refused or failed import leaves nothing; deleting a
package removes its files. Against a real S3-API server (tests/s3_support.py), nothing
patched into boto3."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.scorm.packages import (
    content_dir,
    scorm_package_delete_files,
    scorm_package_import,
)
from tests.factories import make_learner, make_unit

from .scorm_support import import_file, scorm_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def bucket(on_s3, settings, tmp_path):
    env, client = on_s3
    settings.MEDIA_ROOT = tmp_path / "media"  # this machine's disk: must stay empty of scorm
    name = env["LMS_S3_BUCKET"]

    def keys(prefix="media/scorm/"):
        found = client.list_objects_v2(Bucket=name, Prefix=prefix).get("Contents", [])
        return {item["Key"] for item in found}

    def body(key):
        return client.get_object(Bucket=name, Key=key)["Body"].read()

    return keys, body


def test_an_imported_package_is_on_the_store_and_served_from_it(client, bucket, home):
    keys, body = bucket
    package = import_file("golf_CPSingleSCO_SCORM12.zip")
    content = f"media/scorm/content/{package.uuid}/"
    assert f"{content}imsmanifest.xml" in keys()
    launch = package.launch.split("?")[0]
    assert f"{content}{launch}" in keys()
    assert not content_dir(package.uuid).exists(), "nothing local to serve"

    client.force_login(make_learner(unit=make_unit("Gia Lai")))  # a shared package
    for path in ("imsmanifest.xml", launch):
        response = client.get(reverse("courses:scorm:file", args=[package.uuid, path]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == body(f"{content}{path}")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "form-action 'none'" in response["Content-Security-Policy"]
    html = client.get(reverse("courses:scorm:file", args=[package.uuid, launch]))
    assert html["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize(
    "path",
    [
        "../imsmanifest.xml",
        "./index.html",
        "shared//index.html",
        "missing.html",
        "%00.html",
    ],
)
def test_odd_paths_answer_404_on_the_store(client, bucket, home, path):
    package = scorm_package_import(upload=scorm_zip())
    client.force_login(make_learner(unit=make_unit("Gia Lai")))
    url = reverse("courses:scorm:file", args=[package.uuid, "x"]).removesuffix("x") + path
    assert client.get(url).status_code == 404


def test_a_refused_package_leaves_nothing_on_the_store(bucket):
    keys, _body = bucket
    with pytest.raises(ValidationError):
        scorm_package_import(upload=scorm_zip(drop=("imsmanifest.xml",)))
    assert keys() == set()


def test_a_failure_while_publishing_removes_what_was_published(bucket, monkeypatch):
    """The database row and the files go together: an error during the upload (after some
    files reached the store) leaves neither."""
    keys, _body = bucket
    from courses.models import ScormPackage
    from courses.scorm import packages

    real = packages.tree_publish

    def failing(source, prefix, storage=None):
        real(source, prefix, storage)
        raise OSError("the store went away")

    monkeypatch.setattr(packages, "tree_publish", failing)
    with pytest.raises(OSError):
        scorm_package_import(upload=scorm_zip())
    assert keys() == set()
    assert not ScormPackage.objects.exists()


def test_deleting_a_package_removes_its_files(bucket):
    keys, _body = bucket
    package = scorm_package_import(upload=scorm_zip())
    other = scorm_package_import(upload=scorm_zip())
    scorm_package_delete_files(package_uuid=package.uuid)
    assert not {k for k in keys() if k.startswith(f"media/scorm/content/{package.uuid}/")}
    assert f"media/scorm/content/{other.uuid}/index.html" in keys()
