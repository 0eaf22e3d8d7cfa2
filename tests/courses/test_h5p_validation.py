"""Every validation rule of an uploaded .h5p, on the shared test packages and on zips built
here (zip bomb, '..', symlink, ...). Validation writes nothing; a rejected import leaves no
file and no row."""

import io
import stat
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from courses.h5p import storage
from courses.h5p.packages import h5p_package_import
from courses.h5p.validation import package_validate
from courses.models import H5PLibrary, H5PPackage
from tests.shared_data import shared, shared_files

from .h5p_support import minimal_zip

NEGATIVE_REASONS = {
    "broken-h5p-json.h5p": ("invalid_json", "h5p.json"),
    "corrupt_archive.h5p": ("not_zip", "corrupt_archive.h5p"),
    "invalid-library-directory-name.h5p": (
        "library_folder_mismatch",
        "H5P.GreetingCard-1.0/library.json",
    ),
    "malformed-library-directory.h5p": ("invalid_library_folder", "library!/"),
    "missing-preloaded-js.h5p": ("missing_preloaded_file", "H5P.GreetingCard-1.0/greetingcard.js"),
    "2-invalid-libraries.h5p": ("invalid_language_file", "H5P.GreetingCard-1.0/language/XXX!.json"),
    "long_content_file_name.h5p": (
        "name_too_long",
        "content/images/This_is_a_77_characters_long_name_that_should_be_shortened_by_the_"
        "library-R6XCC7Rb3.png",
    ),
    "xss-svg.h5p": ("unsafe_svg", "content/images/xss.svg"),
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def codes(error: ValidationError) -> list[tuple[str, str]]:
    return [(e.code, (e.params or {}).get("file", "")) for e in error.error_list]


def test_every_negative_file_has_an_expected_reason():
    on_disk = {p.name for p in shared("h5p", "negative").glob("*.h5p")} - {"valid2.h5p"}
    assert on_disk == set(NEGATIVE_REASONS)


@pytest.mark.parametrize("name", sorted(NEGATIVE_REASONS))
def test_negative_package_is_rejected_with_its_reason(name):
    with (
        shared("h5p", "negative", name).open("rb") as upload,
        pytest.raises(ValidationError) as caught,
    ):
        package_validate(upload)
    assert NEGATIVE_REASONS[name] in codes(caught.value)
    # Each message names the file it is about.
    for error in caught.value.error_list:
        if error.params and error.params.get("file"):
            assert error.params["file"] in str(error.message % error.params)


def test_second_broken_library_is_reported_too():
    with shared("h5p", "negative", "2-invalid-libraries.h5p").open("rb") as upload:
        with pytest.raises(ValidationError) as caught:
            package_validate(upload)
    assert ("invalid_library_json", "H5P.GreetingCard2-1.0/library.json") in codes(caught.value)


def test_positive_control_validates():
    with shared("h5p", "negative", "valid2.h5p").open("rb") as upload:
        package = package_validate(upload)
    assert package.main_library == ("H5P.GreetingCard", 1, 0)


@pytest.mark.parametrize("path", shared_files("h5p/valid", "*.h5p"), ids=lambda p: p.name)
def test_valid_packages_validate(path):
    with path.open("rb") as upload:
        package = package_validate(upload)
    assert package.title
    assert package.main.machine_name == package.main_library[0]


def test_minimal_zip_is_valid():
    package = package_validate(minimal_zip())
    assert package.main.version == "1.0.3"
    assert package.license == "CC BY"


def reject(upload) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        package_validate(upload)
    return codes(caught.value)


@pytest.mark.parametrize(
    "member,code",
    [
        ("../evil.js", "unsafe_path"),
        ("content/../../evil.json", "unsafe_path"),
        ("/etc/passwd.json", "unsafe_path"),
        ("C:/windows/evil.json", "unsafe_path"),
        ("content\\evil.json", "unsafe_path"),
        ("content/./a.json", "unsafe_path"),
    ],
)
def test_unsafe_paths_are_refused(member, code):
    assert (code, member) in reject(minimal_zip({member: b"{}"}))


def test_symlink_entry_is_refused():
    info = zipfile.ZipInfo("content/link.json")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    assert ("symlink", "content/link.json") in reject(minimal_zip(infos=[(info, "/etc/passwd")]))


@pytest.mark.parametrize(
    "member,code",
    [
        ("content/run.js", "file_type"),
        ("content/page.html", "file_type"),
        ("H5P.Greeting-1.0/tool.exe", "file_type"),
        ("H5P.Greeting-1.0/page.html", "file_type"),
        ("evil.js", "file_type"),
        ("H5P.Greeting-1.0/language/vi-VN!.json", "invalid_language_file"),
        ("notalibrary/x.js", "invalid_library_folder"),
    ],
)
def test_file_type_allow_list(member, code):
    assert (code, member) in reject(minimal_zip({member: b"x"}))


def test_allowed_types_pass():
    extra = {
        "content/images/a.png": b"png",
        "content/audio/a.mp3": b"mp3",
        "content/video/a.mp4": b"mp4",
        "content/captions.vtt": b"WEBVTT",
        "content/fonts/a.woff2": b"font",
        "H5P.Greeting-1.0/icon.svg": b"<svg><script>libraries are trusted code</script></svg>",
        "H5P.Greeting-1.0/language/vi.json": b"{}",
        "README.txt": b"hello",
    }
    package_validate(minimal_zip(extra))


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg onload="alert(1)"></svg>',
        b'<svg><a href="javascript:alert(1)"><circle/></a></svg>',
        b"<svg><foreignObject><iframe/></foreignObject></svg>",
        b'<svg><image href="https://evil.example/x.png"/></svg>',
        b'<!DOCTYPE svg [<!ENTITY x "y">]><svg>&x;</svg>',
    ],
)
def test_active_svg_in_content_is_refused(svg):
    assert ("unsafe_svg", "content/a.svg") in reject(minimal_zip({"content/a.svg": svg}))


