"""Learning offline (courses/offline/): the sync endpoint as an attacker would use it, the
offline quiz form (graded on the server, answers never on the phone), a course's offline
manifest, and the installable app's service worker and web manifest."""

import json
import uuid

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.blocks import StreamValue
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from courses.models import (
    Enrolment,
    LessonPage,
    LessonProgress,
    OfflineAction,
    QuizAttempt,
)
from courses.offline import quiz as offline_quiz
from courses.offline.services import MAX_ACTIONS
from courses.services import enrolment_create
from tests.factories import make_course, make_learner, make_lesson, make_unit

pytestmark = pytest.mark.django_db

SYNC = "/learn/offline/sync/"


@pytest.fixture
def commune(home):
    return make_unit("Xã Ia Grai", parent=make_unit("Gia Lai"))


@pytest.fixture
def course(home):
    return make_course("An toàn thông tin", lessons=2)


@pytest.fixture
def learner(commune, course):
    user = make_learner(unit=commune, username="hnuong")
    enrolment_create(user=user, course=course)
    return user


@pytest.fixture
def other(commune, course):
    user = make_learner(unit=commune, username="ablin")
    enrolment_create(user=user, course=course)
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lessons_of(course) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def sync(client, actions, **extra):
    return client.post(SYNC, json.dumps({"actions": actions}), "application/json", **extra)


def done(lesson, client_id=None) -> dict:
    return {
        "id": client_id or str(uuid.uuid4()),
        "kind": "lesson_done",
        "lesson": lesson.pk,
        "at": "2026-12-01T08:00:00+07:00",
    }


def offline_form(client, lesson) -> dict:
    """The offline quiz form as the phone got it: its token (or attempt) and question ids."""
    response = client.get(reverse("courses:quiz_offline", args=[lesson.pk]))
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").select_one("form.quiz-offline")
    assert form is not None
    questions = {
        fieldset["data-question"]: [i["value"] for i in fieldset.select("input")]
        for fieldset in form.select("fieldset.question")
    }
    return {"draw": form.get("data-draw"), "attempt": form.get("data-attempt"), "q": questions}


def answers_for(lesson, questions, *, correct=True) -> dict:
    bank = {child.id: child.value for child in lesson.quiz_block.value["questions"].bound_blocks}
    answers = {}
    for qid in questions:
        choices = bank[qid]["choices"].bound_blocks
        picked = [c.id for c in choices if bool(c.value["correct"]) == correct]
        answers[qid] = picked[:1] if bank[qid]["kind"] == "single" else picked
    return answers


def quiz_action(lesson, form, answers, client_id=None) -> dict:
    action = {"id": client_id or str(uuid.uuid4()), "kind": "quiz", "lesson": lesson.pk}
    action["answers"] = answers
    if form["draw"]:
        action["draw"] = form["draw"]
    else:
        action["attempt"] = int(form["attempt"])
    return action


def only(response) -> dict:
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert len(results) == 1
    return results[0]


# --- marking a lesson done --------------------------------------------------------------------


def test_a_lesson_marked_done_offline_is_recorded_once(learner, course):
    client = client_for(learner)
    lesson = lessons_of(course)[0]
    action = done(lesson)
    first = only(sync(client, [action]))
    assert first == {"id": action["id"], "ok": True, "status": "recorded", "retry": False}
    again = only(sync(client, [action, action][:1]))
    assert again["ok"] and again["status"] == "duplicate"
    progress = LessonProgress.objects.get(enrolment__user=learner, lesson=lesson)
    assert progress.completed_at is not None
    receipt = OfflineAction.objects.get()
    assert receipt.user == learner and receipt.lesson == lesson and receipt.happened_at
    # The same id twice in one batch: recorded, then a duplicate.
    twice = done(lessons_of(course)[1])
    results = sync(client, [twice, twice]).json()["results"]
    assert [r["status"] for r in results] == ["recorded", "duplicate"]
    assert OfflineAction.objects.count() == 2


