"""The dialogue: public questions answered by the authorities, course discussions, moderation,
and the attacks on each (out-of-scope posting, forged roles, HTML, floods, huge posts)."""

import unicodedata

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dialogue.models import BODY_MAX, ModerationAction, Post, Report, Status, Thread
from dialogue.services import (
    content_hide,
    content_restore,
    post_create,
    report_create,
    thread_create,
)
from notify.models import Kind, Notification
from tests.dialogue.conftest import aged
from tests.factories import make_learner

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def ask(world, **extra):
    return thread_create(
        author=world["learner"],
        title="Hỗ trợ làm căn cước điện tử ở đâu?",
        body="Tôi ở xã Ia Grai, muốn kích hoạt VNeID thì đến đâu?",
        **extra,
    )


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


# --- public questions ----------------------------------------------------------------------------
def test_learner_asks_manager_answers_officially_and_the_asker_is_told(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["learner"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dialogue:ask"),
            {"title": "Hỗ trợ làm căn cước điện tử ở đâu?", "body": "Đến đâu để kích hoạt?"},
        )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hoi-dap/{thread.pk}/"
    assert (thread.kind, thread.status, thread.org_unit) == (
        "question",
        "visible",
        world["ia_grai"],
    )

    client.force_login(world["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("dialogue:reply", args=[thread.pk]),
            {"body": "Mời anh chị đến bộ phận một cửa UBND xã vào sáng thứ Hai.", "official": "0"},
        )
    post = Post.objects.get()
    thread.refresh_from_db()
    assert post.official is True and thread.answered_at is not None
    told = Notification.objects.get(user=world["learner"], kind=Kind.ANSWER)
    assert told.url == f"/hoi-dap/{thread.pk}/"

    page = soup(client.get(reverse("dialogue:thread", args=[thread.pk])))
    badges = [b.get_text(strip=True) for b in page.select(".post.official .official-badge")]
    assert len(badges) == 1


def test_a_learner_cannot_answer_someone_elses_question_even_claiming_to_be_official(client, world):
    thread = ask(world)
    other = aged(make_learner(unit=world["ia_grai"], username="khac"))
    client.force_login(other)
    response = client.post(
        reverse("dialogue:reply", args=[thread.pk]), {"body": "Tôi trả lời", "official": "1"}
    )
    assert response.status_code == 403
    assert not Post.objects.exists()


def test_the_askers_follow_up_is_never_official_whatever_the_form_says(client, world):
    thread = ask(world)
    client.force_login(world["learner"])
    client.post(reverse("dialogue:reply", args=[thread.pk]), {"body": "Thêm", "official": "1"})
    assert Post.objects.get().official is False
    thread.refresh_from_db()
    assert thread.answered_at is None


def test_a_trainer_or_manager_outside_the_askers_unit_cannot_answer(world):
    thread = ask(world)
    for official in (world["trainer_out"], world["manager_out"]):
        with pytest.raises(PermissionDenied):
            post_create(thread=thread, author=official, body="Trả lời ngoài phạm vi")
    assert not Post.objects.exists()


def test_anonymous_visitors_read_but_never_post(client, world):
    thread = ask(world)
    assert client.get(reverse("dialogue:thread", args=[thread.pk])).status_code == 200
    for url, data in (
        (reverse("dialogue:ask"), {"title": "t", "body": "b"}),
        (reverse("dialogue:reply", args=[thread.pk]), {"body": "b"}),
        (reverse("dialogue:report", args=[thread.pk]), {"reason": "r"}),
    ):
        response = client.post(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Thread.objects.count() == 1 and not Post.objects.exists()
    assert not Report.objects.exists()


def test_html_is_stored_as_text_and_escaped_on_the_page(client, world):
    thread = thread_create(author=world["learner"], title=XSS, body=XSS)
    assert thread.body == XSS
    page = client.get(reverse("dialogue:thread", args=[thread.pk]))
    html = soup(page)
    assert not html.select("main script") and not html.select("main img")
    assert html.select_one("h1").get_text() == XSS
    assert b"&lt;script&gt;" in page.content
    listing = soup(client.get(reverse("dialogue:questions")))
    assert not listing.select("main script") and listing.select_one(".questions h2 a").text == XSS


def test_text_is_stored_nfc_without_control_characters(world):
    decomposed = unicodedata.normalize("NFD", "Hỏi về thủ tục")
    thread = thread_create(
        author=world["learner"], title=decomposed + "\x00\u202e", body=decomposed + "\x07"
    )
    assert thread.title == "Hỏi về thủ tục" == thread.body
    assert unicodedata.is_normalized("NFC", thread.title)


def test_a_huge_post_is_refused_with_a_message_and_nothing_saved(client, world):
    thread = ask(world)
    client.force_login(world["learner"])
    response = client.post(
        reverse("dialogue:reply", args=[thread.pk]), {"body": "a" * (BODY_MAX + 1)}, follow=True
    )
    assert not Post.objects.exists()
    assert "5000" in soup(response).select_one(".messages, [role=alert]").get_text()
    with pytest.raises(ValidationError):
        post_create(thread=thread, author=world["learner"], body="b" * 100_000)
    response = client.post(reverse("dialogue:ask"), {"title": "x" * 201, "body": "b"})
    assert response.status_code == 200 and Thread.objects.count() == 1


def test_flooding_is_stopped_by_the_rate_limit(client, world, settings):
    settings.LMS_DIALOGUE_WRITES_PER_MINUTE = 3
    thread = ask(world)
    client.force_login(world["learner"])
    codes = [
        client.post(reverse("dialogue:reply", args=[thread.pk]), {"body": f"Lần {n}"}).status_code
        for n in range(5)
    ]
    assert codes == [302, 302, 302, 429, 429]
    assert Post.objects.count() == 3


# --- course discussions --------------------------------------------------------------------------
def test_only_the_courses_learners_and_trainers_take_part(client, world):
    course = world["course"]
    url = reverse("dialogue:course", args=[course.pk])
    client.force_login(world["outsider"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Chen vào", "body": "Không ghi danh"}).status_code == 403
    with pytest.raises(PermissionDenied):
        thread_create(author=world["outsider"], title="t", body="b", course=course)
    assert not Thread.objects.exists()

    client.force_login(world["learner"])
    response = client.post(url, {"title": "Bài 1 khó quá", "body": "Ai giúp với?"})
    thread = Thread.objects.get()
    assert response["Location"] == f"/hoi-dap/{thread.pk}/"
    # The thread itself is closed to outsiders, and so is replying in it.
    client.force_login(world["outsider"])
    assert client.get(reverse("dialogue:thread", args=[thread.pk])).status_code == 404
    assert (
        client.post(reverse("dialogue:reply", args=[thread.pk]), {"body": "x"}).status_code == 404
    )
    # The course's trainer answers officially; a trainer of another province is an outsider.
    post = post_create(thread=thread, author=world["trainer"], body="Xem lại video phút thứ 3.")
    assert post.official
    with pytest.raises(PermissionDenied):
        post_create(thread=thread, author=world["trainer_out"], body="x")


def test_a_withdrawn_learner_leaves_the_discussion(world):
    from courses.models import Enrolment

    Enrolment.objects.filter(user=world["learner"]).update(status="withdrawn")
    with pytest.raises(PermissionDenied):
        thread_create(author=world["learner"], title="t", body="b", course=world["course"])


# --- moderation ----------------------------------------------------------------------------------
def test_a_new_accounts_question_waits_for_a_moderator_who_is_told(client, world, commit, settings):
    newcomer = make_learner(unit=world["ia_le"], username="moi")
    thread = commit(thread_create, author=newcomer, title="Câu hỏi đầu tiên", body="Nội dung")
    assert thread.status == Status.PENDING
    assert client.get(reverse("dialogue:thread", args=[thread.pk])).status_code == 404
    assert b"C\xc3\xa2u h\xe1\xbb\x8fi \xc4\x91\xe1\xba\xa7u" not in client.get("/hoi-dap/").content
    assert Notification.objects.filter(user=world["manager"], url="/hoi-dap/kiem-duyet/").exists()
    assert not Notification.objects.filter(user=world["manager_out"]).exists()

    client.force_login(world["manager"])
    queue = soup(client.get(reverse("dialogue:moderation")))
    assert [a.text for a in queue.select(".pending a")] == ["Câu hỏi đầu tiên"]
    client.post(reverse("dialogue:moderate", args=[thread.pk]), {"action": "approve"})
    thread.refresh_from_db()
    assert thread.status == Status.VISIBLE
    assert ModerationAction.objects.get().action == "approve"


def test_a_learner_cannot_hide_and_a_moderator_needs_a_reason(client, world):
    thread = ask(world)
    post = post_create(thread=thread, author=world["manager"], body="Trả lời")
    client.force_login(world["learner"])
    response = client.post(
        reverse("dialogue:moderate", args=[thread.pk]),
        {"action": "hide", "post": post.pk, "reason": "Tôi không thích"},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        content_hide(by=world["manager_out"], thread=thread, post=post, reason="Ngoài phạm vi")
    post.refresh_from_db()
    assert post.status == Status.VISIBLE and not ModerationAction.objects.exists()

    with pytest.raises(ValidationError):
        content_hide(by=world["manager"], thread=thread, post=post, reason="  ")
    content_hide(by=world["manager"], thread=thread, post=post, reason="Thông tin cá nhân")
    content_restore(by=world["manager"], thread=thread, post=post, reason="Đã xoá số điện thoại")
    post.refresh_from_db()
    assert post.status == Status.VISIBLE
    assert list(ModerationAction.objects.order_by("pk").values_list("action", "reason", "by")) == [
        ("hide", "Thông tin cá nhân", world["manager"].pk),
        ("restore", "Đã xoá số điện thoại", world["manager"].pk),
    ]


def test_a_hidden_post_shows_only_to_moderators(client, world):
    thread = ask(world)
    post = post_create(thread=thread, author=world["learner"], body="Số CCCD của tôi là 0123")
    content_hide(by=world["manager"], thread=thread, post=post, reason="Thông tin cá nhân")
    url = reverse("dialogue:thread", args=[thread.pk])
    assert b"0123" not in client.get(url).content
    client.force_login(world["learner"])
    assert b"0123" not in client.get(url).content
    client.force_login(world["manager"])
    assert b"0123" in client.get(url).content


def test_a_report_tells_the_moderators_once(client, world, django_capture_on_commit_callbacks):
    thread = ask(world)
    post = post_create(thread=thread, author=world["learner"], body="Quảng cáo bán hàng")
    reporter = aged(make_learner(unit=world["ia_grai"], username="nguoibao"))
    client.force_login(reporter)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("dialogue:report", args=[thread.pk]),
                {"post": post.pk, "reason": "Quảng cáo"},
            )
    assert Report.objects.get().post == post
    assert Notification.objects.filter(user=world["manager"]).count() == 1
    # A post id from another thread is not a way to report it here.
    other = thread_create(author=reporter, title="Khác", body="Khác")
    with pytest.raises(PermissionDenied):
        report_create(reporter=reporter, thread=other, post=post, reason="x")


def test_managers_see_open_questions_in_their_scope_and_how_long_they_wait(client, world):
    ask(world)
    thread_create(author=world["outsider"], title="Câu hỏi ở Đắk Lắk", body="Nội dung")
    client.force_login(world["manager"])
    page = soup(client.get(reverse("dialogue:moderation")))
    rows = page.select(".open-questions tbody tr")
    assert [r.select_one("a").text for r in rows] == ["Hỗ trợ làm căn cước điện tử ở đâu?"]
    assert rows[0].select("td")[1].text == "Xã Ia Grai"
    client.force_login(world["learner"])
    assert client.get(reverse("dialogue:moderation")).status_code == 403


def test_question_list_query_budget(client, world, django_assert_num_queries):
    for n in range(5):
        thread = thread_create(author=world["learner"], title=f"Câu hỏi {n}", body="b")
        post_create(thread=thread, author=world["manager"], body="Trả lời")
    client.get("/hoi-dap/")  # warm the site and settings caches
    # 1 count for the paginator, 1 page of questions with authors' profiles, units and reply
    # counts (one JOINed query).
    with django_assert_num_queries(2):
        response = client.get("/hoi-dap/")
    assert len(soup(response).select(".questions li.card")) == 5
