"""SCORM play on the server: the player page, commits of CMI data (saved per learner,
idempotent, bounded, scoped to the enrolled learner), resume, completion of the lesson, and
the attacks: a forged completion earns no certificate, another learner's player token is
refused, malformed and huge CMI data is refused with nothing stored."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from certificates.models import Certificate
from courses.models import Enrolment, LessonProgress, ScormAttempt
from courses.scorm.views import commit_token
from courses.services import enrolment_create
from tests.factories import make_course, make_learner, make_unit, tampered

from .scorm_support import import_file, make_scorm_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(home):
    unit = make_unit("Gia Lai")
    learner = make_learner(unit=unit, username="hnuong")
    other = make_learner(unit=unit, username="kpa")
    course = make_course("Kỹ năng số", lessons=0, quiz=[], certifying=False)
    package12 = import_file("scorm-debugger_multisco_SCORM12.zip")
    package2004 = import_file("golf_RuntimeBasicCalls_SCORM20043rdEdition.zip")
    lesson, block = make_scorm_lesson(course, package12)
    lesson2004, block2004 = make_scorm_lesson(course, package2004, title="Golf 2004")
    enrolment_create(user=learner, course=course)
    enrolment_create(user=other, course=course)
    return {
        "learner": learner,
        "other": other,
        "course": course,
        "lesson": lesson,
        "block": block,
        "lesson2004": lesson2004,
        "block2004": block2004,
    }


def token_for(world, user=None, lesson=None, block=None):
    return commit_token(
        user_id=(user or world["learner"]).pk,
        lesson_id=(lesson or world["lesson"]).pk,
        block_id=block or world["block"],
    )


def cmi12(status="incomplete", raw="", location="", suspend=""):
    return {
        "cmi": {
            "core": {
                "lesson_status": status,
                "lesson_location": location,
                "score": {"raw": raw, "min": "0", "max": "100"},
                "total_time": "0000:01:30.00",
            },
            "suspend_data": suspend,
        }
    }


def post(client, body, *, raw=False):
    data = body if raw else json.dumps(body)
    return client.post(reverse("courses:scorm:commit"), data, content_type="application/json")


def commit(client, world, cmi, *, seq=1, session="sessionAAAA", **token):
    return post(
        client, {"token": token_for(world, **token), "session": session, "seq": seq, "cmi": cmi}
    )


def attempt_of(world, user=None):
    return ScormAttempt.objects.filter(enrolment__user=user or world["learner"]).first()


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_player_page_for_an_enrolled_learner(client, world):
    client.force_login(world["learner"])
    url = reverse("courses:scorm:play", args=[world["lesson"].pk, world["block"]])
    response = client.get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'self'" in csp
    assert "default-src 'none'" in csp
    assert response["Cache-Control"] == "private, no-store"
    config = json.loads(
        response.content.decode()
        .split('id="scorm-config" type="application/json">')[1]
        .split("</script>")[0]
    )
    assert config["version"] == "1.2"
    assert config["launch"].endswith("/index.html")
    assert config["cmi"]["cmi"]["core"]["student_id"] == str(world["learner"].pk)
    assert "entry" not in config["cmi"]["cmi"]["core"]  # a first launch


def test_the_lesson_embeds_a_sandboxed_player(client, world):
    client.force_login(world["learner"])
    page = client.get(world["lesson"].url)
    html = page.content.decode()
    assert 'sandbox="allow-scripts allow-same-origin allow-forms allow-modals"' in html
    assert reverse("courses:scorm:play", args=[world["lesson"].pk, world["block"]]) in html
    assert "allow-top-navigation" not in html and "allow-popups" not in html


def test_player_refuses_who_is_not_enrolled(client, world):
    url = reverse("courses:scorm:play", args=[world["lesson"].pk, world["block"]])
    assert client.get(url).status_code == 302  # anonymous: sign in
    client.force_login(make_learner(unit=make_unit("Đắk Lắk"), username="stranger"))
    assert client.get(url).status_code == 404
    client.force_login(world["learner"])
    wrong = reverse("courses:scorm:play", args=[world["lesson"].pk, "no-such-block"])
    assert client.get(wrong).status_code == 404


def test_a_commit_is_saved_and_resumed(client, world):
    client.force_login(world["learner"])
    response = commit(
        client, world, cmi12("incomplete", raw="40", location="page-3", suspend="Q1=a;Q2=b")
    )
    assert response.status_code == 200, response.content
    assert response.json()["result"] is True and response.json()["errorCode"] == 0
    attempt = attempt_of(world)
    assert attempt.lesson_status == "incomplete"
    assert attempt.location == "page-3" and attempt.suspend_data == "Q1=a;Q2=b"
    assert attempt.score_raw == 40 and attempt.percent == 40
    assert attempt.total_seconds == 90
    assert attempt.self_reported
    assert LessonProgress.objects.get(lesson=world["lesson"]).completed_at is None
    # The player, loaded again, starts where the learner stopped.
    page = client.get(reverse("courses:scorm:play", args=[world["lesson"].pk, world["block"]]))
    config = json.loads(
        page.content.decode().split('type="application/json">')[1].split("</script>")[0]
    )
    core = config["cmi"]["cmi"]["core"]
    assert core["entry"] == "resume" and core["lesson_location"] == "page-3"
    assert config["cmi"]["cmi"]["suspend_data"] == "Q1=a;Q2=b"


def test_scorm_2004_commit(client, world):
    client.force_login(world["learner"])
    cmi = {
        "cmi": {
            "completion_status": "completed",
            "success_status": "passed",
            "location": "7",
            "score": {"scaled": "0.9", "raw": "90", "min": "0", "max": "100"},
            "suspend_data": "",
            "total_time": "PT2M5.5S",
        }
    }
    response = commit(client, world, cmi, lesson=world["lesson2004"], block=world["block2004"])
    assert response.status_code == 200, response.content
    attempt = attempt_of(world)
    assert (attempt.completion_status, attempt.success_status) == ("completed", "passed")
    assert attempt.percent == 90 and attempt.total_seconds == 125
    assert attempt.completed_at is not None
    progress = LessonProgress.objects.get(lesson=world["lesson2004"])
    assert progress.completed_at is not None and progress.score == 90


def test_commits_are_idempotent(client, world):
    client.force_login(world["learner"])
    assert commit(client, world, cmi12(location="a"), seq=1).json()["duplicate"] is False
    # A resend of commit 1 and a late, older commit change nothing.
    assert commit(client, world, cmi12(location="a"), seq=1).json()["duplicate"] is True
    assert commit(client, world, cmi12(location="b"), seq=3).status_code == 200
    assert commit(client, world, cmi12(location="OLD"), seq=2).json()["duplicate"] is True
    attempt = attempt_of(world)
    assert attempt.location == "b" and attempt.commits == 2 and attempt.seq == 3
    # A new page load is a new session: its first commit counts.
    assert (
        commit(client, world, cmi12(location="c"), seq=1, session="sessionBBBB").json()["duplicate"]
        is False
    )
    assert attempt_of(world).location == "c"


def test_completion_stays_once_reported(client, world):
    client.force_login(world["learner"])
    commit(client, world, cmi12("completed"), seq=1)
    commit(client, world, cmi12("incomplete"), seq=2)
    attempt = attempt_of(world)
    assert attempt.completed_at is not None
    assert LessonProgress.objects.get(lesson=world["lesson"]).completed_at is not None


def test_forged_completion_completes_lessons_but_earns_no_certificate(
    client, world, django_capture_on_commit_callbacks
):
    """Browser-reported SCORM results are never evidence: the course completes (it has no
    final assessment), nothing the server judged stands behind it, so no certificate."""
    client.force_login(world["learner"])
    world["course"].certifying = True  # even if the course claimed to certify
    world["course"].save()
    forged = cmi12("passed", raw="100")
    forged2004 = {"cmi": {"completion_status": "completed", "success_status": "passed",
                          "score": {"scaled": "1"}}}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert commit(client, world, forged).status_code == 200
        response = commit(
            client, world, forged2004, lesson=world["lesson2004"], block=world["block2004"]
        )
        assert response.json()["lessonCompleted"] is True
    enrolment = Enrolment.objects.get(user=world["learner"], course=world["course"])
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.evidence == ""
    assert not Enrolment.objects.filter(pk=enrolment.pk).with_evidence().exists()
    assert not Certificate.objects.filter(enrolment__user=world["learner"]).exists()


def test_forged_completion_does_not_replace_the_final_quiz(
    client, home, django_capture_on_commit_callbacks
):
    learner = make_learner(unit=make_unit("Gia Lai"))
    course = make_course("An toàn thông tin", lessons=0)  # with a final quiz
    lesson, block = make_scorm_lesson(course, import_file("golf_CPSingleSCO_SCORM12.zip"))
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    body = {
        "token": commit_token(user_id=learner.pk, lesson_id=lesson.pk, block_id=block),
        "session": "sessionAAAA",
        "seq": 1,
        "cmi": cmi12("passed", raw="100"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, body).status_code == 200
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert LessonProgress.objects.get(lesson=lesson).completed_at is not None
    assert enrolment.status == Enrolment.Status.ACTIVE  # the quiz is still to pass
    assert not Certificate.objects.filter(enrolment=enrolment).exists()


def test_another_learners_player_token_is_refused(client, world, english):
    # kpa uses hnuong's token (copied from her page): refused, nothing written for either.
    client.force_login(world["other"])
    response = commit(client, world, cmi12("completed"))
    assert response.status_code == 403
    assert response.json()["code"] == "wrong_learner"
    assert response.json()["result"] is False
    assert not ScormAttempt.objects.exists()


def test_a_token_names_one_block_of_one_lesson(client, world):
    client.force_login(world["learner"])
    forged = token_for(world, block="another-block")
    body = {"token": forged, "session": "sessionAAAA", "seq": 1, "cmi": cmi12("completed")}
    assert post(client, body).status_code == 404
    body["token"] = tampered(token_for(world))  # tampered signature
    assert post(client, body).status_code == 403
    assert not ScormAttempt.objects.exists()


def test_withdrawn_and_unenrolled_learners_cannot_commit(client, world):
    enrolment = Enrolment.objects.get(user=world["learner"])
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.save()
    client.force_login(world["learner"])
    assert commit(client, world, cmi12("completed")).status_code == 403
    stranger = make_learner(unit=make_unit("Đắk Lắk"), username="stranger")
    client.force_login(stranger)
    assert commit(client, world, cmi12("completed"), user=stranger).status_code == 403
    assert not ScormAttempt.objects.exists()


def test_anonymous_commits_are_refused(client, world):
    response = commit(client, world, cmi12("completed"))
    assert response.status_code == 302
    assert not ScormAttempt.objects.exists()


MALFORMED = {
    "status_word": (cmi12("mastered"), "invalid_cmi"),
    "status_type": ({"cmi": {"core": {"lesson_status": ["completed"]}}}, "invalid_cmi"),
    "core_type": ({"cmi": {"core": "completed"}}, "invalid_cmi"),
    "cmi_type": ({"cmi": [1, 2]}, "invalid_cmi"),
    "score_high": (cmi12(raw="101"), "invalid_cmi"),
    "score_negative": (cmi12(raw="-5"), "invalid_cmi"),
    "score_text": (cmi12(raw="lots"), "invalid_cmi"),
    "score_bool": (cmi12(raw=True), "invalid_cmi"),
    "suspend_huge": (cmi12(suspend="x" * 64001), "cmi_too_large"),
    "location_huge": (cmi12(location="x" * 1001), "cmi_too_large"),
    "nul": (cmi12(location="a\x00b"), "invalid_cmi"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_cmi_is_refused_and_nothing_is_stored(client, world, english, case):
    cmi, code = MALFORMED[case]
    client.force_login(world["learner"])
    response = commit(client, world, cmi)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["result"] is False and response.json()["errorCode"] == 101
    assert not ScormAttempt.objects.exists()


def test_malformed_2004_values(client, world):
    client.force_login(world["learner"])
    ids = {"lesson": world["lesson2004"], "block": world["block2004"]}
    for cmi in (
        {"cmi": {"completion_status": "done"}},
        {"cmi": {"success_status": "passed!"}},
        {"cmi": {"score": {"scaled": "1.5"}}},
        {"cmi": {"score": {"raw": "1e309"}}},
    ):
        assert commit(client, world, cmi, **ids).status_code == 400, cmi
    body = json.dumps({"token": token_for(world, **ids), "session": "sessionAAAA", "seq": 1})
    nan = body[:-1] + ', "cmi": {"cmi": {"score": {"scaled": NaN}}}}'
    assert post(client, nan, raw=True).status_code == 400
    assert not ScormAttempt.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[1, 2]",
        '"text"',
        "{" * 5000,
    ],
    ids=["text", "array", "string", "deep"],
)
def test_malformed_bodies_are_refused(client, world, body):
    client.force_login(world["learner"])
    assert post(client, body, raw=True).status_code in (400, 403)
    assert not ScormAttempt.objects.exists()


def test_bad_sessions_and_sequence_numbers(client, world):
    client.force_login(world["learner"])
    for session, seq in (("", 1), ("x" * 65, 1), ("ok-session", 0), ("ok-session", True),
                         ("ok-session", -1), ("ok-session", 2**40), ("ok session!", 1),
                         ("ok-session", "1")):  # fmt: skip
        response = commit(client, world, cmi12(), session=session, seq=seq)
        assert response.status_code == 400, (session, seq)
    body = {"session": "sessionAAAA", "seq": 1, "cmi": cmi12()}  # no token
    assert post(client, body).status_code == 403
    assert not ScormAttempt.objects.exists()


def test_huge_bodies_are_refused_before_reading(client, world):
    client.force_login(world["learner"])
    response = commit(client, world, cmi12(suspend="x" * 200_000))
    assert response.status_code == 413
    assert not ScormAttempt.objects.exists()


def test_refusals_are_translated(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(world["other"])
    message = commit(client, world, cmi12("completed")).json()["error"]
    assert message and "another learner" not in message