def test_an_id_reused_by_another_learner_is_refused(learner, other, course):
    lesson = lessons_of(course)[0]
    action = done(lesson)
    assert only(sync(client_for(learner), [action]))["status"] == "recorded"
    stolen = only(sync(client_for(other), [action]))
    assert stolen["ok"] is False and stolen["code"] == "id_reused" and stolen["retry"] is False
    assert stolen["error"]
    assert not LessonProgress.objects.filter(enrolment__user=other).exists()


def test_an_id_reused_for_another_lesson_is_refused(learner, course):
    first, second = lessons_of(course)[:2]
    client = client_for(learner)
    client_id = str(uuid.uuid4())
    assert only(sync(client, [done(first, client_id)]))["status"] == "recorded"
    reused = only(sync(client, [done(second, client_id)]))
    assert reused["code"] == "id_reused"
    assert not LessonProgress.objects.filter(lesson=second, completed_at__isnull=False).exists()


def test_a_lesson_of_a_course_the_learner_did_not_join_is_refused(learner, home):
    elsewhere = make_course("Thương mại điện tử", lessons=1)
    lesson = lessons_of(elsewhere)[0]
    refused = only(sync(client_for(learner), [done(lesson)]))
    assert refused["ok"] is False and refused["code"] == "not_enrolled"
    assert not OfflineAction.objects.exists() and not LessonProgress.objects.exists()


def test_withdrawn_unpublished_and_unknown_lessons_are_refused(learner, course):
    client = client_for(learner)
    draft = make_lesson(course, "Bản nháp", publish=False)
    assert only(sync(client, [done(draft)]))["code"] == "no_lesson"
    assert only(sync(client, [{**done(draft), "lesson": 999999}]))["code"] == "no_lesson"
    Enrolment.objects.filter(user=learner).update(status=Enrolment.Status.WITHDRAWN)
    assert only(sync(client, [done(lessons_of(course)[0])]))["code"] == "withdrawn"
    assert not OfflineAction.objects.exists()


def test_marking_a_quiz_lesson_done_from_the_phone_completes_nothing(learner, course):
    """A browser-reported "done" never replaces the server-graded quiz (nor a certificate)."""
    client = client_for(learner)
    for lesson in lessons_of(course)[:2]:
        assert only(sync(client, [done(lesson)]))["status"] == "recorded"
    quiz_lesson = lessons_of(course)[2]
    refused = only(sync(client, [done(quiz_lesson)]))
    assert refused["code"] == "quiz_required"
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.status == Enrolment.Status.ACTIVE and enrolment.completed_at is None
    assert not enrolment.certificates.exists()


# --- quizzes answered offline -----------------------------------------------------------------


def test_a_quiz_answered_offline_is_graded_on_the_server_once(learner, course):
    client = client_for(learner)
    lesson = lessons_of(course)[2]
    form = offline_form(client, lesson)
    assert form["draw"] and not form["attempt"]
    # Reloading the form draws nothing new.
    assert offline_form(client, lesson)["q"] == form["q"]
    action = quiz_action(lesson, form, answers_for(lesson, form["q"]))
    graded = only(sync(client, [action]))
    assert graded["ok"] and graded["status"] == "recorded"
    assert graded["score"] == 100 and graded["passed"] is True
    replay = only(sync(client, [action]))
    assert replay["status"] == "duplicate" and replay["score"] == 100
    attempt = QuizAttempt.objects.get()
    assert attempt.state == QuizAttempt.State.SUBMITTED and attempt.passed
    assert [q["id"] for q in attempt.questions] == list(form["q"])
    assert LessonProgress.objects.get(lesson=lesson).completed_at is not None
    # The same answers under a new id (the phone lost its receipt): still one graded attempt.
    again = only(sync(client, [quiz_action(lesson, form, answers_for(lesson, form["q"]))]))
    assert again["ok"] is False and again["code"] == "passed"
    assert QuizAttempt.objects.count() == 1


