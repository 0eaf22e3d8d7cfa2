"""Helpers for the H5P tests: the shared test packages, zips built in a test, H5P lessons."""

import io
import json
import uuid
import zipfile
from pathlib import Path

from wagtail.blocks import StreamValue

from courses.h5p.packages import h5p_package_import
from courses.models import LessonPage
from tests.shared_data import TESTDATA, shared

H5P_VALID = TESTDATA / "h5p" / "valid"
H5P_NEGATIVE = TESTDATA / "h5p" / "negative"
XAPI = TESTDATA / "xapi"


def import_file(path: Path, *, user=None):
    with shared(str(path.relative_to(TESTDATA))).open("rb") as upload:
        return h5p_package_import(upload=upload, user=user)


def minimal_zip(extra: dict[str, bytes] | None = None, *, drop=(), infos=()) -> io.BytesIO:
    """A small valid package (one library), plus `extra` members, minus `drop`; `infos` are
    (ZipInfo, data) pairs written as they are (symlinks, odd attributes)."""
    members = {
        "h5p.json": json.dumps(
            {
                "title": "Thiệp chúc mừng",
                "mainLibrary": "H5P.Greeting",
                "license": "CC BY",
                "preloadedDependencies": [
                    {"machineName": "H5P.Greeting", "majorVersion": 1, "minorVersion": 0}
                ],
            }
        ).encode(),
        "content/content.json": b'{"greeting": "Xin chao"}',
        "H5P.Greeting-1.0/library.json": json.dumps(
            {
                "title": "Greeting",
                "machineName": "H5P.Greeting",
                "majorVersion": 1,
                "minorVersion": 0,
                "patchVersion": 3,
                "runnable": 1,
                "license": "MIT",
                "preloadedJs": [{"path": "greeting.js"}],
                "preloadedCss": [{"path": "greeting.css"}],
            }
        ).encode(),
        "H5P.Greeting-1.0/greeting.js": b"H5P.Greeting = function () {};",
        "H5P.Greeting-1.0/greeting.css": b".greeting {}",
    }
    members.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if name not in drop:
                archive.writestr(name, data)
        for info, data in infos:
            archive.writestr(info, data)
    buffer.seek(0)
    buffer.name = "test.h5p"
    return buffer


def make_h5p_lesson(course, package, *, required=True, pass_mark=None, title="Bài tương tác"):
    block_id = str(uuid.uuid4())
    raw = [
        {"type": "text", "value": "<p>Chọn đáp án đúng.</p>", "id": str(uuid.uuid4())},
        {
            "type": "h5p",
            "value": {"package": package.pk, "required": required, "pass_mark": pass_mark},
            "id": block_id,
        },
    ]
    lesson = LessonPage(title=title, slug=f"h5p-{uuid.uuid4().hex[:8]}")
    lesson.body = StreamValue(LessonPage.body.field.stream_block, raw, is_lazy=True)
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk), block_id