def test_plain_svg_in_content_passes():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4" fill="url(#g)"/></svg>'
    package_validate(minimal_zip({"content/a.svg": svg}))


def test_h5p_json_rules():
    assert ("missing_h5p_json", "h5p.json") in reject(minimal_zip(drop={"h5p.json"}))
    no_main = b'{"title": "x", "preloadedDependencies": []}'
    assert ("invalid_h5p_json", "h5p.json") in reject(minimal_zip({"h5p.json": no_main}))
    missing_dep = (
        b'{"title": "x", "mainLibrary": "H5P.Greeting", "preloadedDependencies": ['
        b'{"machineName": "H5P.Greeting", "majorVersion": 1, "minorVersion": 0},'
        b'{"machineName": "H5P.Absent", "majorVersion": 2, "minorVersion": 1}]}'
    )
    assert ("missing_dependency", "h5p.json") in reject(minimal_zip({"h5p.json": missing_dep}))
    assert ("missing_content", "content/content.json") in reject(
        minimal_zip(drop={"content/content.json"})
    )
    assert ("missing_library_json", "H5P.Greeting-1.0/library.json") in reject(
        minimal_zip(drop={"H5P.Greeting-1.0/library.json"})
    )


def test_duplicate_names_are_refused():
    buffer = io.BytesIO(minimal_zip().getvalue())
    with zipfile.ZipFile(buffer, "a") as archive, pytest.warns(UserWarning):
        archive.writestr("content/content.json", b"{}")
    buffer.seek(0)
    assert ("duplicate", "content/content.json") in reject(buffer)


@override_settings(LMS_H5P_MAX_FILES=4)
def test_file_count_limit():
    assert ("too_many_files", "") in reject(minimal_zip())


@override_settings(LMS_H5P_MAX_UPLOAD_BYTES=100)
def test_compressed_size_limit():
    assert ("too_large", "test.h5p") in reject(minimal_zip())


def bomb(size: int) -> io.BytesIO:
    return minimal_zip({"content/images/huge.png": b"\0" * size})


@override_settings(LMS_H5P_MAX_UNCOMPRESSED_BYTES=1_000_000)
def test_zip_bomb_is_refused_from_the_directory():
    upload = bomb(5_000_000)
    assert len(upload.getvalue()) < 50_000  # small compressed, huge uncompressed
    assert ("too_large_uncompressed", "") in reject(upload)


@override_settings(LMS_H5P_MAX_UNCOMPRESSED_BYTES=1_000_000)
@pytest.mark.django_db
def test_zip_bomb_with_a_lying_directory_is_stopped_while_extracting(media):
    """The central directory claims 10 bytes; the stream inflates to 5 MB."""
    data = bytearray(bomb(5_000_000).getvalue())
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("content/images/huge.png")
    real = info.file_size.to_bytes(4, "little")
    fake = (10).to_bytes(4, "little")
    # Patch the declared size in the local header and in the central directory.
    local = info.header_offset + 22
    assert data[local : local + 4] == real
    data[local : local + 4] = fake
    name = b"content/images/huge.png"
    central = next(
        pos
        for pos in range(len(data) - 4)
        if data[pos : pos + 4] == b"PK\x01\x02" and data[pos + 46 : pos + 46 + len(name)] == name
    )
    assert data[central + 24 : central + 28] == real
    data[central + 24 : central + 28] = fake
    upload = io.BytesIO(bytes(data))
    upload.name = "bomb.h5p"
    package_validate(upload)  # the directory looks harmless
    with pytest.raises(ValidationError) as caught:
        h5p_package_import(upload=upload, user=None)
    # Python's zipfile stops at the declared size and then fails the CRC check; our byte
    # counter (zip_bomb) is the second guard for any reader that does not.
    assert set(codes(caught.value)) & {
        ("zip_bomb", "content/images/huge.png"),
        ("corrupt_member", "content/images/huge.png"),
    }
    assert not H5PPackage.objects.exists() and not H5PLibrary.objects.exists()
    assert not (storage.h5p_root() / "content").exists() or not any(
        (storage.h5p_root() / "content").iterdir()
    )
    assert not any(storage.incoming_dir().iterdir())


@pytest.mark.django_db
def test_rejected_import_leaves_nothing(media):
    with (
        shared("h5p", "negative", "xss-svg.h5p").open("rb") as upload,
        pytest.raises(ValidationError),
    ):
        h5p_package_import(upload=upload, user=None)
    assert not H5PPackage.objects.exists() and not H5PLibrary.objects.exists()
    leftovers = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    assert leftovers == []


def test_messages_are_translated():
    from django.utils import translation

    with translation.override("vi"):
        with pytest.raises(ValidationError) as caught:
            package_validate(minimal_zip({"content/run.js": b"x"}))
        message = caught.value.messages[0]
    assert "content/run.js" in message
    assert "not allowed" not in message
