"""Importing SCORM packages: every real package in the shared test data imports, every broken
one is refused with its reason (nothing stored), hostile packages made here are refused
(traversal, absolute paths, symlinks, bombs, sizes, file types, XML entities, external
launch), only administrators upload, and the extracted files are served under a strict CSP."""

import stat
import zipfile
from io import BytesIO, StringIO

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from courses.models import ScormPackage
from courses.scorm.packages import content_dir, scorm_package_import, scorm_root
from courses.services import authoring_roles_setup
from tests.factories import make_admin, make_learner, make_trainer, make_unit
from tests.shared_data import shared

from .scorm_support import MANIFEST_12, NEGATIVE, VALID, files_of, import_file, scorm_zip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def nothing_stored():
    content = scorm_root() / "content"
    return not ScormPackage.objects.exists() and (
        not content.exists() or not any(content.iterdir())
    )


EXPECTED = {
    "golf_CPSingleSCO_SCORM12.zip": ("1.2", "shared/launchpage.html"),
    "golf_RuntimeBasicCalls_SCORM20043rdEdition.zip": ("2004", "shared/launchpage.html"),
    "golf_4thEditionFeatures_SCORM20044th.zip": (
        "2004",
        "shared/launchpage.html?content=playing",
    ),
    "scorm-debugger_multisco_SCORM12.zip": ("1.2", "index.html"),
}


@pytest.mark.parametrize("name", VALID)
def test_each_real_package_imports(name):
    package = import_file(name)
    version, launch = EXPECTED[name]
    assert (package.version, package.launch) == (version, launch)
    assert package.title
    folder = content_dir(package.uuid)
    stored = files_of(folder)
    assert "imsmanifest.xml" in stored
    assert launch.split("?")[0] in stored
    assert package.file_count == len(stored)
    # Operating-system debris is never extracted.
    assert not any(p.startswith("__MACOSX/") or p.endswith(".DS_Store") for p in stored)
    assert package.items and all(item["href"] for item in package.items)


def test_the_multi_sco_package_lists_its_items():
    package = import_file("scorm-debugger_multisco_SCORM12.zip")
    titles = [item["title"] for item in package.items]
    assert "The first content (one SCO)" in titles and "Sub-Sub-SCO" in titles
    assert {item["sco"] for item in package.items} == {True, False}  # one item is an asset


@pytest.mark.parametrize("name", sorted(NEGATIVE))
def test_each_broken_real_package_is_refused_with_its_reason(name):
    with pytest.raises(ValidationError) as caught:
        import_file(name, folder="negative")
    assert codes(caught.value) == {NEGATIVE[name]}
    assert nothing_stored()


def test_refusals_are_in_vietnamese():
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        import_file("aicc_only.zip", folder="negative")
    message = " ".join(caught.value.messages)
    assert "AICC" in message and "SCORM 1.2" in message
    assert "not supported" not in message, message


def symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


