"""Audio-first lessons (courses.audio, courses.narration) and "My learning that tells the
truth": the audio block's server-side checks, the lesson's Listen button and narration, the
demo's synthesised voice, the next lesson to take, and the way to the certificate."""

import io
import os
import shutil
import uuid
import wave

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.blocks import StreamBlockValidationError, StreamValue
from wagtail.documents import get_document_model

from courses.blocks import AudioBlock
from courses.models import LessonPage
from courses.narration import narration_synthesise
from courses.services import enrolment_create
from tests.factories import make_course, make_learner, make_unit, pass_quiz

pytestmark = pytest.mark.django_db
Document = get_document_model()


def wav_bytes(seconds: float = 1.0, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(bytes([128]) * int(seconds * rate))
    return buffer.getvalue()


def document(name: str, data: bytes, title: str = "") -> Document:
    return Document.objects.create(title=title or name, file=ContentFile(data, name=name))


def audio_value(doc, **extra):
    block = AudioBlock()
    return block.to_python({"title": "", "file": doc.pk, "transcript": "<p>Lời đọc.</p>", **extra})


def lesson_with_audio(course, doc, *, narration=True, synthetic=False) -> LessonPage:
    lesson = LessonPage(title="Nghe và học", slug=f"nghe-{uuid.uuid4().hex[:6]}")
    lesson.body = StreamValue(
        LessonPage.body.field.stream_block,
        [
            {
                "type": "audio",
                "id": str(uuid.uuid4()),
                "value": {
                    "title": "Nghe bài",
                    "file": doc.pk,
                    "transcript": "<p>Lời đọc của bài.</p>",
                    "narration": narration,
                    "synthetic": synthetic,
                },
            },
            {"type": "text", "id": str(uuid.uuid4()), "value": "<p>Nội dung bài.</p>"},
        ],
        is_lazy=True,
    )
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


# --- the audio block's server-side checks ----------------------------------------------------


def test_a_real_wav_passes():
    AudioBlock().clean(audio_value(document("bai.wav", wav_bytes())))


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bai.pdf", b"%PDF-1.4 not audio", "is not an audio file"),  # wrong extension
        ("bai.mp3", b"%PDF-1.4 renamed", "does not contain MP3 audio"),  # forged content
        ("bai.ogg", b"<html><script>alert(1)</script>", "does not contain OGG audio"),
        ("bai.wav", b"RIFF\x00\x00\x00\x00AVI LIST", "does not contain WAV audio"),
        ("bai.m4a", b"", "does not contain M4A audio"),  # empty
        ("bai", b"OggS" + bytes(40), "is not an audio file"),  # no extension
    ],
    ids=["pdf", "pdf-as-mp3", "html-as-ogg", "avi-as-wav", "empty-m4a", "no-extension"],
)
def test_forged_or_wrong_files_are_refused_with_a_clear_message(name, data, message, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"), pytest.raises(Exception) as error:
        AudioBlock().clean(audio_value(document(name, data)))
    assert message in str(error.value.block_errors["file"])


def test_a_huge_file_is_refused(settings):
    from django.utils import translation

    settings.LMS_AUDIO_MAX_BYTES = 1000
    with translation.override("en"), pytest.raises(Exception) as error:
        AudioBlock().clean(audio_value(document("dai.wav", wav_bytes(seconds=1))))
    assert "too big" in str(error.value.block_errors["file"])


def test_the_lesson_stream_refuses_a_forged_audio_file():
    stream = LessonPage.body.field.stream_block
    forged = document("bai.mp3", b"<html></html>")
    value = stream.to_python(
        [{"type": "audio", "id": "a", "value": {"file": forged.pk, "transcript": ""}}]
    )
    with pytest.raises(StreamBlockValidationError):
        stream.clean(value)


# --- the lesson: Listen button, narration, resume key ----------------------------------------


def test_a_narrated_lesson_plays_its_narration_from_a_plain_audio_src(client, home):
    course = make_course(lessons=1)
    narration = document("nghe-bai.wav", wav_bytes(), "Giọng đọc")
    lesson = lesson_with_audio(course, narration, synthetic=True)
    learner = make_learner(unit=make_unit("Gia Lai"))
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    soup = BeautifulSoup(client.get(lesson.url).content, "html.parser")
    audio = soup.select_one("audio[data-narration]")
    assert audio["src"] == narration.url  # a plain src: an offline cache can keep it
    assert audio["preload"] == "none"  # nothing downloaded until the learner presses play
    assert audio["data-resume"] == f"{lesson.pk}:{narration.pk}"
    listen = soup.select_one("button[data-listen]")
    assert listen["data-listen"] == "#lesson-text" and soup.select_one("#lesson-text")
    assert "Nghe bài" in listen.get_text()
    # A synthesised voice says so.
    assert "Giọng đọc tổng hợp (máy đọc)" in soup.select_one(".synthetic-voice").get_text()
    # The narration is served, and only as what it is.
    response = client.get(narration.url)
    assert response.status_code == 200


def test_a_lesson_without_narration_still_offers_read_aloud_with_a_fallback_message(client, home):
    course = make_course(lessons=1)
    lesson = LessonPage.objects.child_of(course).live().order_by("path").first()
    learner = make_learner(unit=make_unit("Gia Lai"))
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    soup = BeautifulSoup(client.get(lesson.url).content, "html.parser")
    assert soup.select_one("audio[data-narration]") is None
    status = soup.select_one("#listen-status")
    assert "không đọc được tiếng Việt" in status["data-no-voice"]
    assert soup.select_one("button[data-listen]")["aria-describedby"] == "listen-status"


def test_plain_listening_material_is_not_the_narration(home):
    course = make_course(lessons=0, quiz=[])
    lesson = lesson_with_audio(course, document("tu-vung.wav", wav_bytes()), narration=False)
    assert lesson.narration is None


# --- synthesised narration (espeak-ng) -------------------------------------------------------


def espeak_or_skip():
    if shutil.which("espeak-ng") is None:
        if os.environ.get("LMS_REQUIRE_SHARED_TESTDATA"):
            pytest.fail("espeak-ng is missing: apt-get install espeak-ng (.ci/run does)")
        pytest.skip("espeak-ng is not installed")


def test_espeak_narration_is_small_mono_and_playable():
    espeak_or_skip()
    voice = narration_synthesise("Xin chào. Đây là bài học về mật khẩu.")
    assert voice.seconds > 1
    if voice.extension == "wav":
        with wave.open(io.BytesIO(voice.data)) as read:
            assert read.getnchannels() == 1 and read.getsampwidth() == 1
            assert read.getframerate() == 11025
        # About 11 KB a second: a 30-second narration is about 330 KB.
        assert len(voice.data) < 12_000 * voice.seconds + 100
    else:
        assert voice.data[:4] == b"OggS"
    doc = document(f"x.{voice.extension}", voice.data)
    AudioBlock().clean(audio_value(doc))  # what the demo makes passes the block's own checks


def test_the_demo_narration_is_skipped_with_a_notice_without_espeak(home, monkeypatch):
    from courses import narration
    from courses.demo import demo_narration_seed

    monkeypatch.setattr(narration.shutil, "which", lambda name: None)
    course = make_course(lessons=1, quiz=[])
    lesson = LessonPage.objects.child_of(course).get()
    notice = demo_narration_seed(
        course=course, lessons=[{"slug": lesson.slug, "narration": "Xin chào."}]
    )
    assert "espeak-ng is not installed" in notice
    assert LessonPage.objects.get(pk=lesson.pk).narration is None


def test_the_demo_narration_is_marked_synthetic_and_made_once(home):
    espeak_or_skip()
    from courses.demo import demo_narration_seed

    course = make_course(lessons=1, quiz=[])
    lesson = LessonPage.objects.child_of(course).get()
    data = [{"slug": lesson.slug, "narration": "Bài một: mật khẩu mạnh."}]
    demo_narration_seed(course=course, lessons=data)
    demo_narration_seed(course=course, lessons=data)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    narration = lesson.narration
    assert narration.value["synthetic"] and narration.value["narration"]
    assert "Giọng đọc tổng hợp (máy đọc)" in narration.value["title"]
    assert [b.block_type for b in lesson.body].count("audio") == 1
    assert Document.objects.filter(title__startswith="Giọng đọc tổng hợp").count() == 1


# --- My learning that tells the truth -------------------------------------------------------


@pytest.fixture
def learner(db):
    return make_learner(unit=make_unit("Xã Ia Grai", parent=make_unit("Gia Lai")))


def finish(client, course, learner, django_capture_on_commit_callbacks):
    client.post(reverse("courses:enrol", args=[course.pk]))
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    for lesson in lessons[:-1]:
        client.post(reverse("courses:lesson_done", args=[lesson.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        pass_quiz(client, lessons[-1], learner)
    return lessons[-1]


def test_my_learning_after_finishing_the_only_course_regression(
    client, course, learner, django_capture_on_commit_callbacks
):
    """Issue #17: right after finishing a course "My learning" said "you have not joined any
    course": the In progress list was empty, and its empty text spoke for the whole page."""
    client.force_login(learner)
    finish(client, course, learner, django_capture_on_commit_callbacks)
    soup = BeautifulSoup(client.get(reverse("courses:my_learning")).content, "html.parser")
    page = soup.get_text()
    assert "Bạn chưa tham gia khoá học nào." not in page
    completed = soup.select("article.enrolment.completed")
    assert [a.select_one("h3").get_text(strip=True) for a in completed] == [course.title]
    # The certificate the completion issued, linked from the course's card.
    from certificates.models import Certificate

    certificate = Certificate.objects.get(enrolment__user=learner)
    link = completed[0].select_one("a.certificate-link")
    assert link["href"] == reverse("certificates:mine") + f"#certificate-{certificate.serial}"
    mine = BeautifulSoup(client.get(reverse("certificates:mine")).content, "html.parser")
    assert mine.select_one(f"#certificate-{certificate.serial}") is not None


def test_a_learner_with_no_enrolment_is_told_so(client, learner):
    client.force_login(learner)
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert "Bạn chưa tham gia khoá học nào." in page


def test_start_right_after_enrolling_then_continue(client, course, learner):
    client.force_login(learner)
    response = client.post(reverse("courses:enrol", args=[course.pk]), follow=True)
    soup = BeautifulSoup(response.content, "html.parser")
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    start = soup.select_one(".progress-box a.next-lesson")
    assert start["href"] == lessons[0].url and "Bắt đầu" in start.get_text()
    client.post(reverse("courses:lesson_done", args=[lessons[0].pk]))
    soup = BeautifulSoup(client.get(course.url).content, "html.parser")
    go_on = soup.select_one(".progress-box a.next-lesson")
    assert go_on["href"] == lessons[1].url and "Học tiếp" in go_on.get_text()
    soup = BeautifulSoup(client.get(reverse("courses:my_learning")).content, "html.parser")
    card = soup.select_one("article.enrolment a.next-lesson")
    assert card["href"] == lessons[1].url and "Học tiếp" in card.get_text()


def test_the_quiz_result_leads_to_the_certificate(
    client, course, learner, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    final = finish(client, course, learner, django_capture_on_commit_callbacks)
    soup = BeautifulSoup(client.get(final.url).content, "html.parser")
    result = soup.select_one("#quiz-result")
    link = result.select_one("a.certificate-link")
    assert link is not None and link["href"].startswith(reverse("certificates:mine") + "#")


def test_a_course_without_certificate_shows_no_certificate_link(
    client, learner, home, django_capture_on_commit_callbacks
):
    course = make_course("Không cấp chứng chỉ", certifying=False)
    client.force_login(learner)
    final = finish(client, course, learner, django_capture_on_commit_callbacks)
    soup = BeautifulSoup(client.get(final.url).content, "html.parser")
    assert soup.select_one("#quiz-result .course-done") is not None
    assert soup.select_one("#quiz-result .certificate-link") is None


def test_another_learners_certificate_never_shows(client, course, learner, home):
    """The certificate comes from the learner's own enrolment only."""
    from tests.factories import make_learner as other_learner

    other = other_learner(unit=make_unit("Xã Ia Le"))
    enrolment_create(user=other, course=course)
    client.force_login(learner)
    soup = BeautifulSoup(client.get(reverse("courses:my_learning")).content, "html.parser")
    assert soup.select("a.certificate-link") == []
