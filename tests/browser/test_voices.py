"""Learning by ear and the simple (low-literacy) mode in a real browser on a phone: the
lesson's Listen button plays its narration, playback resumes where it stopped after a reload,
a lesson without narration says plainly when the browser cannot read Vietnamese, simple mode
is remembered on the device and shows the quiz one question per screen; axe-core finds no
serious or critical violation on the learner pages in normal and in simple mode."""

from urllib.parse import urlsplit, urlunsplit

import pytest

from courses.services import enrolment_complete, enrolment_create
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_class_attendance import login_cookie
from tests.browser.test_lesson_h5p_activity import log_in
from tests.browser.test_manager_dashboard import axe_serious
from tests.courses.test_voices import document, lesson_with_audio, wav_bytes
from tests.factories import make_course, make_learner, make_unit, site_home

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


SPEECH_STUB = """
window.__spoken = [];
const fake = {
  speaking: false,
  getVoices() { return [{ lang: "vi-VN", name: "Test Vietnamese" }]; },
  speak(utterance) { window.__spoken.push({ text: utterance.text, lang: utterance.lang }); },
  cancel() {},
  addEventListener() {},
};
Object.defineProperty(window, "speechSynthesis", { value: fake, configurable: true });
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""


def local(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment))


def test_listen_resume_simple_mode_and_accessibility(live_server, phone, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.conf import settings as django_settings
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(language_code=django_settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    site_home()
    learner = make_learner(unit=make_unit("Gia Lai"), username="hnuong")
    course = make_course("Tin học cơ bản", lessons=1)
    lessons = list(course.get_children().live().specific().order_by("path"))
    text_lesson, quiz_lesson = lessons[0], lessons[-1]
    voice = document("nghe-bai.wav", wav_bytes(seconds=6), "Giọng đọc tổng hợp (máy đọc)")
    narrated = lesson_with_audio(course, voice, synthetic=True)
    done_course = make_course("An toàn thông tin", lessons=1)
    enrolment_create(user=learner, course=course)
    done, _created = enrolment_create(user=learner, course=done_course)
    enrolment_complete(enrolment=done, evidence="assessment")
    certificate = done.certificates.get()

    page = phone
    base = live_server.url
    log_in(page, base, "hnuong")

    # The Listen button plays the narration; stop at 2.5 s, reload: it resumes there.
    page.goto(base + narrated.url)
    page.click("button[data-listen]")
    page.wait_for_function("() => !document.querySelector('audio[data-narration]').paused")
    page.evaluate(
        "() => { const a = document.querySelector('audio[data-narration]'); a.currentTime = 2.5; }"
    )
    page.wait_for_function(
        "() => document.querySelector('audio[data-narration]').currentTime >= 2.5"
    )
    page.evaluate("() => document.querySelector('audio[data-narration]').pause()")
    key = f"hocso-audio-{narrated.pk}:{voice.pk}"
    saved = float(page.evaluate(f"() => localStorage.getItem('{key}')"))
    assert saved >= 2.5
    page.reload()
    assert page.evaluate("() => document.querySelector('audio[data-narration]').currentTime") == 0
    page.click("button[data-listen]")
    page.wait_for_function(
        f"() => document.querySelector('audio[data-narration]').currentTime >= {saved - 0.2}"
    )
    page.evaluate("() => document.querySelector('audio[data-narration]').pause()")

    # No narration: read with the browser's Vietnamese voice, or say plainly there is none.
    page.goto(base + text_lesson.url)
    has_voice = page.evaluate(
        "() => !!window.speechSynthesis && speechSynthesis.getVoices()"
        ".some(v => v.lang.toLowerCase().startsWith('vi'))"
    )
    page.click("button[data-listen]")
    if not has_voice:
        status = page.wait_for_selector("#listen-status:not([hidden])")
        assert "không đọc được tiếng Việt" in status.inner_text()

    # Normal mode: the learner pages have no serious or critical accessibility violation.
    pages = [
        "/",
        "/courses/",
        course.url,
        text_lesson.url,
        narrated.url,
        quiz_lesson.url,
        "/learn/",
        local(certificate.verify_url),
    ]
    for path in pages:
        page.goto(base + path)
        assert axe_serious(page) == [], path

    # Simple mode: switched on once, remembered on this device and on the learner's profile.
    page.goto(base + "/learn/")
    toggle = page.locator("[data-simple-toggle]")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert page.evaluate("() => document.documentElement.classList.contains('simple')")
    page.wait_for_selector("html[data-simple-saved='1']", state="attached")
    learner.profile.refresh_from_db()
    assert learner.profile.simple_mode is True
    # Another phone: the learner signs in and finds simple mode on, painted by the server.
    other = page.context.browser.new_context(viewport={"width": 390, "height": 800})
    other.add_cookies([login_cookie(learner, base)])
    other_page = other.new_page()
    other_page.goto(base + "/learn/")
    assert other_page.evaluate("() => document.documentElement.classList.contains('simple')")
    assert other_page.locator("[data-simple-toggle]").get_attribute("aria-pressed") == "true"
    other.close()
    page.goto(base + course.url)
    assert page.evaluate("() => document.documentElement.classList.contains('simple')")
    assert page.locator("[data-simple-toggle]").get_attribute("aria-pressed") == "true"
    # Big touch targets: the main buttons are at least 48 px high (CSS px).
    height = page.evaluate(
        "() => document.querySelector('.progress-box a.next-lesson').getBoundingClientRect().height"
    )
    assert height >= 48
    page.screenshot(path=str(SCREENSHOTS / "simple-course.png"), full_page=True)

    # The quiz: one question per screen, each with its read-aloud button.
    page.goto(base + quiz_lesson.url)
    page.click("form.quiz-start button[type=submit]")
    page.wait_for_selector("form.quiz-attempt")
    visible = page.locator("form.quiz-attempt fieldset.question:visible")
    assert visible.count() == 1
    assert visible.first.locator("[data-read-question]").is_visible()
    assert not page.locator("form.quiz-attempt button[type=submit]").is_visible()
    first_id = visible.first.get_attribute("id")
    page.click(".question-pager [data-step='1']")
    assert visible.count() == 1 and visible.first.get_attribute("id") != first_id
    assert page.locator("form.quiz-attempt button[type=submit]").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "simple-quiz.png"), full_page=True)
    assert axe_serious(page) == [], "quiz in simple mode"

    for path in pages:
        page.goto(base + path)
        assert axe_serious(page) == [], f"{path} in simple mode"

    # With a Vietnamese voice on the phone (stubbed: headless Chromium has none), the lesson
    # and each question are read with it, in vi-VN.
    page.add_init_script(SPEECH_STUB)
    page.goto(base + text_lesson.url)
    page.click("button[data-listen]")
    spoken = page.evaluate("() => window.__spoken")
    assert spoken and {item["lang"] for item in spoken} == {"vi-VN"}
    assert spoken[0]["text"].startswith(text_lesson.title)
    assert "Nội dung Bài 1." in " ".join(item["text"] for item in spoken)
    page.goto(base + quiz_lesson.url)
    page.locator("form.quiz-attempt fieldset.question:visible [data-read-question]").click()
    spoken = " ".join(item["text"] for item in page.evaluate("() => window.__spoken"))
    question = page.locator("form.quiz-attempt fieldset.question:visible legend").inner_text()
    assert question.strip().split(" ", 1)[1][:20] in spoken and "1. " in spoken

    # Back to normal: every question on one screen again.
    page.goto(base + quiz_lesson.url)
    page.click("[data-simple-toggle]")
    assert page.locator("form.quiz-attempt fieldset.question:visible").count() == 2