def test_the_offline_form_carries_no_answers(learner, course):
    client = client_for(learner)
    lesson = lessons_of(course)[2]
    html = client.get(reverse("courses:quiz_offline", args=[lesson.pk])).content.decode()
    form = offline_form(client, lesson)
    data = signing.loads(form["draw"], salt=offline_quiz.TOKEN_SALT)
    assert set(data) == {"u", "l", "b", "q", "n"}
    assert all(len(entry) == 2 for entry in data["q"])  # question id, its choice ids: no flags
    assert "correct" not in html and "Giải thích" not in html


def test_a_forged_or_borrowed_quiz_form_is_refused(learner, other, course):
    lesson = lessons_of(course)[2]
    form = offline_form(client_for(learner), lesson)
    answers = answers_for(lesson, form["q"])
    forged = {**form, "draw": form["draw"][:-3] + ("AAA" if form["draw"][-3:] != "AAA" else "BBB")}
    refused = only(sync(client_for(learner), [quiz_action(lesson, forged, answers)]))
    assert refused["code"] == "bad_draw"
    # A signed draw of one learner, sent by another.
    borrowed = only(sync(client_for(other), [quiz_action(lesson, form, answers)]))
    assert borrowed["code"] == "bad_draw"
    # A signed draw for one lesson, sent for another.
    moved = quiz_action(lesson, form, answers)
    moved["lesson"] = lessons_of(course)[0].pk
    assert only(sync(client_for(learner), [moved]))["code"] in ("bad_draw", "no_quiz")
    # Another learner's open attempt by id.
    by_id = {**moved, "lesson": lesson.pk, "draw": None, "attempt": 1}
    assert only(sync(client_for(other), [by_id]))["code"] == "unknown_attempt"
    assert not QuizAttempt.objects.exists() and not OfflineAction.objects.exists()


def test_unknown_choices_and_missing_answers_count_no_attempt(learner, course):
    client = client_for(learner)
    lesson = lessons_of(course)[2]
    form = offline_form(client, lesson)
    answers = answers_for(lesson, form["q"])
    first = next(iter(answers))
    bad = only(sync(client, [quiz_action(lesson, form, {**answers, first: ["not-a-choice"]})]))
    assert bad["code"] == "invalid_answers" and bad["error"]
    missing = only(sync(client, [quiz_action(lesson, form, {first: answers[first]})]))
    assert missing["code"] == "invalid_answers"
    stranger = only(sync(client, [quiz_action(lesson, form, {**answers, "q-forged": ["x"]})]))
    assert stranger["code"] == "unknown_question"
    shapes = [[1, 2], {"a": "b"}, {"a": [1]}, "text"]
    for shape in shapes:
        assert only(sync(client, [quiz_action(lesson, form, shape)]))["code"] == "bad_answers"
    huge = {f"q{n}": ["x"] for n in range(500)}
    assert only(sync(client, [quiz_action(lesson, form, huge)]))["code"] == "too_large"
    assert not QuizAttempt.objects.exists()
    # Still answerable: nothing was counted.
    assert only(sync(client, [quiz_action(lesson, form, answers)]))["passed"] is True


def test_the_attempt_limit_holds_for_offline_answers(learner, course):
    course.quiz_attempts = 1
    course.save_revision().publish()
    client = client_for(learner)
    lesson = lessons_of(course)[2]
    form = offline_form(client, lesson)
    wrong = only(
        sync(client, [quiz_action(lesson, form, answers_for(lesson, form["q"], correct=False))])
    )
    assert wrong["ok"] and wrong["passed"] is False
    # The same (stale) form again, or the form fetched now: locked until the wait is over.
    right = answers_for(lesson, form["q"])
    stale = only(sync(client, [quiz_action(lesson, form, right)]))
    assert stale["ok"] is False and stale["code"] == "locked"
    page = client.get(reverse("courses:quiz_offline", args=[lesson.pk])).content.decode()
    assert BeautifulSoup(page, "html.parser").select_one("form.quiz-offline") is None
    assert QuizAttempt.objects.count() == 1


