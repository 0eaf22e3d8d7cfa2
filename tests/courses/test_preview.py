"""Draft view and admin preview (add and edit, desktop and phone) for every page type."""

import pytest
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import NewsIndexPage, NewsPage, StandardPage
from courses.models import LessonPage
from tests.factories import course_index, make_admin, make_course, make_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(home):
    course = make_course(lessons=1)
    draft = make_lesson(course, "Bài nháp", publish=False)
    news_index = NewsIndexPage(title="Tin tức", slug="tin-tuc")
    home.add_child(instance=news_index)
    news_index.save_revision().publish()
    news = NewsPage(title="Tin", slug="tin", date="2026-01-02", summary="Tóm tắt", body="<p>x</p>")
    news_index.add_child(instance=news)
    news.save_revision().publish()
    standard = StandardPage(title="Giới thiệu", slug="gioi-thieu", body="<p>x</p>")
    home.add_child(instance=standard)
    standard.save_revision().publish()
    return {
        "home": home,
        "index": course_index(),
        "course": course,
        "lesson": LessonPage.objects.child_of(course).live().first(),
        "draft": draft,
        "news_index": news_index,
        "news": news,
        "standard": standard,
    }


@pytest.mark.parametrize(
    "key", ["home", "index", "course", "lesson", "draft", "news_index", "news", "standard"]
)
def test_view_draft(client, pages, key):
    client.force_login(make_admin())
    page = pages[key]
    response = client.get(f"/admin/pages/{page.pk}/view_draft/")
    assert response.status_code == 200, response.content[:3000]


PARENT_OF = {
    "index": "home",
    "course": "index",
    "lesson": "course",
    "draft": "course",
    "news_index": "home",
    "news": "news_index",
    "standard": "home",
}


LESSON_KEYS = {"lesson", "draft"}


def _quiz():
    return {
        "title": "Kiểm tra",
        "intro": "",
        "draw": "",
        "questions": streamfield(
            [
                (
                    "item",
                    {
                        "text": "Mật khẩu nào mạnh nhất?",
                        "kind": "single",
                        "topic": "",
                        "explanation": "",
                        "choices": streamfield(
                            [
                                ("item", {"text": "123456", "correct": ""}),
                                ("item", {"text": "Ia-Grai#2026!rain", "correct": "on"}),
                            ]
                        ),
                    },
                )
            ]
        ),
    }


def _form_data(html, key):
    """The form's fields as the browser would post them (StreamFields are client-rendered)."""
    from wagtail.test.utils.form_data import querydict_from_html

    data = querydict_from_html(html, form_id="page-edit-form").dict()
    if key in LESSON_KEYS:
        data.update(
            nested_form_data(
                {
                    "body": streamfield(
                        [("text", rich_text("<p>Nội dung bài.</p>")), ("quiz", _quiz())]
                    )
                }
            )
        )
    return data


def _preview(client, base, data):
    response = client.post(base, data)
    assert response.status_code == 200
    assert response.json() == {"is_valid": True, "is_available": True}, response.content
    response = client.get(base, {"mode": ""})
    assert response.status_code == 200, response.content[:3000]
    return response


@pytest.mark.parametrize("key", list(PARENT_OF) + ["home"])
def test_edit_preview(client, pages, key):
    client.force_login(make_admin())
    page = pages[key]
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    data = _form_data(html, key)
    data["title"] = "Tiêu đề xem trước"
    if key == "home":  # the home page shows its headline, not its title
        data["hero_title"] = "Tiêu đề xem trước"
    response = _preview(client, f"/admin/pages/{page.pk}/edit/preview/", data)
    assert "Tiêu đề xem trước" in response.content.decode()
    if key in LESSON_KEYS:
        _assert_lesson_preview(response)


def _assert_lesson_preview(response):
    """The quiz shows the whole bank with its answer key; nothing can be submitted."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(".quiz-preview")
    assert [li.get_text(" ", strip=True) for li in soup.select(".quiz-preview .answer-key")] == [
        "✓ Ia-Grai#2026!rain"
    ]
    assert not soup.select("form[action*='/quiz/']")
    assert soup.select_one(".breadcrumb a").get_text() == "Tin học cơ bản"


# The catalogue and the news index are single pages (max_count = 1): they cannot be added twice.
@pytest.mark.parametrize("key", sorted(set(PARENT_OF) - {"index", "news_index", "draft"}))
def test_add_preview(client, pages, key):
    client.force_login(make_admin())
    page = pages[key]
    parent = pages[PARENT_OF[key]]
    meta = type(page)._meta
    add = f"/admin/pages/add/{meta.app_label}/{meta.model_name}/{parent.pk}/"
    html = client.get(add).content.decode()
    data = _form_data(html, key)
    data["title"] = "Trang mới xem trước"
    response = _preview(client, add + "preview/", data)
    assert "Trang mới xem trước" in response.content.decode()
    if key in LESSON_KEYS:
        _assert_lesson_preview(response)
