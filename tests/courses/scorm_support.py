"""Helpers for the SCORM tests: the shared packages, zips built in a test, SCORM lessons."""

import io
import uuid
import zipfile
from pathlib import Path

from wagtail.blocks import StreamValue

from courses.models import LessonPage
from courses.scorm.packages import scorm_package_import
from tests.shared_data import TESTDATA, shared

SCORM = TESTDATA / "scorm"
VALID = [
    "golf_CPSingleSCO_SCORM12.zip",
    "golf_RuntimeBasicCalls_SCORM20043rdEdition.zip",
    "golf_4thEditionFeatures_SCORM20044th.zip",
    "scorm-debugger_multisco_SCORM12.zip",
]
NEGATIVE = {
    "invalid_no_manifest.zip": "missing_manifest",
    "manifest_only_nonfunctional.zip": "manifest_xml",
    "aicc_only.zip": "aicc_only",
}


def import_file(name: str, *, user=None, folder: str = ""):
    path = shared("scorm", *([folder] if folder else []), name)
    with path.open("rb") as upload:
        return scorm_package_import(upload=upload, user=user)


MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="vn.hocso.test" version="1"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Bài SCORM thử</title>
    <item identifier="i1" identifierref="r1"><title>Phần 1</title></item>
  </organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="{href}">
    <file href="index.html"/></resource></resources>
</manifest>"""


def scorm_zip(
    extra: dict[str, bytes] | None = None, *, drop=(), infos=(), href="index.html", manifest=None
) -> io.BytesIO:
    """A small valid SCORM 1.2 package plus `extra`, minus `drop`; `infos` are (ZipInfo,
    data) pairs written as they are."""
    members = {
        "imsmanifest.xml": (manifest or MANIFEST_12.format(href=href)).encode(),
        "index.html": b"<!doctype html><title>SCO</title><p>Xin chao</p>",
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
    buffer.name = "test.zip"
    return buffer


def make_scorm_lesson(course, package, *, required=True, title="Bài học SCORM"):
    block_id = str(uuid.uuid4())
    raw = [
        {"type": "text", "value": "<p>Học phần SCORM.</p>", "id": str(uuid.uuid4())},
        {"type": "scorm", "value": {"package": package.pk, "required": required}, "id": block_id},
    ]
    lesson = LessonPage(title=title, slug=f"scorm-{uuid.uuid4().hex[:8]}")
    lesson.body = StreamValue(LessonPage.body.field.stream_block, raw, is_lazy=True)
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk), block_id


def files_of(path: Path) -> set[str]:
    return {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()}