def test_a_used_quiz_form_cannot_be_answered_again(learner, course):
    client = client_for(learner)
    lesson = lessons_of(course)[2]
    form = offline_form(client, lesson)
    wrong = answers_for(lesson, form["q"], correct=False)
    assert only(sync(client, [quiz_action(lesson, form, wrong)]))["passed"] is False
    right = answers_for(lesson, form["q"])
    again = only(sync(client, [quiz_action(lesson, form, right)]))
    assert again["ok"] is False and again["code"] == "stale_draw"
    assert QuizAttempt.objects.count() == 1
    # The form fetched now is a new draw, and it is answerable.
    fresh = offline_form(client, lesson)
    assert fresh["draw"] != form["draw"]
    right = answers_for(lesson, fresh["q"])
    assert only(sync(client, [quiz_action(lesson, fresh, right)]))["passed"] is True


def test_an_attempt_started_online_can_be_answered_offline(learner, course):
    client = client_for(learner)
    lesson = lessons_of(course)[2]
    assert client.post(reverse("courses:quiz_start", args=[lesson.pk])).status_code == 302
    form = offline_form(client, lesson)
    assert form["attempt"] and not form["draw"]
    graded = only(sync(client, [quiz_action(lesson, form, answers_for(lesson, form["q"]))]))
    assert graded["passed"] is True and graded["attempt"] == int(form["attempt"])
    assert QuizAttempt.objects.count() == 1


# --- the batch as a whole ---------------------------------------------------------------------


def test_malformed_and_huge_batches_are_refused_as_a_whole(learner, course):
    client = client_for(learner)
    lesson = lessons_of(course)[0]
    assert client.post(SYNC, "{not json", "application/json").status_code == 400
    assert client.post(SYNC, json.dumps([1, 2]), "application/json").status_code == 400
    assert client.post(SYNC, json.dumps({"actions": "x"}), "application/json").status_code == 400
    too_many = [done(lesson) for _ in range(MAX_ACTIONS + 1)]
    response = sync(client, too_many)
    assert response.status_code == 400 and "100" in response.json()["error"]
    big = json.dumps({"actions": [], "padding": "x" * 300_000})
    assert client.post(SYNC, big, "application/json").status_code == 413
    deep = "[" * 100_000 + "]" * 100_000
    nested = '{"actions": [], "d": ' + deep[:200_000] + "}"
    assert client.post(SYNC, nested, "application/json").status_code in (400, 413)
    assert not OfflineAction.objects.exists() and not LessonProgress.objects.exists()


@pytest.mark.parametrize(
    "action",
    [
        {"kind": "lesson_done", "lesson": 1},
        {"id": "not-a-uuid", "kind": "lesson_done", "lesson": 1},
        {"id": "x" * 5000, "kind": "lesson_done", "lesson": 1},
        {"id": "7d4f1c2e-8a9b-4c3d-9e8f-0a1b2c3d4e5f", "kind": "delete_all", "lesson": 1},
        {"id": "7d4f1c2e-8a9b-4c3d-9e8f-0a1b2c3d4e5f", "kind": "lesson_done", "lesson": True},
        {"id": "7d4f1c2e-8a9b-4c3d-9e8f-0a1b2c3d4e5f", "kind": "lesson_done", "lesson": "1e9"},
        {"id": "7d4f1c2e-8a9b-4c3d-9e8f-0a1b2c3d4e5f", "kind": "lesson_done", "lesson": 10**30},
        "a string",
        None,
    ],
    ids=[
        "no-id",
        "bad-id",
        "huge-id",
        "unknown-kind",
        "bool-lesson",
        "text-lesson",
        "huge-lesson",
        "string",
        "null",
    ],  # fmt: skip
)
def test_malformed_actions_get_a_reason_each(learner, action):
    result = only(sync(client_for(learner), [action]))
    assert result["ok"] is False and result["retry"] is False and result["error"]
    assert result["id"] is None or len(result["id"]) <= 36
    assert not OfflineAction.objects.exists()


