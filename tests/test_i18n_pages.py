"""Pages and messages in both interface languages: Vietnamese by default, English by choice.

django-allauth ships no Vietnamese catalogue, so its messages are translated in the project's
(see lms/allauth_messages.py); error pages, language names and plurals are translated too.
"""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import translation

from tests.factories import PASSWORD, UserFactory, make_course, make_learner, make_unit

pytestmark = pytest.mark.django_db

WRONG_LOGIN = {
    "vi": "Tên đăng nhập hoặc mật khẩu không đúng.",
    "en": "The username and/or password you specified are not correct.",
}
PASSWORD_MISMATCH = {
    "vi": "Hai lần nhập mật khẩu không giống nhau.",
    "en": "You must type the same password each time.",
}


def text(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def in_english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture(params=["vi", "en"])
def language(request, client):
    if request.param == "en":
        in_english(client)
    return request.param


def test_every_allauth_message_kept_for_the_catalogue_is_translated():
    from lms.allauth_messages import MESSAGES

    plain = [message for message in MESSAGES if isinstance(message, str)]
    assert len(plain) > 20
    with translation.override("vi"):
        assert [m for m in plain if translation.gettext(m) == m and m != "Email"] == []


class TestSignIn:
    def test_wrong_password_is_explained_in_the_interface_language(self, client, home, language):
        UserFactory(username="hnuong")
        response = client.post("/accounts/login/", {"login": "hnuong", "password": "sai-roi"})
        assert response.status_code == 200
        page = text(response)
        assert WRONG_LOGIN[language] in page
        other = "en" if language == "vi" else "vi"
        assert WRONG_LOGIN[other] not in page

    def test_signed_in_and_out_messages_are_vietnamese(self, client, home):
        UserFactory(username="hnuong")
        response = client.post(
            "/accounts/login/", {"login": "hnuong", "password": PASSWORD}, follow=True
        )
        assert "Bạn đã đăng nhập với tên hnuong." in text(response)
        response = client.post("/accounts/logout/", follow=True)
        assert "Bạn đã đăng xuất." in text(response)

    def test_login_page_points_learners_without_email_to_their_trainer(self, client, home):
        page = text(client.get("/accounts/login/"))
        assert "Tên đăng nhập" in page and "Mật khẩu" in page
        assert "hãy nhờ giảng viên đặt lại mật khẩu" in page
        assert "Ghi nhớ đăng nhập trên thiết bị này" in page


class TestSignUp:
    def test_mismatched_passwords_are_explained_in_the_interface_language(
        self, client, home, language
    ):
        response = client.post(
            "/accounts/signup/",
            {"username": "hnuong", "password1": "Rung-xanh-2026", "password2": "Rung-xanh-2027"},
        )
        assert response.status_code == 200
        assert PASSWORD_MISMATCH[language] in text(response)

    def test_password_and_username_rules_are_vietnamese(self, client, home):
        UserFactory(username="hnuong")
        response = client.post(
            "/accounts/signup/", {"username": "hnuong", "password1": "123", "password2": "123"}
        )
        page = text(response)
        assert "Tên đăng nhập này đã có người dùng." in page
        assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in page  # missing from Django's
        assert "Mật khẩu này hoàn toàn là số." in page
        assert "This password" not in page
        response = client.post(
            "/accounts/signup/",
            {"username": "trần", "password1": "Rung-xanh-2026", "password2": "Rung-xanh-2026"},
        )
        assert "Tên đăng nhập không hợp lệ" in text(response)


class TestPasswordReset:
    def test_learners_without_email_are_sent_to_their_trainer(self, client, home, language):
        page = text(client.get("/accounts/password/reset/"))
        if language == "vi":
            assert "hãy nhờ giảng viên đặt lại mật khẩu cho bạn" in page
        else:
            assert "ask your trainer to reset your password for you" in page

    def test_reset_email_and_pages_are_vietnamese(self, client, home, mailoutbox):
        from allauth.account.models import EmailAddress

        user = UserFactory(username="hoa")
        user.email = "hoa@example.com"
        user.save()
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
        response = client.post(
            "/accounts/password/reset/", {"email": "hoa@example.com"}, follow=True
        )
        assert "Hãy kiểm tra email" in text(response)
        (mail,) = mailoutbox
        assert "Đặt lại mật khẩu" in mail.subject
        assert "Tên đăng nhập của bạn là hoa." in mail.body
        link = next(word for word in mail.body.split() if word.startswith("http"))
        form = client.get(link, follow=True)
        assert "Đặt mật khẩu mới" in text(form)
        done = client.post(
            form.redirect_chain[-1][0],
            {"password1": "Rung-xanh-2026", "password2": "Rung-xanh-2026"},
            follow=True,
        )
        assert "Đã đổi mật khẩu thành công." in text(done)
        user.refresh_from_db()
        assert user.check_password("Rung-xanh-2026")

    def test_a_used_link_says_so(self, client, home):
        response = client.get("/accounts/password/reset/key/1-nope/", follow=True)
        assert "Liên kết này không dùng được" in text(response)


def test_password_change_is_vietnamese(client, home):
    client.force_login(UserFactory(username="hnuong"))
    page = text(client.get("/accounts/password/change/"))
    assert "Đổi mật khẩu" in page and "Mật khẩu hiện tại" in page
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "sai", "password1": "Rung-xanh-2026", "password2": "Rung-xanh-2026"},
    )
    assert "Vui lòng nhập đúng mật khẩu hiện tại." in text(response)


