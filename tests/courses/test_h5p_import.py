"""Importing packages: every shared valid package imports, libraries are stored once per
version and shared, only administrators bring new library versions, the admin upload and
`import_h5p` use the same rules, and extracted files are served safely."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.urls import reverse

from courses.h5p import storage
from courses.h5p.packages import h5p_package_import
from courses.models import H5PLibrary, H5PPackage
from courses.services import authoring_roles_setup
from tests.factories import make_admin, make_trainer, make_unit
from tests.shared_data import shared as shared_data

from .h5p_support import H5P_VALID, import_file, minimal_zip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_every_valid_package_imports_and_libraries_are_shared():
    packages, approved = [], []
    for path in sorted(shared_data("h5p", "valid").glob("*.h5p")):
        try:
            packages.append(import_file(path))
        except ValidationError as error:
            # Two real packages ship H5P.TrueFalse 1.6.1 (and JoubelUI 1.3.9, Question 1.4.6)
            # with different code under the same version: the second needs an approval.
            assert {e.code for e in error.error_list} == {"library_changed"}, path.name
            with path.open("rb") as upload:
                packages.append(
                    h5p_package_import(upload=upload, user=None, approve_library_changes=True)
                )
            approved.append(path.name)
    assert approved == ["h5p-standalone-test-TrueFalse.h5p"]
    assert len(packages) == 8
    for package in packages:
        assert (storage.content_dir(package.uuid) / "h5p.json").is_file()
        assert (storage.content_dir(package.uuid) / "content" / "content.json").is_file()
        for library in package.libraries.all():
            assert (storage.library_dir(library.storage_folder) / "library.json").is_file()
    # Each version is one row and one folder, however many packages bring it.
    versions = set(
        H5PLibrary.objects.values_list(
            "machine_name", "major_version", "minor_version", "patch_version"
        )
    )
    assert len(versions) == H5PLibrary.objects.count()
    folders = list((storage.h5p_root() / "libraries").iterdir())
    assert len(folders) == H5PLibrary.objects.count()
    multi = H5PPackage.objects.get(title="Multiple Choice")
    assert multi.main_library.machine_name == "H5P.MultiChoice"
    assert multi.main_library.version.startswith("1.14.")
    assert multi.license == "U"
    shared = H5PLibrary.objects.annotate(n=Count("packages")).order_by("-n").first()
    assert shared.n >= 4  # e.g. jQuery.ui or H5P.Question, brought by several packages


def test_trainer_may_not_bring_a_new_library_but_may_reuse_known_ones():
    unit = make_unit("Gia Lai")
    trainer = make_trainer(scope=unit)
    with pytest.raises(ValidationError) as caught:
        import_file(H5P_VALID / "H5P.TrueFalse.h5p", user=trainer)
    assert {e.code for e in caught.value.error_list} == {"new_library"}
    assert not H5PPackage.objects.exists() and not H5PLibrary.objects.exists()
    import_file(H5P_VALID / "H5P.TrueFalse.h5p", user=make_admin())
    package = import_file(H5P_VALID / "H5P.TrueFalse.h5p", user=trainer)
    assert package.uploaded_by == trainer
    assert H5PPackage.objects.count() == 2


def test_known_library_is_never_overwritten_by_a_later_upload():
    first = h5p_package_import(upload=minimal_zip(), user=None)
    library = first.main_library
    js = storage.library_dir(library.storage_folder) / "greeting.js"
    original = js.read_bytes()
    tampered = minimal_zip({"H5P.Greeting-1.0/greeting.js": b"stealCookies();"})
    # Different code for an installed version is refused without an administrator's approval
    # (tests/courses/test_h5p_core.py covers the approval).
    with pytest.raises(ValidationError) as caught:
        h5p_package_import(upload=tampered, user=None)
    assert {e.code for e in caught.value.error_list} == {"library_changed"}
    assert js.read_bytes() == original
    assert H5PLibrary.objects.count() == 1


def test_import_command(capsys):
    out, err = StringIO(), StringIO()
    call_command(
        "import_h5p", str(shared_data("h5p", "negative", "valid2.h5p")), stdout=out, stderr=err
    )
    assert "Greeting card" in out.getvalue()
    with pytest.raises(CommandError):
        call_command(
            "import_h5p",
            str(shared_data("h5p", "negative", "missing-preloaded-js.h5p")),
            str(shared_data("h5p", "negative", "corrupt_archive.h5p")),
            stdout=out,
            stderr=err,
        )
    assert "H5P.GreetingCard-1.0/greetingcard.js" in err.getvalue()
    assert "corrupt_archive.h5p" in err.getvalue()
    assert H5PPackage.objects.count() == 1


def upload(client, data: bytes, name="a.h5p", title=""):
    return client.post(
        reverse("wagtailsnippets_courses_h5ppackage:add"),
        {"package_file": SimpleUploadedFile(name, data), "title": title, "license": ""},
    )


def test_admin_upload_rules(client):
    authoring_roles_setup()
    trainer = make_trainer(scope=make_unit("Gia Lai"))
    client.force_login(trainer)
    data = shared_data("h5p", "negative", "valid2.h5p").read_bytes()
    response = upload(client, data)
    assert response.status_code == 200
    # In Vietnamese (the default language): which library, and who may add it.
    assert "H5P.GreetingCard 1.0.6: gói này mang theo một thư viện H5P" in response.content.decode()
    assert "chỉ quản trị viên mới được tải lên" in response.content.decode()
    assert not H5PPackage.objects.exists()
    response = upload(client, shared_data("h5p", "negative", "xss-svg.h5p").read_bytes())
    assert "content/images/xss.svg" in response.content.decode()
    client.force_login(make_admin())
    response = upload(client, data, title="Thiệp")
    assert response.status_code == 302
    package = H5PPackage.objects.get()
    assert package.title == "Thiệp"
    client.force_login(trainer)
    response = upload(client, data)
    assert response.status_code == 302
    assert H5PPackage.objects.count() == 2
    edit = client.get(reverse("wagtailsnippets_courses_h5ppackage:edit", args=[package.pk]))
    assert edit.status_code == 200
    assert "H5P.GreetingCard 1.0.6" in edit.content.decode()


def test_files_are_served_with_nosniff_and_sandbox(client):
    package = import_file(H5P_VALID / "H5P.MultiChoice.h5p")
    url = reverse("courses:h5p:file", args=[package.uuid, "h5p.json"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Security-Policy"].startswith("sandbox")
    lib = package.main_library
    js = reverse("courses:h5p:file", args=[package.uuid, f"libraries/{lib.folder}/library.json"])
    assert client.get(js).status_code == 200
    for bad in ("libraries/../h5p.json", "content/../../x", "other.txt", "libraries/Nope-1.0/a.js"):
        assert client.get(reverse("courses:h5p:file", args=[package.uuid, bad])).status_code == 404


def test_demo_activity_is_seeded_when_the_test_data_is_there(home, tmp_path):
    from courses.h5p.demo import DEMO_LESSON_SLUG, demo_h5p_seed
    from courses.models import LessonPage
    from tests.factories import make_course

    course = make_course(slug="tin-hoc-co-ban")
    assert "skipped" in demo_h5p_seed(path=tmp_path / "absent.h5p")
    assert not H5PPackage.objects.exists()
    shared_data("h5p", "valid", "H5P.MultiChoice.h5p")  # the demo's package (skip without it)
    assert "placed" in demo_h5p_seed()
    assert "already" in demo_h5p_seed()
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    assert lessons[-2].slug == DEMO_LESSON_SLUG and lessons[-1].has_quiz
    assert lessons[-2].has_required_activity and not lessons[-2].required
