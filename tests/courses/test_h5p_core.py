"""The H5P player's core is ours: packages cannot ship libraries named like it, cannot change
the code of an installed library version without an administrator's approval, and their
content cannot carry scripts where H5P's semantics say a field is plain text. Packages are
built in the tests from the real MultiChoice package in the shared test data."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError

from courses.h5p import storage
from courses.h5p.packages import h5p_package_import
from courses.h5p.validation import package_validate
from courses.models import H5PLibrary, H5PPackage
from tests.factories import make_admin, make_trainer, make_unit
from tests.shared_data import shared

pytestmark = pytest.mark.django_db
MC = "H5P.MultiChoice-1.14"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def multichoice(*, change=None, content=None, extra=None) -> io.BytesIO:
    """The real MultiChoice package, with members replaced (`change`), its content.json edited
    (`content(dict)`), and members added (`extra`)."""
    source = shared("h5p", "valid", "H5P.MultiChoice.h5p")
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w") as out:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "content/content.json" and content is not None:
                parsed = json.loads(data)
                content(parsed)
                data = json.dumps(parsed).encode()
            data = (change or {}).get(info.filename, data)
            out.writestr(info, data)
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    buffer.seek(0)
    buffer.name = "multichoice.h5p"
    return buffer


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def core_library(name: str, folder: str) -> dict[str, bytes]:
    return {
        f"{folder}/library.json": json.dumps(
            {
                "title": "Fake core",
                "machineName": name,
                "majorVersion": 1,
                "minorVersion": 0,
                "patchVersion": 0,
                "runnable": 0,
                "preloadedJs": [{"path": "h5p.js"}],
            }
        ).encode(),
        f"{folder}/h5p.js": b"window.H5P = {steal: function () {}};",
    }


@pytest.mark.parametrize(
    "name, folder",
    [
        ("H5P", "H5P-1.0"),
        ("h5p.eventdispatcher", "h5p.eventdispatcher-1.0"),
        ("H5PEditor", "H5PEditor-1.0"),
    ],
)
def test_a_library_named_like_the_core_is_refused(name, folder):
    with pytest.raises(ValidationError) as caught:
        package_validate(multichoice(extra=core_library(name, folder)))
    assert "core_library" in codes(caught.value)
    message = " ".join(caught.value.messages)
    assert f"{folder}/library.json" in message  # names the file (the lead merges the vi text)
    assert not H5PPackage.objects.exists()


def test_editor_widgets_and_joubel_ui_stay_allowed():
    package = package_validate(multichoice())
    names = {lib.machine_name for lib in package.libraries.values()}
    assert {"H5P.JoubelUI", "H5PEditor.RangeList"} <= names


def test_changed_code_of_an_installed_version_needs_an_administrators_approval():
    admin = make_admin()
    trainer = make_trainer(scope=make_unit("Gia Lai"))
    first = h5p_package_import(upload=multichoice(), user=admin)
    library = first.libraries.get(machine_name="H5P.MultiChoice")
    script = storage.library_dir(library.storage_folder) / "js" / "multichoice.js"
    original = script.read_bytes()
    tampered = {f"{MC}/js/multichoice.js": original + b"\nwindow.parent.postMessage('x','*');"}

    # The same files again: reused, by a trainer too.
    h5p_package_import(upload=multichoice(), user=trainer)
    for user in (trainer, admin, None):  # a trainer, an administrator without approval, the CLI
        with pytest.raises(ValidationError) as caught:
            h5p_package_import(upload=multichoice(change=tampered), user=user)
        assert codes(caught.value) == {"library_changed"}
    # A trainer cannot approve.
    with pytest.raises(ValidationError):
        h5p_package_import(
            upload=multichoice(change=tampered), user=trainer, approve_library_changes=True
        )
    assert script.read_bytes() == original
    assert H5PPackage.objects.count() == 2

    h5p_package_import(
        upload=multichoice(change=tampered), user=admin, approve_library_changes=True
    )
    assert script.read_bytes() == tampered[f"{MC}/js/multichoice.js"]
    assert H5PLibrary.objects.filter(machine_name="H5P.MultiChoice").count() == 1


def test_a_new_patch_with_different_code_needs_approval_too():
    admin = make_admin()
    h5p_package_import(upload=multichoice(), user=admin)
    with zipfile.ZipFile(shared("h5p", "valid", "H5P.MultiChoice.h5p")) as archive:
        meta = json.loads(archive.read(f"{MC}/library.json"))
    meta["patchVersion"] += 1
    newer = {f"{MC}/library.json": json.dumps(meta).encode()}
    with pytest.raises(ValidationError) as caught:
        h5p_package_import(upload=multichoice(change=newer), user=admin)
    assert codes(caught.value) == {"library_changed"}
    h5p_package_import(upload=multichoice(change=newer), user=admin, approve_library_changes=True)
    assert H5PLibrary.objects.filter(machine_name="H5P.MultiChoice").count() == 2


def test_admin_form_offers_the_approval_to_administrators_only(client):
    trainer = make_trainer(scope=make_unit("Gia Lai"))
    from courses.services import authoring_roles_setup

    authoring_roles_setup()
    client.force_login(trainer)
    assert (
        b"approve_library_changes"
        not in client.get("/admin/snippets/courses/h5ppackage/add/").content
    )
    client.force_login(make_admin())
    assert (
        b"approve_library_changes" in client.get("/admin/snippets/courses/h5ppackage/add/").content
    )


def _set(path):
    def edit(content):
        target = content
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = path_value[path]

    return edit


path_value = {}


@pytest.mark.parametrize(
    "path, value, code",
    [
        (("UI", "checkAnswerButton"), "<b>Kiểm tra</b>", "content_markup"),
        (("UI", "checkAnswerButton"), "<script>alert(1)</script>", "content_script"),
        (("question",), '<p>Câu hỏi <img src=x onerror="alert(1)"></p>', "content_script"),
        (("question",), "<p><a href='javascript:alert(1)'>bấm</a></p>", "content_script"),
        (
            ("answers", 0, "text"),
            "<div>Tím<script>fetch('//evil')</script></div>",
            "content_script",
        ),
        (("media", "type", "params", "alt"), "<svg onload=alert(1)>", "content_script"),
        (("extraField",), "<iframe src=//evil>", "content_script"),
    ],
)
def test_script_injection_in_content_is_refused(path, value, code):
    path_value[path] = value
    with pytest.raises(ValidationError) as caught:
        package_validate(multichoice(content=_set(path)))
    assert codes(caught.value) == {code}
    assert ".".join(str(p) for p in path if not isinstance(p, int)).split(".")[-1] in " ".join(
        caught.value.messages
    )


def test_escaped_markup_and_html_formatting_are_accepted():
    def edit(content):
        content["UI"]["checkAnswerButton"] = "Kiểm tra &lt;script&gt; là mã độc"
        content["question"] = "<p><strong>Màu</strong> của quả <em>lý chua đen</em>?</p>"

    package_validate(multichoice(content=edit))
