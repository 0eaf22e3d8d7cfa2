"""H5P packages on the media object store (LMS_S3_BUCKET): the extracted files are published
there, so an app machine that did not import a package serves its files; a failed import
leaves nothing; deleting a package removes its content; a changed library is still detected.
Against a real S3-API server (tests/s3_support.py), nothing patched into boto3."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.h5p import storage
from courses.h5p.packages import h5p_package_delete_files, h5p_package_import

from .h5p_support import H5P_VALID, import_file, minimal_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def bucket(on_s3, settings, tmp_path):
    env, client = on_s3
    settings.MEDIA_ROOT = tmp_path / "media"  # this machine's disk: must stay empty of h5p
    name = env["LMS_S3_BUCKET"]

    def keys(prefix="media/h5p/"):
        found = client.list_objects_v2(Bucket=name, Prefix=prefix).get("Contents", [])
        return {item["Key"] for item in found}

    def body(key):
        return client.get_object(Bucket=name, Key=key)["Body"].read()

    return keys, body


def test_an_imported_package_is_on_the_store_and_served_from_it(client, bucket, settings):
    keys, body = bucket
    package = import_file(H5P_VALID / "H5P.TrueFalse.h5p")
    assert storage.shared()
    content = f"media/h5p/content/{package.uuid}/"
    assert f"{content}h5p.json" in keys() and f"{content}content/content.json" in keys()
    main = package.main_library
    library_json = f"media/h5p/libraries/{main.storage_folder}/library.json"
    assert library_json in keys()
    assert not (settings.MEDIA_ROOT / "h5p" / "content").exists(), "nothing local to serve"

    url = reverse("courses:h5p:file", args=[package.uuid, "content/content.json"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == body(f"{content}content/content.json")
    assert response["X-Content-Type-Options"] == "nosniff"
    url = reverse("courses:h5p:file", args=[package.uuid, f"libraries/{main.folder}/library.json"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == body(library_json)


@pytest.mark.parametrize(
    "path",
    [
        "content/../h5p.json",
        "content/./content.json",
        "content//content.json",
        "content/missing.json",
        "other/file.txt",
        "content/%00.json",
    ],
)
def test_odd_paths_answer_404_on_the_store(client, bucket, path):
    package = h5p_package_import(upload=minimal_zip(), user=None)
    assert client.get(reverse("courses:h5p:file", args=[package.uuid, path])).status_code == 404


def test_a_refused_package_leaves_nothing_on_the_store(bucket):
    keys, _body = bucket
    with pytest.raises(ValidationError):
        h5p_package_import(upload=minimal_zip(drop=("h5p.json",)), user=None)
    assert keys() == set()


def test_a_failure_after_publishing_removes_what_was_published(bucket, monkeypatch):
    """The database row and the files go together: an error at the last step (here the
    content's upload) removes the new library's files too."""
    keys, _body = bucket
    from courses.h5p import packages

    real = packages.tree_publish

    def failing(source, prefix, storage=None):
        if prefix.startswith("h5p/content/"):
            raise OSError("the store went away")
        return real(source, prefix, storage)

    monkeypatch.setattr(packages, "tree_publish", failing)
    with pytest.raises(OSError):
        h5p_package_import(upload=minimal_zip(), user=None)
    assert keys() == set()


def test_deleting_a_package_removes_its_content_and_keeps_libraries(bucket):
    keys, _body = bucket
    package = h5p_package_import(upload=minimal_zip(), user=None)
    h5p_package_delete_files(package_uuid=package.uuid)
    assert not {k for k in keys() if k.startswith(f"media/h5p/content/{package.uuid}/")}
    assert {k for k in keys() if k.startswith("media/h5p/libraries/")}


def test_different_code_for_an_installed_library_is_detected_on_the_store(bucket):
    keys, body = bucket
    first = h5p_package_import(upload=minimal_zip(), user=None)
    js = f"media/h5p/libraries/{first.main_library.storage_folder}/greeting.js"
    original = body(js)
    tampered = minimal_zip({"H5P.Greeting-1.0/greeting.js": b"stealCookies();"})
    with pytest.raises(ValidationError) as caught:
        h5p_package_import(upload=tampered, user=None)
    assert {e.code for e in caught.value.error_list} == {"library_changed"}
    assert body(js) == original
    # The same files again are not a change.
    h5p_package_import(upload=minimal_zip(), user=None)
    h5p_package_import(upload=tampered, user=None, approve_library_changes=True)
    assert body(js) == b"stealCookies();"