def test_only_signed_in_learners_with_a_csrf_token_may_sync(learner, course):
    lesson = lessons_of(course)[0]
    anonymous = sync(Client(), [done(lesson)])
    assert anonymous.status_code == 401 and anonymous.json()["error"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert sync(strict, [done(lesson)]).status_code == 403
    assert client_for(learner).get(SYNC).status_code == 405
    assert not OfflineAction.objects.exists()


def test_a_future_phone_clock_is_not_believed(learner, course):
    lesson = lessons_of(course)[0]
    only(sync(client_for(learner), [{**done(lesson), "at": "2099-01-01T00:00:00Z"}]))
    receipt = OfflineAction.objects.get()
    assert receipt.happened_at <= receipt.received_at


# --- saving a course for offline ----------------------------------------------------------------


def media_lesson(course) -> LessonPage:
    image = get_image_model().objects.create(title="Ảnh bản đồ", file=get_test_image_file())
    audio = get_document_model().objects.create(
        title="Bài đọc", file=ContentFile(b"ID3" + b"\0" * 2045, name="bai-doc.mp3")
    )
    lesson = make_lesson(course, "Bài có ảnh và tiếng")
    raw = [
        {"type": "text", "value": "<p>Xem ảnh.</p>", "id": str(uuid.uuid4())},
        {
            "type": "image",
            "value": {"image": image.pk, "caption": "", "alt_text": "Bản đồ"},
            "id": str(uuid.uuid4()),
        },
        {
            "type": "audio",
            "value": {"title": "Nghe bài", "file": audio.pk, "transcript": ""},
            "id": str(uuid.uuid4()),
        },
    ]
    lesson.body = StreamValue(LessonPage.body.field.stream_block, raw, is_lazy=True)
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


def test_the_offline_manifest_lists_every_page_and_file_with_sizes(learner, course):
    lesson = media_lesson(course)
    draft = make_lesson(course, "Chưa xuất bản", publish=False)
    client = client_for(learner)
    response = client.get(reverse("courses:offline_manifest", args=[course.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    data = response.json()
    urls = {entry["url"]: entry for entry in data["entries"]}
    for page in lessons_of(course):
        assert page.url in urls and urls[page.url]["kind"] == "page"
    assert draft.url not in urls
    quiz_lesson = next(page for page in lessons_of(course) if page.has_quiz)
    assert reverse("courses:quiz_offline", args=[quiz_lesson.pk]) in urls
    renditions = [u for u in urls if "/images/" in u and ".width-800" in u]
    assert len(renditions) == 1 and urls[renditions[0]]["bytes"] > 0
    audio = [u for u in urls if u.startswith("/documents/") and "/bai-doc" in u]
    assert len(audio) == 1 and urls[audio[0]]["bytes"] == 2048
    assert "/static/css/site.css" in urls and "/static/js/offline.js" in urls
    assert data["total_bytes"] == sum(entry["bytes"] for entry in data["entries"])
    assert data["cache"] == f"hocso-course-{course.pk}" and lesson.url in urls
    # The learner's pending messages were not used up by rendering the lessons.
    assert not OfflineAction.objects.exists()


def test_the_offline_manifest_is_for_enrolled_learners_only(learner, other, course, commune):
    url = reverse("courses:offline_manifest", args=[course.pk])
    assert Client().get(url).status_code == 302
    stranger = make_learner(unit=commune, username="stranger")
    assert client_for(stranger).get(url).status_code == 404
    Enrolment.objects.filter(user=other).update(status=Enrolment.Status.WITHDRAWN)
    assert client_for(other).get(url).status_code == 404
    course.unpublish()
    assert client_for(learner).get(url).status_code == 404
    quiz_lesson = lessons_of(course)[-1]
    quiz_url = reverse("courses:quiz_offline", args=[quiz_lesson.pk])
    assert client_for(stranger).get(quiz_url).status_code == 404


def test_the_course_page_offers_saving_for_offline_to_enrolled_learners(learner, course, commune):
    html = client_for(learner).get(course.url).content.decode()
    widget = BeautifulSoup(html, "html.parser").select_one("#offline-save")
    assert widget is not None
    assert widget["data-manifest-url"] == reverse("courses:offline_manifest", args=[course.pk])
    assert "Lưu để học ngoại tuyến" in widget.get_text()
    visitor = client_for(make_learner(unit=commune, username="visitor"))
    assert 'id="offline-save"' not in visitor.get(course.url).content.decode()


# --- the installable app -------------------------------------------------------------------------


def test_the_service_worker_covers_the_site_and_uses_our_workbox(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/" and response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    assert 'importScripts("/static/workbox/workbox-sw.js")' in source
    assert "http" not in source.split("const CONFIG")[0].replace("// ", "")  # no CDN
    config = json.loads(source.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert {"url": "/offline/"}.items() <= next(
        e for e in config["precache"] if e["url"] == "/offline/"
    ).items()
    from django.contrib.staticfiles import finders

    for module in [*config["modules"].values(), "/static/workbox/workbox-sw.js"]:
        assert finders.find(module.removeprefix("/static/")), module


def test_the_web_manifest_names_the_app_in_vietnamese(client):
    from django.contrib.staticfiles import finders

    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"].startswith("application/manifest+json")
    data = json.loads(response.content)
    assert data["name"] == "Học Số" and data["short_name"] == "Học Số" and data["lang"] == "vi"
    assert data["display"] == "standalone" and data["scope"] == "/"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon["purpose"] == "maskable" for icon in data["icons"])
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_every_page_links_the_manifest_and_the_offline_script(client, home):
    soup = BeautifulSoup(client.get("/offline/").content, "html.parser")
    assert soup.select_one("link[rel=manifest]")["href"] == "/manifest.webmanifest"
    assert soup.select_one("script#offline-config") is not None
    assert soup.select_one("ul.offline-courses") is not None


def test_page_references_find_media_generically_and_skip_embedded_players():
    from courses.offline.manifest import page_references

    html = """
      <link rel="stylesheet" href="/static/css/site.css"><script src="/static/js/a.js"></script>
      <img src="/media/images/x.width-800.jpg"><audio src="/documents/3/tieng.mp3"></audio>
      <video poster="/media/images/p.width-800.jpg"><source src="/media/v.mp4">
        <track src="/media/v.vtt"></video>
      <a href="/media/tai.pdf" download>tải</a><a href="/courses/">khoá học</a>
      <a href="/documents/4/so-tay.pdf">sổ tay</a>
      <iframe class="h5p-frame" src="/learn/h5p/play/1/abc/"></iframe>
      <img src="https://cdn.example.org/a.png">"""
    found = page_references(html, "http://hocso.test/bai-1/")
    assert found == [
        "http://hocso.test/static/css/site.css",
        "http://hocso.test/static/js/a.js",
        "http://hocso.test/media/images/x.width-800.jpg",
        "http://hocso.test/documents/3/tieng.mp3",
        "http://hocso.test/media/images/p.width-800.jpg",
        "http://hocso.test/media/v.mp4",
        "http://hocso.test/media/v.vtt",
        "http://hocso.test/media/tai.pdf",
        "http://hocso.test/documents/4/so-tay.pdf",
        "https://cdn.example.org/a.png",
    ]


def test_the_offline_page_names_no_learner(client, home):
    """One copy of it is kept for the phone: shown to another learner on a shared phone, it
    must not delete their saved pages (offline.js does so for a change of learner)."""
    client.force_login(make_learner(username="nguoi-cai-dat"))
    soup = BeautifulSoup(client.get("/offline/").content, "html.parser")
    config = json.loads(soup.select_one("script#offline-config").string)
    assert config["user"] == 0 and config["sync"] == ""
    # Any other page names the learner (their queue, their saved pages).
    soup = BeautifulSoup(client.get(reverse("courses:my_learning")).content, "html.parser")
    assert json.loads(soup.select_one("script#offline-config").string)["user"] > 0