class TestErrorPages:
    def test_a_form_sent_without_csrf_token_explains_the_page_expired(self, home, language):
        client = Client(enforce_csrf_checks=True)
        if language == "en":
            in_english(client)
        response = client.post("/accounts/login/", {"login": "hnuong", "password": "x"})
        assert response.status_code == 403
        page = text(response)
        if language == "vi":
            assert "Trang này đã hết hạn" in page
            assert "Hãy quay lại trang trước, tải lại trang rồi thử lại." in page
        else:
            assert "This page has expired" in page
            assert "Go back to the previous page, reload it, and try again." in page
        assert "CSRF" not in page

    def test_bad_request_page(self, client, home, settings):
        settings.ALLOWED_HOSTS = ["localhost"]
        response = client.get("/", HTTP_HOST="evil.example")
        assert response.status_code == 400
        assert "Yêu cầu không hợp lệ" in text(response)

    def test_too_many_requests_page(self, rf, home):
        from allauth.core.internal.ratelimit import handler429

        with translation.override("vi"):
            response = handler429(rf.post("/accounts/login/"))
        assert response.status_code == 429
        assert "Bạn đã thử quá nhiều lần trong thời gian ngắn." in text(response)

    def test_permission_denied_page(self, rf, home):
        from django.views.defaults import permission_denied

        request = rf.get("/")
        with translation.override("vi"):
            response = permission_denied(request, PermissionDenied("internal detail"))
        assert response.status_code == 403
        page = text(response)
        assert "Không có quyền truy cập" in page
        assert "internal detail" not in page


class TestCoursePages:
    def test_language_name_and_hours_follow_the_interface_language(self, client, home):
        course = make_course(language="vi")
        one_hour = make_course("Một giờ", language="jra", hours="1")

        def facts(page):
            soup = BeautifulSoup(client.get(page.url).content, "html.parser")
            return soup.select_one("article.course .meta").get_text(), soup.select_one(
                ".facts"
            ).get_text(" ", strip=True)

        meta, study = facts(course)
        assert "Tiếng Việt" in meta and "4 giờ" in study
        in_english(client)
        meta, study = facts(course)
        assert "Vietnamese" in meta and "Tiếng Việt" not in meta
        assert "4 hours" in study
        meta, study = facts(one_hour)
        assert "Jrai" in meta and "Tiếng" not in meta
        assert "1 hour" in study and "1 hours" not in study

    def test_catalogue_cards_use_plural_hours(self, client, home):
        make_course(language="km")
        in_english(client)
        card = BeautifulSoup(client.get("/courses/").content, "html.parser").select_one(
            ".course-card .meta:last-child"
        )
        assert "4 hours" in card.get_text() and "Khmer" in card.get_text()

    def test_progress_bars_are_labelled(self, client, home):
        from courses.services import enrolment_create

        course = make_course("Tin học cơ bản")
        learner = make_learner(unit=make_unit("Gia Lai"))
        enrolment_create(user=learner, course=course)
        client.force_login(learner)
        for url in ("/learn/", course.url):
            soup = BeautifulSoup(client.get(url).content, "html.parser")
            bars = soup.select("[role=progressbar]")
            assert bars and all(bar.get("aria-label") for bar in bars), url
        soup = BeautifulSoup(client.get("/learn/").content, "html.parser")
        assert soup.select_one("[role=progressbar]")["aria-label"] == (
            "Tiến độ khoá học Tin học cơ bản"
        )


def test_video_captions_are_labelled_with_the_language_name(db):
    from wagtail.documents.models import Document

    from courses.blocks import VideoBlock

    video = Document.objects.create(title="v", file=ContentFile(b"v", name="bai-1.mp4"))
    captions = Document.objects.create(title="c", file=ContentFile(b"WEBVTT", name="bai-1.vtt"))
    block = VideoBlock()
    value = block.to_python(
        {"title": "Bài 1", "file": video.pk, "captions": captions.pk, "captions_language": "jra"}
    )
    for language, label in (("vi", "Tiếng Jrai"), ("en", "Jrai")):
        with translation.override(language):
            track = BeautifulSoup(block.render(value), "html.parser").select_one("track")
        assert track["srclang"] == "jra"
        assert track["label"] == label
