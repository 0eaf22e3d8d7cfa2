"""The admin screens a trainer uses speak Vietnamese: no string from a list of English texts
Wagtail shows (and its Vietnamese catalogue lacks) is left in the visible text.

Our own catalogue (locale/vi) translates those msgids: Django looks there first.
"""

import re

import pytest
from bs4 import BeautifulSoup

from courses.services import authoring_roles_setup
from tests.factories import make_course, make_lesson, make_trainer, make_unit

pytestmark = pytest.mark.django_db

# Texts seen in English on these screens before our translations (issue 16), whole phrases.
ENGLISH = [
    "Page title",
    "Save draft",
    "More actions",
    "Collapse all",
    "Images",
    "Documents",
    "Reports",
    "Help",
    "Just now",
    "Page 1 of 1",
    "The page title as you'd like it to be seen by the public",
    "Moderators approval",  # the default workflow's name in the database (courses 0015)
    "Add an image",
    "Add a document",
    "Sort menu order",
]


def visible_text(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    for hidden in soup(["script", "style", "template", "noscript"]):
        hidden.decompose()
    parts = [soup.get_text(" ", strip=True)]
    # Labels the eye or a screen reader meets: placeholders, titles, aria labels, tooltips.
    for tag in soup.find_all(True):
        for attr in ("placeholder", "aria-label", "title", "data-w-tooltip-content-value"):
            if tag.get(attr):
                parts.append(tag[attr])
    return " | ".join(parts)


@pytest.fixture
def screens(client, home):
    course = make_course("Kỹ năng số cho cán bộ xã", lessons=1)
    lesson = make_lesson(course, "Bài đọc: an toàn mật khẩu")
    authoring_roles_setup()
    trainer = make_trainer(scope=make_unit("Gia Lai"))
    client.force_login(trainer)
    client.cookies["django_language"] = "vi"
    return {
        "dashboard": "/admin/",
        "explorer": f"/admin/pages/{course.pk}/",
        "explorer, sort order": f"/admin/pages/{course.pk}/?ordering=ord",
        "lesson edit": f"/admin/pages/{lesson.pk}/edit/",
        "lesson add": f"/admin/pages/add/courses/lessonpage/{course.pk}/",
        "images": "/admin/images/",
        "documents": "/admin/documents/",
        "course outline": f"/admin/courses/{course.pk}/outline/",
    }


def test_trainer_admin_screens_have_no_untranslated_english(client, screens):
    found = {}
    for name, url in screens.items():
        response = client.get(url)
        assert response.status_code == 200, name
        text = visible_text(response)
        left = [s for s in ENGLISH if re.search(rf"(?<![\w]){re.escape(s)}(?![\w])", text)]
        if left:
            found[name] = left
    assert found == {}


def test_admin_javascript_strings_are_vietnamese(client, home):
    """Strings Wagtail's scripts show ("Collapse all" above the lesson form) come from the
    JavaScript catalogue, which reads our locale/vi/djangojs.po too."""
    import json

    from tests.factories import make_admin

    client.cookies["django_language"] = "vi"
    client.force_login(make_admin())
    script = client.get("/admin/jsi18n/").content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    assert catalogue["Collapse all"] == "Thu gọn tất cả"
    assert catalogue["Expand all"] == "Mở rộng tất cả"
