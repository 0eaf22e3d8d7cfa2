"""The demo's H5P activity (called by `seed_demo`).

The demo needs a real `.h5p` package, and packages are third-party content we do not ship in
this repository. When the project's shared test data sits next to the checkout
(`../shared/testdata/h5p/valid/H5P.MultiChoice.h5p`, as on the development machine) it is
imported and placed in an optional lesson of "Tin học cơ bản", just before the final quiz;
otherwise the demo skips it and says so. Idempotent.
"""

import uuid
from pathlib import Path

from django.conf import settings
from wagtail.blocks import StreamValue

from ..models import CoursePage, H5PPackage, LessonPage
from .packages import h5p_package_import

DEMO_PACKAGE = (
    Path(settings.BASE_DIR).parent / "shared" / "testdata" / "h5p" / "valid" / "H5P.MultiChoice.h5p"
)
DEMO_TITLE = "Câu hỏi trắc nghiệm: quả lý chua đen"
DEMO_LESSON_SLUG = "bai-tap-tuong-tac"
DEMO_COURSE_SLUG = "tin-hoc-co-ban"
DEMO_BLOCK_ID = "5d1c0e2a-7a43-4b0e-9a55-0d5b1e0c4a11"


def demo_h5p_seed(*, path: Path = DEMO_PACKAGE) -> str:
    """Import the demo package and place it in a lesson; returns what happened, for the log."""
    course = CoursePage.objects.filter(slug=DEMO_COURSE_SLUG).first()
    if course is None:
        return "H5P demo skipped: the demo course is missing."
    if LessonPage.objects.child_of(course).filter(slug=DEMO_LESSON_SLUG).exists():
        return "H5P demo activity already in place."
    package = H5PPackage.objects.filter(title=DEMO_TITLE).first()
    if package is None:
        if not path.is_file():
            return f"H5P demo skipped: {path} not found (no shared test data next to the checkout)."
        with path.open("rb") as upload:
            package = h5p_package_import(upload=upload, user=None, title=DEMO_TITLE)
    lesson = LessonPage(
        slug=DEMO_LESSON_SLUG,
        title="Bài tập tương tác",
        summary="Một câu hỏi trắc nghiệm tương tác (H5P), chấm điểm ngay trên điện thoại.",
        minutes=5,
        required=False,
    )
    raw = [
        {
            "type": "text",
            "value": "<p>Chọn đáp án đúng rồi bấm <b>Check</b>. Bài tập này không bắt buộc.</p>",
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "hocso-demo-h5p-text")),
        },
        {
            "type": "h5p",
            "value": {"package": package.pk, "required": True, "pass_mark": 100},
            "id": DEMO_BLOCK_ID,
        },
    ]
    lesson.body = StreamValue(LessonPage.body.field.stream_block, raw, is_lazy=True)
    last = LessonPage.objects.child_of(course).order_by("path").last()
    if last is not None and last.has_quiz:
        last.add_sibling(pos="left", instance=lesson)  # before the final quiz
    else:
        course.add_child(instance=lesson)
    lesson.save_revision().publish()
    return f"H5P demo activity placed in “{course.title}”."