HOSTILE = {
    "traversal": (scorm_zip({"../../evil.html": b"x"}), "unsafe_path"),
    "absolute": (scorm_zip({"/etc/cron.d/evil.js": b"x"}), "unsafe_path"),
    "backslash": (scorm_zip({"..\\evil.html": b"x"}), "unsafe_path"),
    "symlink": (scorm_zip(infos=[(symlink("link.html"), b"/etc/passwd")]), "symlink"),
    "executable": (scorm_zip({"setup.exe": b"MZ"}), "file_type"),
    "server_script": (scorm_zip({"shell.php": b"<?php ?>"}), "file_type"),
    "bomb": (scorm_zip({"zeros.txt": b"\0" * (8 * 1024 * 1024)}), "zip_bomb"),
    "external_launch": (scorm_zip(href="https://evil.example/sco.html"), "external_launch"),
    "missing_launch": (scorm_zip(href="nowhere.html"), "missing_launch"),
    "escaping_launch": (scorm_zip(href="../index.html"), "missing_launch"),
    "manifest_in_folder": (
        scorm_zip({"course/imsmanifest.xml": MANIFEST_12.format(href="index.html").encode()},
                  drop=("imsmanifest.xml",)),
        "missing_manifest",
    ),
    "entities": (
        scorm_zip(
            manifest='<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">'
            '<!ENTITY b "&a;&a;&a;&a;">]><manifest>&b;</manifest>'
        ),
        "manifest_entities",
    ),
    "not_xml": (scorm_zip(manifest="<manifest><unclosed></manifest>"), "manifest_xml"),
    "no_version": (
        scorm_zip(manifest=MANIFEST_12.format(href="index.html")
                  .replace("<schemaversion>1.2</schemaversion>", "")
                  .replace('xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"', "")
                  .replace("adlcp:scormtype", "scormtype")),
        "scorm_version",
    ),
    "duplicate": (
        scorm_zip(infos=[(zipfile.ZipInfo("INDEX.html"), b"x")]),
        "duplicate",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_packages_are_refused_and_nothing_is_stored(case):
    upload, code = HOSTILE[case]
    upload.seek(0)
    with pytest.raises(ValidationError) as caught:
        scorm_package_import(upload=upload)
    assert code in codes(caught.value), caught.value.messages
    assert nothing_stored()


def test_not_a_zip_is_refused():
    upload = BytesIO(b"PK\x03\x04 this is not really a zip")
    upload.name = "khoa-hoc.zip"
    with pytest.raises(ValidationError) as caught:
        scorm_package_import(upload=upload)
    assert codes(caught.value) == {"not_zip"}
    assert "khoa-hoc.zip" in caught.value.messages[0]


def test_size_and_count_limits(settings):
    settings.LMS_SCORM_MAX_UPLOAD_BYTES = 200
    with pytest.raises(ValidationError) as caught:
        scorm_package_import(upload=scorm_zip({"big.txt": b"x" * 5000}))
    assert codes(caught.value) == {"too_large"}
    settings.LMS_SCORM_MAX_UPLOAD_BYTES = 10**9
    settings.LMS_SCORM_MAX_FILES = 3
    with pytest.raises(ValidationError) as caught:
        scorm_package_import(upload=scorm_zip({f"p{i}.html": b"x" for i in range(5)}))
    assert codes(caught.value) == {"too_many_files"}
    settings.LMS_SCORM_MAX_FILES = 100
    settings.LMS_SCORM_MAX_MEMBER_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        scorm_package_import(upload=scorm_zip({"video.mp4": bytes(range(256)) * 20}))
    assert codes(caught.value) == {"member_too_large"}
    settings.LMS_SCORM_MAX_MEMBER_BYTES = 10**9
    settings.LMS_SCORM_MAX_UNCOMPRESSED_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        scorm_package_import(upload=scorm_zip({"a.txt": bytes(range(256)) * 8}))
    assert codes(caught.value) == {"too_large_uncompressed"}
    assert nothing_stored()


def test_a_member_that_lies_about_its_size_stops_extraction(monkeypatch):
    """The zip directory can lie: extraction counts what the decompressor produces."""
    upload = scorm_zip({"page.html": b"<p>" + b"a" * 50000 + b"</p>"})
    with zipfile.ZipFile(upload) as archive:
        assert archive.getinfo("page.html").file_size > 50000
    # Patch the reader so the directory claims 10 bytes for page.html.
    original = zipfile.ZipFile._RealGetContents

    def shrink(self):
        original(self)
        for info in self.filelist:
            if info.filename == "page.html":
                info.file_size = 10

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", shrink)
    upload.seek(0)
    with pytest.raises(ValidationError) as caught:
        scorm_package_import(upload=upload)
    assert codes(caught.value) & {"zip_bomb", "corrupt_member"}
    assert nothing_stored()


def test_import_scorm_command():
    out, err = StringIO(), StringIO()
    good = str(shared("scorm", "golf_CPSingleSCO_SCORM12.zip"))
    bad = str(shared("scorm", "negative", "aicc_only.zip"))
    with pytest.raises(CommandError):
        call_command("import_scorm", good, bad, stdout=out, stderr=err)
    assert "Golf Explained" in out.getvalue()
    assert "aicc_only.zip" in err.getvalue() and "AICC" in err.getvalue()
    assert ScormPackage.objects.count() == 1


def upload_field(name: str) -> SimpleUploadedFile:
    path = shared("scorm", name)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="application/zip")


def test_administrator_uploads_in_the_admin(client, home):
    client.force_login(make_admin())
    url = reverse("wagtailsnippets_courses_scormpackage:add")
    response = client.post(
        url, {"title": "", "package_file": upload_field("golf_CPSingleSCO_SCORM12.zip")}
    )
    assert response.status_code == 302, response.content[:2000]
    package = ScormPackage.objects.get()
    assert package.title == "Golf Explained - CP Single SCO"
    edit = client.get(reverse("wagtailsnippets_courses_scormpackage:edit", args=[package.pk]))
    assert b"shared/launchpage.html" in edit.content


def test_a_broken_upload_shows_its_reason_in_the_admin(client, home):
    client.force_login(make_admin())
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    broken = SimpleUploadedFile(
        "aicc.zip", shared("scorm", "negative", "aicc_only.zip").read_bytes()
    )
    response = client.post(
        reverse("wagtailsnippets_courses_scormpackage:add"),
        {"title": "", "package_file": broken},
    )
    assert response.status_code == 200
    assert b"AICC package, which is not supported" in response.content
    assert not ScormPackage.objects.exists()


def test_trainers_choose_packages_but_do_not_upload(client, home):
    authoring_roles_setup()
    trainer = make_trainer(scope=make_unit("Gia Lai"))
    client.force_login(trainer)
    response = client.post(
        reverse("wagtailsnippets_courses_scormpackage:add"),
        {"title": "", "package_file": upload_field("golf_CPSingleSCO_SCORM12.zip")},
    )
    assert response.status_code in (200, 302, 403)
    assert not ScormPackage.objects.exists()
    import_file("golf_CPSingleSCO_SCORM12.zip")
    listing = client.get(reverse("wagtailsnippets_courses_scormpackage:list"))
    assert listing.status_code == 200
    assert b"Golf Explained" in listing.content
    chooser = client.get(reverse("wagtailsnippetchoosers_courses_scormpackage:choose"))
    assert chooser.status_code == 200


def test_files_are_served_to_signed_in_users_under_a_strict_csp(client, home):
    package = import_file("golf_CPSingleSCO_SCORM12.zip")
    url = reverse("courses:scorm:file", args=[package.uuid, "shared/launchpage.html"])
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    client.force_login(make_learner(unit=make_unit("Gia Lai")))
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp and "form-action 'none'" in csp
    assert "object-src 'none'" in csp and "default-src 'self'" in csp
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    for path in ("../../../etc/passwd", "shared/../../x", "nothing.html", "shared"):
        target = reverse("courses:scorm:file", args=[package.uuid, "x"]).removesuffix("x")
        assert client.get(target + path).status_code == 404
